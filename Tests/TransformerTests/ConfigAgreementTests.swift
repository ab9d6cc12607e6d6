import Foundation
import Testing
@testable import Transformer

/// A config must agree with its weight file, and its numbers must be in range before any arithmetic.
@Suite struct ConfigAgreement {
    /// A copy of bundled model `name` with `change` applied to its config.json; returns the load error.
    static func loadError(_ name: String, _ change: (inout [String: Any]) -> Void) throws -> ModelError? {
        let directory = try TemporaryDirectory()
        let model = directory.file("model")
        try FileManager.default.copyItem(atPath: Repository.path("Models/" + name), toPath: model)
        let configPath = model + "/config.json"
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: configPath))) as! [String: Any]
        change(&object)
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: configPath))
        do {
            _ = try ModelDirectory.load(path: model)
            return nil
        } catch let error as ModelError {
            return error
        }
    }

    struct Contradiction: CustomStringConvertible, Sendable {
        var model: String
        var field: String
        var value: String
        var mentions: String
        var description: String { "\(model) \(field)=\(value)" }
    }

    static let contradictions: [Contradiction] = [
        Contradiction(model: "tiny-gpt", field: "positional", value: "\"rope\"", mentions: "pos_embed"),
        Contradiction(model: "tiny-gpt", field: "positional", value: "\"sinusoidal\"", mentions: "pos_embed"),
        Contradiction(model: "tiny-gpt", field: "pooler", value: "true", mentions: "pooler"),
        Contradiction(model: "tiny-gpt", field: "type_vocab_size", value: "2", mentions: "embed_type"),
        Contradiction(model: "tiny-gpt", field: "type_vocab_size", value: "-5", mentions: "type_vocab_size"),
        Contradiction(model: "tiny-gpt", field: "gated_mlp", value: "true", mentions: "W_gate"),
        Contradiction(model: "tiny-gpt", field: "bias", value: "false", mentions: ".b"),
        Contradiction(model: "tiny-gpt", field: "tied_embeddings", value: "true", mentions: "unembed"),
        Contradiction(model: "tiny-gpt", field: "embedding_norm", value: "true", mentions: "embed_ln"),
        Contradiction(model: "tiny-bert", field: "type_vocab_size", value: "0", mentions: "embed_type"),
        Contradiction(model: "tiny-bert", field: "positional", value: "\"rope\"", mentions: "pos_embed"),
        Contradiction(model: "tiny-llama", field: "positional", value: "\"learned\"", mentions: "pos_embed"),
        Contradiction(model: "tiny-llama", field: "gated_mlp", value: "false", mentions: "W_gate"),
        Contradiction(model: "tiny-llama", field: "n_layers", value: "1", mentions: "blocks.1"),
    ]

    @Test(arguments: contradictions)
    func configThatContradictsTheFileIsRefused(_ test: Contradiction) throws {
        let value = try JSONSerialization.jsonObject(with: Data(test.value.utf8), options: .fragmentsAllowed)
        let error = try Self.loadError(test.model) { $0[test.field] = value }
        #expect(error != nil, "accepted")
        #expect(error.map { $0.description.contains(test.mentions) && $0.description.contains("config.json") } ?? false,
                "\(String(describing: error))")
    }

    @Test(arguments: Repository.bundledModels)
    func bundledModelsAgreeWithTheirFiles(_ name: String) throws {
        #expect(try Self.loadError(name) { _ in } == nil)
    }

    static let sizeFields = ["vocab_size", "d_model", "n_heads", "n_kv_heads", "d_head", "d_ff", "n_layers",
                             "n_decoder_layers", "max_positions", "position_offset", "type_vocab_size", "bos_token_id",
                             "pad_token_id"]

    /// Every size at values that overflow the arithmetic on it: a refusal, never a trap.
    @Test(arguments: sizeFields)
    func hugeSizesAreRefusedBeforeArithmetic(_ field: String) throws {
        for value in [1 << 62, Int.max, Int.min, -(1 << 40), 1 << 40, (1 << 31) + 3] {
            let error = try Self.loadError("tiny-transformer") { $0[field] = value }
            #expect(error.map { $0.description.contains(field) } ?? false, "\(field)=\(value): \(String(describing: error))")
        }
    }

    /// Values inside the file's integer bound but far beyond any model: refused by `validate`.
    @Test func bigButRepresentableSizesAreBounded() throws {
        var random = SplitMix(5)
        let base = try Repository.model("tiny-llama").config
        for _ in 0..<200 {
            var config = base
            let huge = 1 << (20 + random.below(11))
            switch random.below(6) {
            case 0: config.nLayers = huge
            case 1: config.dHead = huge
            case 2: config.dModel = huge; config.dHead = 8
            case 3: config.vocabSize = huge * 64
            case 4: config.dFF = huge * 2
            default: config.maxPositions = huge * 64; config.dModel = huge >> 4
            }
            #expect(throws: ModelError.self) { try config.validate() }
        }
    }

    @Test func nonFiniteAndOutOfRangeNumbersAreRefused() throws {
        var config = try Repository.model("tiny-llama").config
        for theta in [Float(0), -1, .infinity, .nan, -.infinity] {
            config.ropeTheta = theta
            #expect(throws: ModelError.self, "rope_theta \(theta)") { try config.validate() }
        }
        config.ropeTheta = 10000
        for eps in [Float(-1e-5), .nan, .infinity] {
            var copy = config
            copy.normEps = eps
            #expect(throws: ModelError.self, "norm_eps \(eps)") { try copy.validate() }
        }
        for factor in [1e-320, 0, -1, 1e-7, 1e7, .nan, .infinity] as [Double] {
            var copy = config
            copy.ropeScaling = .linear(factor: factor)
            #expect(throws: ModelError.self, "factor \(factor)") { try copy.validate() }
        }
    }

    /// A forward pass that overflows says where, first.
    @Test func nonFiniteForwardPassNamesTheFirstHook() throws {
        let loaded = try Repository.model("tiny-gpt")
        var tensors = loaded.model.parameters.tensors
        var table = tensors["blocks.0.ln1.w"]!
        table.withUnsafeMutableBufferPointer { $0[0] = .infinity }
        tensors["blocks.0.ln1.w"] = table
        var broken = loaded
        broken.model = try TransformerModel(config: loaded.config, parameters: Parameters(tensors, source: "test"))
        do {
            _ = try Inspection(broken, text: "the cat sat")
            Issue.record("a NaN result was accepted")
        } catch let ModelError.nonFinite(hook, _) {
            #expect(hook == "blocks.0.ln1.out")
        }
        #expect(throws: ModelError.self) {
            _ = try broken.model.generate([2, 5, 6], maxTokens: 2, settings: SamplingSettings(temperature: 0), seed: 1)
        }
    }
}
