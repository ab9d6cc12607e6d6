import Foundation
import Testing
import Tensor
@testable import Transformer

/// all-MiniLM-L6-v2, a real BERT, loaded through `ModelDirectory.load` from the directory that
/// `EXPLORER_MINILM_DIR` names (`Tests/Fixtures/hf/fetch_minilm.sh` fetches it; `.ci/run` does),
/// reproduces `transformers`' BertModel on the committed reference ids (`make_minilm_reference.py`):
/// every attention pattern within 1e-4, hidden states within 1e-4 × (1 + |ref|). Without the
/// variable the test says it skipped, and fails when EXPLORER_REQUIRE_EXTERNAL_CHECKS=1.
@Suite struct MiniLMParity {
    static let tolerance: Float = 1e-4
    static let cases = HuggingFaceFixtures.cases(under: Repository.path("Tests/Fixtures/hf")).filter {
        $0.model == "all-MiniLM-L6-v2"
    }

    static var modelDirectory: String? {
        ProcessInfo.processInfo.environment["EXPLORER_MINILM_DIR"].flatMap { $0.isEmpty ? nil : $0 }
    }

    @Test func referenceCases() {
        #expect(Self.cases.count >= 3)
        #expect(Self.cases.contains { $0.text.contains("'") && $0.text.contains(",") })
    }

    @Test func matchesTransformers() throws {
        guard let directory = Self.modelDirectory else {
            Repository.skipped("EXPLORER_MINILM_DIR is not set: the all-MiniLM-L6-v2 parity test (fetch it with Tests/Fixtures/hf/fetch_minilm.sh DIR)")
            return
        }
        let loaded = try ModelDirectory.load(path: directory, name: "all-MiniLM-L6-v2", tokenizer: .ifSupported)
        #expect(loaded.format == .bert)
        #expect(loaded.config.nLayers == 6 && loaded.config.dModel == 384 && loaded.config.nHeads == 12)
        #expect(loaded.config.pooler && loaded.config.lmHead == false)
        for reference in Self.cases {
            #expect(reference.tokens == reference.ids.map { loaded.tokenizer.token(for: $0) ?? "?" },
                    "\(reference.name): the vocabulary names the ids as the reference's tokenizer did")
            let errors = try HuggingFaceFixtures.compare(loaded, with: reference)
            print("parity all-MiniLM-L6-v2/\(reference.name) (\(reference.ids.count) tokens): \(errors)")
            #expect(errors.logits == nil)
            #expect(errors.attention <= Self.tolerance, "\(reference.name): attention differs by \(errors.attention)")
            #expect(errors.hidden <= Self.tolerance, "\(reference.name): hidden states differ by \(errors.hidden)")
        }
    }
}
