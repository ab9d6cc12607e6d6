import Foundation
import Testing
import Tensor
@testable import Transformer

/// What real Hugging Face directories vary in, and what a broken one says: copies of the tiny
/// fixtures with their config.json or model.safetensors changed.
@Suite struct HuggingFaceLoading {
    /// A copy of fixture `model` in a temporary directory, with `config.json` and the tensors edited.
    struct Copy {
        let directory = try! TemporaryDirectory()
        var path: String { directory.file("model") }
        var weights: String { path + "/model.safetensors" }
        var config: String { path + "/config.json" }

        init(_ model: String, config edit: (inout [String: Any]) -> Void = { _ in },
             tensors editTensors: ((inout [String: Tensor]) -> Void)? = nil) throws {
            try FileManager.default.copyItem(atPath: HuggingFaceFixtures.directory(model), toPath: path)
            var object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: config))) as! [String: Any]
            edit(&object)
            try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: config))
            if let editTensors {
                var tensors = try SafeTensors.load(path: weights).tensors
                editTensors(&tensors)
                try FileManager.default.removeItem(atPath: weights)
                try SafeTensors.write(tensors, to: weights)
            }
        }

        func load() throws -> LoadedModel { try ModelDirectory.load(path: path, tokenizer: .ifSupported) }

        /// The one-line message loading fails with.
        func failure() -> String {
            do { _ = try load(); return "(loaded)" } catch { return "\(error)" }
        }
    }

    static let sentence = [3, 40, 41, 42, 43, 44, 45]

    static func logits(_ loaded: LoadedModel, _ ids: [Int] = sentence) throws -> Tensor {
        try #require(try loaded.model.forward(ids, recording: .none).logits)
    }

    // MARK: - Broken config.json

    @Test func unknownModelTypeNamesTheFileAndTheSupportedOnes() throws {
        let copy = try Copy("tiny-gpt2") { $0["model_type"] = "mamba" }
        let message = copy.failure()
        #expect(message == "\(copy.config): model_type \"mamba\" is not supported (supported: explorer, gpt2, bert, roberta, llama, qwen2, mistral)")
        let untyped = try Copy("tiny-gpt2") { $0["model_type"] = nil }
        #expect(untyped.failure() == "\(untyped.config): no \"model_type\" (supported: explorer, gpt2, bert, roberta, llama, qwen2, mistral)")
    }

    @Test func missingFieldIsNamed() throws {
        let copy = try Copy("tiny-gpt2") { $0["n_embd"] = nil }
        #expect(copy.failure() == "\(copy.config): missing field \"n_embd\"")
        let bert = try Copy("tiny-bert") { $0["intermediate_size"] = nil }
        #expect(bert.failure() == "\(bert.config): missing field \"intermediate_size\"")
    }

    @Test func fieldOfTheWrongTypeIsNamed() throws {
        let copy = try Copy("tiny-llama") { $0["num_attention_heads"] = "four" }
        #expect(copy.failure() == "\(copy.config): field \"num_attention_heads\" has the wrong type")
        let rope = try Copy("tiny-llama") { $0["rope_parameters"] = ["rope_theta": "big"] }
        #expect(rope.failure() == "\(rope.config): field \"rope_parameters.rope_theta\" has the wrong type")
    }

    /// A linear RoPE scaling (an older `rope_scaling` with `type`) loads and slows every pair.
    @Test func linearRopeScalingLoads() throws {
        let scaled = try Copy("tiny-llama") { $0["rope_scaling"] = ["type": "linear", "factor": 2.0] }
        let loaded = try scaled.load()
        #expect(loaded.config.ropeScaling == .linear(factor: 2))
        let plain = try Copy("tiny-llama").load()
        // The same weights: the first position (angle 0) agrees, later ones differ.
        let (a, b) = (try Self.logits(loaded), try Self.logits(plain))
        #expect(a.slice(0).maxRelativeError(to: b.slice(0)) < 1e-6)
        #expect(a.slice(3).maxRelativeError(to: b.slice(3)) > 1e-3)
    }

    @Test func notJSON() throws {
        let copy = try Copy("tiny-bert")
        try Data("{\"model_type\": \"bert\",".utf8).write(to: URL(fileURLWithPath: copy.config))
        #expect(copy.failure() == "\(copy.config): not a JSON object")
    }

    @Test func inconsistentNumbersAreRefused() throws {
        let copy = try Copy("tiny-gpt2") { $0["n_head"] = 5 }
        // Named as GPT-2's config.json names them.
        #expect(copy.failure() == "\(copy.config): n_embd (64) is not a multiple of n_head (5); give d_head")
    }

    @Test func unsupportedSettingsAreRefusedClearly() throws {
        let yarn = try Copy("tiny-llama") { $0["rope_parameters"] = ["rope_type": "yarn", "factor": 2.0, "rope_theta": 10000.0] }
        #expect(yarn.failure().hasPrefix("\(yarn.config): RoPE type \"yarn\" (default, linear and llama3 are implemented"))
        let legacy = try Copy("tiny-llama") { $0["rope_scaling"] = ["type": "dynamic", "factor": 2.0] }
        #expect(legacy.failure().contains("RoPE type \"dynamic\""))
        let noFactor = try Copy("tiny-llama") { $0["rope_parameters"] = ["rope_type": "linear", "rope_theta": 10000.0] }
        #expect(noFactor.failure().contains("RoPE type \"linear\" without factor"), "\(noFactor.failure())")
        let badFactor = try Copy("tiny-llama") { $0["rope_parameters"] = ["rope_type": "linear", "factor": -1.0, "rope_theta": 10000.0] }
        #expect(badFactor.failure().contains("RoPE scaling factor must be positive"), "\(badFactor.failure())")
        let activation = try Copy("tiny-gpt2") { $0["activation_function"] = "quick_gelu" }
        #expect(activation.failure() == "\(activation.config): activation_function \"quick_gelu\" is not supported (supported: gelu, gelu_new, gelu_pytorch_tanh, gelu_fast, relu, silu, swish)")
        let relative = try Copy("tiny-bert") { $0["position_embedding_type"] = "relative_key" }
        #expect(relative.failure() == "\(relative.config): position_embedding_type \"relative_key\" (only \"absolute\") is not supported")
        let sliding = try Copy("tiny-qwen2") { $0["use_sliding_window"] = true; $0["sliding_window"] = 8 }
        #expect(sliding.failure() == "\(sliding.config): sliding-window attention (use_sliding_window, or layer_types other than full_attention) is not supported")
    }

    // MARK: - Broken model.safetensors

    @Test func missingTensorIsNamedAsTheFileWouldName() throws {
        let gpt2 = try Copy("tiny-gpt2", tensors: { $0["transformer.h.1.mlp.c_fc.weight"] = nil })
        #expect(gpt2.failure() == "\(gpt2.weights): tensor transformer.h.1.mlp.c_fc.weight is missing")
        let bert = try Copy("tiny-bert", tensors: { $0["encoder.layer.0.attention.self.key.weight"] = nil })
        #expect(bert.failure() == "\(bert.weights): tensor encoder.layer.0.attention.self.key.weight is missing")
        let llama = try Copy("tiny-llama", tensors: { $0["lm_head.weight"] = nil })
        #expect(llama.failure() == "\(llama.weights): tensor lm_head.weight is missing")
        let empty = try Copy("tiny-gpt2", tensors: { $0 = ["other": Tensor(shape: [1])] })
        #expect(empty.failure() == "\(empty.weights): tensor wte.weight or transformer.wte.weight is missing")
    }

    @Test func tensorOfTheWrongShapeIsNamedWithBothShapes() throws {
        let llama = try Copy("tiny-llama", tensors: { $0["model.layers.0.self_attn.k_proj.weight"] = Tensor(shape: [64, 64]) })
        #expect(llama.failure() == "\(llama.weights): tensor model.layers.0.self_attn.k_proj.weight has shape [64, 64], expected [32, 64]")
        let gpt2 = try Copy("tiny-gpt2", tensors: { $0["transformer.h.0.attn.c_attn.weight"] = Tensor(shape: [192, 64]) })
        #expect(gpt2.failure() == "\(gpt2.weights): tensor transformer.h.0.attn.c_attn.weight has shape [192, 64], expected [64, 192]")
        // A config that disagrees with its weights: the first tensor that shows it is named.
        let wider = try Copy("tiny-bert") { $0["intermediate_size"] = 256 }
        #expect(wider.failure() == "\(wider.weights): tensor encoder.layer.0.intermediate.dense.weight has shape [128, 64], expected [256, 64]")
    }

    @Test func otherWeightFilesAreNamed() throws {
        let copy = try Copy("tiny-gpt2")
        try FileManager.default.moveItem(atPath: copy.weights, toPath: copy.path + "/pytorch_model.bin")
        #expect(copy.failure().contains("no model.safetensors (pytorch_model.bin is there"))
    }

    // MARK: - What real files vary in

    @Test func gpt2WithOrWithoutItsPrefixGivesTheSameLogits() throws {
        let bare = try Copy("tiny-gpt2", tensors: { tensors in
            tensors = Dictionary(uniqueKeysWithValues: tensors.map { (String($0.key.dropFirst("transformer.".count)), $0.value) })
        })
        let original = try Self.logits(try HuggingFaceParity.load("tiny-gpt2"))
        #expect(try Self.logits(try bare.load()) == original)
        // An old file may also carry the causal-mask buffers and a copy of the tied head: ignored.
        let extra = try Copy("tiny-gpt2", tensors: { tensors in
            tensors["transformer.h.0.attn.bias"] = Tensor(shape: [1, 1, 128, 128], repeating: 1)
            tensors["lm_head.weight"] = tensors["transformer.wte.weight"]
        })
        #expect(try Self.logits(try extra.load()) == original)
    }

    @Test func gpt2UntiedHeadIsTheTransposedLinear() throws {
        let head = Tensor(shape: [500, 64], scalars: (0..<32000).map { Float(($0 * 7919) % 101) / 100 - 0.5 })
        let copy = try Copy("tiny-gpt2", config: { $0["tie_word_embeddings"] = false },
                            tensors: { $0["lm_head.weight"] = head })
        let loaded = try copy.load()
        #expect(loaded.model.parameters["unembed.W_U"] == head.transposed())
        let result = try loaded.model.forward(Self.sentence, recording: .all)
        let expected = matmul(try #require(result.cache["ln_final.out"]), head.transposed())
        #expect(try #require(result.logits).maxRelativeError(to: expected) <= 1e-5)
    }

    @Test func oldBertFilesWithGammaBetaAndPrefix() throws {
        let renamed = try Copy("tiny-bert", tensors: { tensors in
            tensors = Dictionary(uniqueKeysWithValues: tensors.map { name, tensor in
                let old = name.replacingOccurrences(of: "LayerNorm.weight", with: "LayerNorm.gamma")
                    .replacingOccurrences(of: "LayerNorm.bias", with: "LayerNorm.beta")
                return ("bert." + old, tensor)
            })
            tensors["cls.predictions.bias"] = Tensor(shape: [400])
        })
        let ids = [2, 40, 41, 42, 3]
        let original = try HuggingFaceParity.load("tiny-bert").model.forward(ids).cache
        let loaded = try renamed.load()
        #expect(loaded.config.pooler)
        #expect(try loaded.model.forward(ids).cache["blocks.1.resid_post"] == original["blocks.1.resid_post"])
        // A BERT saved without its pooler loads too, and counts no pooler.
        let noPooler = try Copy("tiny-bert", tensors: { $0["pooler.dense.weight"] = nil; $0["pooler.dense.bias"] = nil })
        let bare = try noPooler.load()
        #expect(!bare.config.pooler && bare.model.parameters["pooler.W"] == nil)
        #expect(try bare.model.forward(ids).cache["blocks.1.resid_post"] == original["blocks.1.resid_post"])
    }

    @Test func llamaRopeThetaAtTheTopLevelOrInRopeParameters() throws {
        let original = try Self.logits(try HuggingFaceParity.load("tiny-llama"))
        let older = try Copy("tiny-llama") { $0["rope_parameters"] = nil; $0["rope_theta"] = 10000.0 }
        #expect(try older.load().config.ropeTheta == 10000)
        #expect(try Self.logits(try older.load()) == original)
        let defaulted = try Copy("tiny-llama") { $0["rope_parameters"] = nil }
        #expect(try Self.logits(try defaulted.load()) == original)
        let legacyDefault = try Copy("tiny-llama") { $0["rope_parameters"] = nil; $0["rope_scaling"] = ["rope_type": "default", "rope_theta": 10000.0] }
        #expect(try Self.logits(try legacyDefault.load()) == original)
        let otherBase = try Copy("tiny-llama") { $0["rope_parameters"] = ["rope_type": "default", "rope_theta": 500000.0] }
        #expect(try otherBase.load().config.ropeTheta == 500000)
        #expect(try Self.logits(try otherBase.load()) != original)
    }

    @Test func llamaTiedHeadMayBeLeftOutOfTheFile() throws {
        let copy = try Copy("tiny-llama", config: { $0["tie_word_embeddings"] = true; $0["eos_token_id"] = [2, 1] },
                            tensors: { $0["lm_head.weight"] = nil })
        let loaded = try copy.load()
        #expect(loaded.config.tiedEmbeddings && loaded.config.eosTokenId == 2)
        #expect(loaded.model.parameters["unembed.W_U"] == nil)
        let result = try loaded.model.forward(Self.sentence, recording: .all)
        let embeddings = try #require(loaded.model.parameters["embed.W_E"])
        let expected = matmul(try #require(result.cache["ln_final.out"]), embeddings.transposed())
        #expect(try #require(result.logits).maxRelativeError(to: expected) <= 1e-5)
    }

    @Test func llamaWithAttentionBiases() throws {
        let copy = try Copy("tiny-llama", config: { $0["attention_bias"] = true }, tensors: { tensors in
            for l in 0..<2 {
                for (part, size) in [("q_proj", 64), ("k_proj", 32), ("v_proj", 32), ("o_proj", 64)] {
                    tensors["model.layers.\(l).self_attn.\(part).bias"] = Tensor(shape: [size], repeating: 0.25)
                }
            }
        })
        let loaded = try copy.load()
        #expect(loaded.config.biases == Biases(q: true, k: true, v: true, o: true))
        #expect(loaded.model.parameters["blocks.1.attn.b_K"] == Tensor(shape: [2, 16], repeating: 0.25))
        // The file has no MLP biases, so the model has none: no zeros stand in for them.
        #expect(loaded.model.parameters["blocks.0.mlp.b_in"] == nil)
        #expect(loaded.model.parameters.names == loaded.config.parameterShapes().map(\.name).sorted())
        let missing = try Copy("tiny-llama") { $0["attention_bias"] = true }
        #expect(missing.failure() == "\(missing.weights): tensor model.layers.0.self_attn.q_proj.bias is missing")
    }

    /// `mlp_bias` puts a bias on the gate, up and down projections (`b_gate`, `b_in`, `b_out`), and the
    /// MLP adds each where `transformers` does: `down(silu(gate(x)) * up(x))`, every Linear with its bias.
    @Test func llamaWithMLPBiases() throws {
        let copy = try Copy("tiny-llama", config: { $0["mlp_bias"] = true }, tensors: { tensors in
            for l in 0..<2 {
                for (part, size, value) in [("gate_proj", 128, Float(0.5)), ("up_proj", 128, -0.25), ("down_proj", 64, 0.125)] {
                    tensors["model.layers.\(l).mlp.\(part).bias"] = Tensor(shape: [size], scalars: (0..<size).map { value * Float($0 % 5) })
                }
            }
        })
        let loaded = try copy.load()
        #expect(loaded.config.biases == Biases(mlpIn: true, mlpGate: true, mlpOut: true))
        #expect(loaded.model.parameters.names == loaded.config.parameterShapes().map(\.name).sorted())
        let p = loaded.model.parameters
        let cache = try loaded.model.forward(Self.sentence, recording: .all).cache
        let x = try #require(cache["blocks.1.ln2.out"])
        let gate = matmul(x, p["blocks.1.mlp.W_gate"]!, addingRow: p["blocks.1.mlp.b_gate"]!)
        let up = matmul(x, p["blocks.1.mlp.W_in"]!, addingRow: p["blocks.1.mlp.b_in"]!)
        let out = matmul(gate.applying(.silu) * up, p["blocks.1.mlp.W_out"]!, addingRow: p["blocks.1.mlp.b_out"]!)
        #expect(try #require(cache["blocks.1.mlp.pre"]).maxRelativeError(to: gate) <= 1e-6)
        #expect(try #require(cache["blocks.1.mlp.out"]).maxRelativeError(to: out) <= 1e-5)
        #expect(try Self.logits(loaded) != (try Self.logits(try HuggingFaceParity.load("tiny-llama"))))
        let missing = try Copy("tiny-llama") { $0["mlp_bias"] = true }
        #expect(missing.failure() == "\(missing.weights): tensor model.layers.0.mlp.gate_proj.bias is missing")
    }

    /// A BF16 checkpoint (as most Llama files are) loads to the same numbers as the F32 file of the
    /// same rounded values.
    @Test func bfloat16Checkpoint() throws {
        func rounded(_ value: Float) -> UInt16 { UInt16(value.bitPattern >> 16) }
        var halves: [String: Tensor] = [:]
        let bf16 = try Copy("tiny-llama", tensors: { tensors in
            halves = tensors.mapValues { Tensor(shape: $0.shape, scalars: $0.scalars.map { Float(bitPattern: UInt32(rounded($0)) << 16) }) }
        })
        try Self.writeBFloat16(halves, to: bf16.weights)
        let f32 = try Copy("tiny-llama", tensors: { $0 = halves })
        #expect(try SafeTensors.open(path: bf16.weights).entries.allSatisfy { $0.dtype == .bf16 })
        #expect(try Self.logits(try bf16.load()) == Self.logits(try f32.load()))
    }

    /// Writes `tensors` as a safetensors file of BF16 values (each float's upper 16 bits).
    static func writeBFloat16(_ tensors: [String: Tensor], to path: String) throws {
        var header: [String: Any] = [:]
        var data: [UInt8] = []
        for name in tensors.keys.sorted() {
            let tensor = tensors[name]!
            let start = data.count
            for value in tensor.scalars {
                let bits = UInt16(value.bitPattern >> 16)
                data += [UInt8(bits & 0xFF), UInt8(bits >> 8)]
            }
            header[name] = ["dtype": "BF16", "shape": tensor.shape, "data_offsets": [start, data.count]]
        }
        var json = Array(try JSONSerialization.data(withJSONObject: header, options: .sortedKeys))
        while json.count % 8 != 0 { json.append(0x20) }
        var length = UInt64(json.count).littleEndian
        let prefix = withUnsafeBytes(of: &length) { Array($0) }
        try FileManager.default.removeItem(atPath: path)
        try Data(prefix + json + data).write(to: URL(fileURLWithPath: path))
    }

    /// The tensors that keep their layout view the file; only reshaped ones are copies.
    @Test func viewsWhereTheLayoutMatches() throws {
        let loaded = try HuggingFaceParity.load("tiny-gpt2")
        let archive = try SafeTensors.load(path: HuggingFaceFixtures.directory("tiny-gpt2") + "/model.safetensors")
        #expect(loaded.model.parameters["blocks.0.attn.W_O"]?.reshaped([64, 64]) == archive.tensors["transformer.h.0.attn.c_proj.weight"])
        #expect(loaded.model.parameters["blocks.0.attn.b_K"]?.scalars == Array(archive.tensors["transformer.h.0.attn.c_attn.bias"]!.scalars[64..<128]))
    }
}
