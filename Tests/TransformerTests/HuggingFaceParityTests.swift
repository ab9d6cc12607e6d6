import Foundation
import Testing
import Tensor
@testable import Transformer

/// The tiny GPT-2, Llama and BERT of `Tests/Fixtures/hf/`, saved by `transformers` and loaded through
/// `ModelDirectory.load`, reproduce the reference's numbers on the reference's own token ids:
/// logits within 1e-4 × (1 + |ref|), attention patterns within 1e-4, hidden states within
/// 1e-4 × (1 + |ref|).
@Suite struct HuggingFaceParity {
    static let tolerance: Float = 1e-4

    static func load(_ model: String) throws -> LoadedModel {
        try ModelDirectory.load(path: HuggingFaceFixtures.directory(model), name: model, tokenizer: .ifSupported)
    }

    @Test func fixturesCoverEveryModel() {
        let covered = Set(HuggingFaceFixtures.cases.map(\.model))
        #expect(covered == Set(HuggingFaceFixtures.models))
        #expect(HuggingFaceFixtures.cases.count >= 15)
    }

    @Test(arguments: HuggingFaceFixtures.cases)
    func matchesTransformers(_ reference: HuggingFaceFixtures.Case) throws {
        let loaded = try Self.load(reference.model)
        let errors = try HuggingFaceFixtures.compare(loaded, with: reference)
        print("parity \(reference): \(errors)")
        if let logits = errors.logits { #expect(logits <= Self.tolerance, "\(reference): logits differ by \(logits)") }
        #expect(errors.attention <= Self.tolerance, "\(reference): attention differs by \(errors.attention)")
        #expect(errors.hidden <= Self.tolerance, "\(reference): hidden states differ by \(errors.hidden)")
    }

    /// The mapping produces exactly the parameters `parameterShapes()` lists, under their names and shapes.
    @Test(arguments: HuggingFaceFixtures.models)
    func parametersAreTheConfigsSet(_ model: String) throws {
        let loaded = try Self.load(model)
        let expected = loaded.config.parameterShapes()
        #expect(loaded.model.parameters.names == expected.map(\.name).sorted())
        for parameter in expected {
            #expect(loaded.model.parameters[parameter.name]?.shape == parameter.shape, "\(model): \(parameter.name)")
        }
    }

    @Test func mapsEachConfig() throws {
        let gpt2 = try Self.load("tiny-gpt2")
        #expect(gpt2.format == .gpt2)
        #expect(gpt2.config.architecture == .decoder && gpt2.config.normPosition == .pre)
        #expect(gpt2.config.activation == .geluTanh && gpt2.config.tiedEmbeddings && gpt2.config.dFF == 256)
        #expect(gpt2.config.positional == .learned && gpt2.config.maxPositions == 128)

        let llama = try Self.load("tiny-llama")
        #expect(llama.format == .llama)
        #expect(llama.config.norm == .rmsNorm && llama.config.gatedMLP && llama.config.activation == .silu)
        #expect(llama.config.positional == .rope && llama.config.ropeTheta == 10000)
        #expect(llama.config.kvHeads == 2 && llama.config.headSize == 16 && llama.config.biases == .none)
        #expect(!llama.config.tiedEmbeddings && llama.config.bosTokenId == 1 && llama.config.normEps == 1e-6)

        let llama3 = try Self.load("tiny-llama3-rope")
        #expect(llama3.config.ropeScaling == .llama3(factor: 8, lowFrequencyFactor: 1, highFrequencyFactor: 4,
                                                     originalMaxPositions: 64))

        let qwen = try Self.load("tiny-qwen2")
        #expect(qwen.format == .qwen2 && qwen.config.tiedEmbeddings && qwen.config.ropeTheta == 1_000_000)
        // Biases on q, k and v from the file; o_proj and the MLP have none, so there is no b_O, b_in, b_out.
        #expect(qwen.config.biases == Biases(q: true, k: true, v: true))
        #expect(qwen.model.parameters["blocks.0.attn.b_Q"]!.scalars.contains { $0 != 0 })
        #expect(qwen.model.parameters["blocks.0.attn.b_O"] == nil && qwen.model.parameters["blocks.0.mlp.b_in"] == nil)

