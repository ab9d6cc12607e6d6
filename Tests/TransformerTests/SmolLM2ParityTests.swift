import Foundation
import Testing
import Tensor
@testable import Transformer

/// SmolLM2-135M-Instruct Q4_1, a real GGUF file, loaded through `ModelDirectory.load` (recognised by its
/// magic) from the file `EXPLORER_SMOLLM2_FILE` names (`Tests/Fixtures/gguf/fetch_smollm2.sh DIR` fetches
/// it; `.ci/run` does), against `Tests/Fixtures/gguf/reference-smollm2/` (`make_smollm2_reference.py`):
/// - token ids exactly those of the tokenizer transformers builds from the same file's metadata;
/// - the attention patterns of blocks 0, 15 and 29 within |a − b| ≤ 1e-5, and the last position's
///   logits within 2e-4 × (1 + |b|) (measured: 2e-6 and 3.4e-5), against an independent NumPy Llama forward pass in float64 over the
///   weights as the `gguf` package dequantizes them (transformers' model needs torch, not used here).
///   The weights are the same numbers (widening is bit-exact); the difference is float32 arithmetic
///   through 30 blocks.
/// Without the variable the test says it skipped, and fails when EXPLORER_REQUIRE_EXTERNAL_CHECKS=1.
@Suite struct SmolLM2Parity {
    static let patternTolerance: Float = 1e-5
    static let logitTolerance: Float = 2e-4
    static let referenceDirectory = Repository.path("Tests/Fixtures/gguf/reference-smollm2")

    static var modelFile: String? {
        ProcessInfo.processInfo.environment["EXPLORER_SMOLLM2_FILE"].flatMap { $0.isEmpty ? nil : $0 }
    }

    struct Case: Decodable {
        let text: String
        let ids: [Int]
        let tokens: [String]
    }

    static func cases() throws -> [(name: String, reference: Case)] {
        let names = try FileManager.default.contentsOfDirectory(atPath: referenceDirectory).sorted()
        return try names.map { name in
            let data = try Data(contentsOf: URL(fileURLWithPath: "\(referenceDirectory)/\(name)/case.json"))
            return (name, try JSONDecoder().decode(Case.self, from: data))
        }
    }

    @Test func referenceCases() throws {
        let cases = try Self.cases()
        #expect(cases.count == 5)
        #expect(cases.contains { $0.reference.text.contains("東京") && $0.reference.text.contains("🙂") })
        #expect(cases.contains { $0.reference.text.contains("\t") && $0.reference.text.contains("  ") })
    }

    @Test func matchesTheReference() throws {
        guard let path = Self.modelFile else {
            Repository.skipped("EXPLORER_SMOLLM2_FILE is not set: the SmolLM2 GGUF parity test (fetch it with Tests/Fixtures/gguf/fetch_smollm2.sh DIR)")
            return
        }
        let loaded = try ModelDirectory.load(path: path)
        let config = loaded.config
        #expect(loaded.format == .llama)
        #expect(config.nLayers == 30 && config.dModel == 576 && config.nHeads == 9 && config.kvHeads == 3)
        #expect(config.vocabSize == 49152 && config.tiedEmbeddings)
        // What the file holds: every tensor's elements, and the count from the config agree.
        let file = try GGUF.open(path: path)
        #expect(file.tensors.reduce(0) { $0 + $1.count } == 134_515_008)
        #expect(try ParameterReport(config: config, name: "smollm2").total == 134_515_008)
        #expect(loaded.model.parameters.elementCount == 134_515_008)

        for (name, reference) in try Self.cases() {
            let ids = loaded.tokenizer.encode(reference.text).map(\.id)
            #expect(ids == reference.ids, "\(name): token ids differ from transformers'")
            let result = try loaded.model.forward(reference.ids, recording: HookFilter(parsing: "blocks.*.attn.pattern,logits"))
            var worstPattern: Float = 0
            for layer in [0, 15, 29] {
                let expected = try NPY.read(path: "\(Self.referenceDirectory)/\(name)/blocks.\(layer).attn.pattern.npy")
                let actual = try #require(result.cache["blocks.\(layer).attn.pattern"])
                #expect(actual.shape == expected.shape)
                worstPattern = max(worstPattern, zip(actual.scalars, expected.scalars).map { abs($0 - $1) }.max() ?? .infinity)
            }
            let expectedLogits = try NPY.read(path: "\(Self.referenceDirectory)/\(name)/last_logits.npy").scalars
            let logits = try #require(result.logits)
            let all = logits.scalars
            let last = Array(all[((reference.ids.count - 1) * config.vocabSize)...])
            let worstLogit = zip(last, expectedLogits).map { abs($0 - $1) / (1 + abs($1)) }.max() ?? .infinity
            print("parity SmolLM2/\(name) (\(ids.count) tokens): pattern \(worstPattern), logits \(worstLogit) × (1 + |ref|)")
            #expect(worstPattern <= Self.patternTolerance, "\(name): attention differs by \(worstPattern)")
            #expect(worstLogit <= Self.logitTolerance, "\(name): logits differ by \(worstLogit) × (1 + |ref|)")
            #expect(last.indices.max { last[$0] < last[$1] } == expectedLogits.indices.max { expectedLogits[$0] < expectedLogits[$1] })
        }
    }

    struct GenerationCase: Decodable {
        let prompt: String
        let prompt_ids: [Int]
        let ids: [Int]
        let margins: [Double]
    }

    /// Greedy generation of 16 tokens with the KV cache gives exactly the ids of the reference, which
    /// reruns a float64 forward over the whole sequence for every token
    /// (`make_smollm2_generation_reference.py`). The smallest gap between the two largest logits
    /// there is 0.14, far above the float32 error measured above, so the ids must be equal.
    @Test func greedyGenerationMatchesTheReference() throws {
        guard let path = Self.modelFile else {
            Repository.skipped("EXPLORER_SMOLLM2_FILE is not set: the SmolLM2 GGUF generation test")
            return
        }
        let loaded = try ModelDirectory.load(path: path)
        let data = try Data(contentsOf: URL(fileURLWithPath: Repository.path("Tests/Fixtures/gguf/reference-smollm2-generation.json")))
        let cases = try JSONDecoder().decode([GenerationCase].self, from: data)
        #expect(cases.count == 2)
        for reference in cases {
            #expect(loaded.tokenizer.encode(reference.prompt).map(\.id) == reference.prompt_ids)
            let generation = try loaded.model.generate(reference.prompt_ids, maxTokens: 16, settings: SamplingSettings(temperature: 0),
                                                       seed: 0, options: GenerationOptions(stopIds: []))
            #expect(generation.ids == reference.ids, "\(reference.prompt): \(generation.ids) against \(reference.ids)")
        }
    }

    /// The chat template comes from the file's `tokenizer.chat_template` metadata: ChatML for SmolLM2.
    @Test func chatTemplateFromTheMetadata() throws {
        guard let path = Self.modelFile else {
            Repository.skipped("EXPLORER_SMOLLM2_FILE is not set: the SmolLM2 chat template test")
            return
        }
        let template = try #require(try ChatFormat.template(ofModelAt: path))
        #expect(ChatFormat.detect(template: template) == .chatML)
        #expect(try ChatFormat.template(ofModelAt: Repository.path("Tests/Fixtures/gguf/tiny-llama.gguf")) == nil)
    }
}
