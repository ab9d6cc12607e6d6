import Foundation
import Testing
import Tensor
@testable import Transformer

/// Tests/Fixtures/gguf/tiny-llama.gguf and tiny-qwen2.gguf (make_tiny_gguf_model.py): one Llama block whose weights are
/// of eight block types (Q8_0, Q4_K, Q5_K, Q6_K, Q4_0, Q4_1, Q5_0, Q5_1), q and k rows in llama.cpp's
/// permuted order, a byte-level tokenizer with Llama 3's split. Against Tests/Fixtures/gguf/reference-tiny
/// (ids from transformers' GGUF tokenizer conversion; pattern and logits from an independent NumPy
/// forward in float64 over the `gguf` package's dequantization): ids exactly, every pattern entry
/// within 1e-4, every logit within 5e-4 × (1 + |reference|) (measured: 2.7e-5 and 1.3e-4; float32
/// against float64 on random weights whose activations are large; a wrong row order would be off by O(1)).
@Suite struct GGUFTinyModel {
    static let path = Repository.path("Tests/Fixtures/gguf/tiny-llama.gguf")
    static let patternTolerance: Float = 1e-4
    static let logitTolerance: Float = 5e-4

    struct Case: Decodable { let text: String; let ids: [Int] }

    /// tiny-qwen2.gguf is the same shape as Qwen2 (architecture qwen2, Qwen2's split, biases on q, k
    /// and v) with its rows as llama.cpp writes Qwen2's: not permuted, so not put back.
    @Test(arguments: [("tiny-llama", "reference-tiny", "fox"), ("tiny-llama", "reference-tiny", "code"),
                      ("tiny-qwen2", "reference-tiny-qwen2", "fox"), ("tiny-qwen2", "reference-tiny-qwen2", "code")])
    func matchesTheNumPyReference(model: String, references: String, name: String) throws {
        let loaded = try ModelDirectory.load(path: Repository.path("Tests/Fixtures/gguf/\(model).gguf"))
        #expect(loaded.name == model)   // the file's name; its general.name is "\(model)-gguf"
        #expect(loaded.format == (model == "tiny-qwen2" ? .qwen2 : .llama))
        #expect(loaded.config.biases.q == (model == "tiny-qwen2") && loaded.config.biases.o == false)
        #expect(loaded.config.nHeads == 4 && loaded.config.kvHeads == 2 && loaded.config.tiedEmbeddings)
        let folder = Repository.path("Tests/Fixtures/gguf/\(references)/\(name)")
        let reference = try JSONDecoder().decode(Case.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/case.json")))
        #expect(loaded.tokenizer.encode(reference.text).map(\.id) == reference.ids)
        let result = try loaded.model.forward(reference.ids)
        let pattern = try NPY.read(path: folder + "/blocks.0.attn.pattern.npy")
        let actual = try #require(result.cache["blocks.0.attn.pattern"])
        #expect(actual.shape == pattern.shape)
        let patternError = zip(actual.scalars, pattern.scalars).map { abs($0 - $1) }.max() ?? .infinity
        let logits = try NPY.read(path: folder + "/logits.npy")
        let computed = try #require(result.logits)
        #expect(computed.shape == logits.shape)
        let logitError = zip(computed.scalars, logits.scalars).map { abs($0 - $1) / (1 + abs($1)) }.max() ?? .infinity
        #expect(patternError <= Self.patternTolerance, "pattern differs by \(patternError)")
        #expect(logitError <= Self.logitTolerance, "logits differ by \(logitError) × (1 + |ref|)")
        #expect(result.cache["blocks.0.attn.weighted"] != nil && result.cache["blocks.0.attn.result"] != nil)
    }

    /// Parameters shown to a learner are the quantized weights widened on demand into DESIGN.md's layout,
    /// and the per-head results made from them add up to attn.out (W_O widened only then).
    @Test func parametersAreWidenedOnDemand() throws {
        let loaded = try ModelDirectory.load(path: Self.path)
        let parameters = loaded.model.parameters
        #expect(parameters.quantized.count == 8)
        #expect(parameters.tensors["blocks.0.attn.W_Q"] == nil)
        let wq = try #require(parameters["blocks.0.attn.W_Q"])
        #expect(wq.shape == [4, 256, 64])
        #expect(try parameters.require("blocks.0.mlp.W_out", shape: [256, 256]).shape == [256, 256])
        #expect(parameters.names.contains("embed.W_E") && parameters.names.contains("ln_final.w"))
        #expect(parameters.elementCount == 800 * 256 + 256 * 256 * 2 + 128 * 256 * 2 + 256 * 256 * 3 + 256 * 3)

        // attn.q is the input's norm through W_Q (widened here) before RoPE: at position 0 RoPE is the identity.
        let result = try loaded.model.forward([5, 9, 13])
        let normed = try #require(result.cache["blocks.0.ln1.out"])
        let q = try #require(result.cache["blocks.0.attn.q"])
        let first = Tensor(shape: [1, 256], scalars: Array(normed.scalars[0..<256]))
        for head in 0..<4 {
            let w = Tensor(shape: [256, 64], scalars: Array(wq.scalars[head * 256 * 64 ..< (head + 1) * 256 * 64]))
            let expected = matmul(first, w).scalars
            let got = Array(q.scalars[(head * 3) * 64 ..< (head * 3) * 64 + 64])
            let error = zip(expected, got).map { abs($0 - $1) / (1 + abs($1)) }.max()!
            #expect(error <= 1e-5, "head \(head): \(error)")
        }
        let perHead = try #require(result.cache["blocks.0.attn.result"])
        let out = try #require(result.cache["blocks.0.attn.out"])
        let (t, d) = (3, 256)
        // The heads' sum and the one product round differently (each kernel tier sums in its own
        // order), so the bound scales with the summands' size, as a float sum's rounding error does.
        for i in 0..<t * d {
            let terms = (0..<4).map { perHead.scalars[$0 * t * d + i] }
            let sum = terms.reduce(0, +), size = terms.reduce(0) { $0 + abs($1) }
            #expect(abs(sum - out.scalars[i]) <= 1e-5 * (1 + size), "\(i): \(sum) against \(out.scalars[i])")
        }
    }
}