        let mistral = try Self.load("tiny-mistral")
        #expect(mistral.format == .mistral && mistral.config.biases == .none && mistral.config.kvHeads == 2)
        // The window (64) hides nothing from inputs no longer than it: those are the ones accepted.
        #expect(mistral.config.maxPositions == 64)
        #expect(throws: ModelError.self) { try mistral.model.forward(Array(repeating: 5, count: 65), recording: .none) }

        let roberta = try Self.load("tiny-roberta")
        #expect(roberta.format == .roberta && roberta.config.architecture == .encoder && roberta.config.normEps == 1e-5)
        // Positions start at row pad + 1 = 2 of the file's 130-row table: 128 usable; the table is
        // the parameter, all of it, as the file has it.
        #expect(roberta.config.maxPositions == 128 && roberta.config.typeVocabSize == 1 && roberta.config.pooler)
        #expect(roberta.config.positionOffset == 2 && roberta.model.parameters["pos_embed.W_pos"]?.shape == [130, 64])
        #expect(roberta.config.biases.q && roberta.config.biases.norm && !roberta.config.biases.lmHead)

        let bert = try Self.load("tiny-bert")
        #expect(bert.format == .bert)
        #expect(bert.config.architecture == .encoder && bert.config.normPosition == .post)
        #expect(bert.config.embeddingNorm && bert.config.typeVocabSize == 2 && bert.config.pooler)
        #expect(!bert.config.lmHead && bert.config.activation == .gelu && bert.config.normEps == 1e-12)
        #expect(bert.config.mask == .bidirectional)
    }

    /// GPT-2's default bos/eos id 50256 survives in a config trimmed to 500 tokens: a warning, not a refusal.
    @Test func warnsOfSpecialTokensOutsideTheVocabulary() throws {
        let loaded = try Self.load("tiny-gpt2")
        #expect(loaded.warnings.count == 2)
        #expect(loaded.warnings.allSatisfy { $0.contains("config.json") && $0.contains("50256") && $0.contains("outside the vocabulary") })
        #expect(loaded.config.bosTokenId == nil && loaded.config.eosTokenId == nil)
        #expect(try Self.load("tiny-llama").warnings.isEmpty)
    }

    /// The export of a run on the reference ids passes the shared checker.
    @Test(arguments: HuggingFaceFixtures.models)
    func exportPassesTheSharedChecker(_ model: String) throws {
        let loaded = try Self.load(model)
        let reference = try #require(HuggingFaceFixtures.cases.first { $0.model == model && $0.name == "accents" })
        let inspection = try Inspection(loaded, ids: reference.ids, text: reference.text)
        let directory = try TemporaryDirectory()
        let out = directory.file("export")
        try Exporter.write(inspection, loaded: loaded, to: out, display: loaded.tokenizer.display)
        let tokens = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/tokens.json"))) as! [String: Any]
        #expect(tokens["ids"] as? [Int] == reference.ids)
        #expect(tokens["tokens"] as? [String] == reference.tokens)
        Repository.expectExportPasses(out, what: "\(model)")
    }

    /// With the project's own tokenizer, the text gives the reference's ids and tokens, and the run on
    /// them matches the reference.
    @Test(arguments: HuggingFaceFixtures.models)
    func swiftTokenizerGivesTheReferenceIds(_ model: String) throws {
        let loaded = try ModelDirectory.load(path: HuggingFaceFixtures.directory(model), name: model)
        for reference in HuggingFaceFixtures.cases where reference.model == model {
            let tokens = loaded.tokenizer.encode(reference.text)
            #expect(tokens.map(\.id) == reference.ids, "\(reference): ids")
            #expect(tokens.map(\.text) == reference.tokens, "\(reference): tokens")
            let errors = try HuggingFaceFixtures.compare(loaded, with: reference)
            if let logits = errors.logits { #expect(logits <= Self.tolerance) }
            #expect(errors.attention <= Self.tolerance && errors.hidden <= Self.tolerance, "\(reference): \(errors)")
        }
    }
}
