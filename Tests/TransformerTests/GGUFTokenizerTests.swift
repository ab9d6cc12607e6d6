import Foundation
import Testing
@testable import Tokenizers
@testable import Transformer

/// The tokenizers of Tests/Fixtures/gguf/tokenizers/ (small vocabularies written as GGUF metadata by the
/// `gguf` package) give exactly the ids transformers' GGUF tokenizer conversion gives on the tricky
/// strings of Tests/Fixtures/tokenizers/strings.json (make_gguf_tokenizer_fixtures.py): byte-level BPE
/// under every `tokenizer.ggml.pre` split pattern, and SentencePiece-style BPE with byte fallback whose
/// merges are recovered from the scores.
@Suite struct GGUFTokenizerParity {
    struct Expected: Decodable {
        let strings: [String]
        let gpt2: [String: [[Int]]]
        let llama: [String: [[Int]]]
    }

    static let directory = Repository.path("Tests/Fixtures/gguf/tokenizers")

    static func expected() throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: Data(contentsOf: URL(fileURLWithPath: "\(directory)/expected.json")))
    }

    @Test(arguments: ["default", "gpt-2", "smollm", "llama-bpe", "qwen2", "tekken"])
    func byteLevelUnderEverySplitPattern(pre: String) throws {
        let expected = try Self.expected()
        let file = try GGUF.open(path: "\(Self.directory)/gpt2.gguf")
        var vocabulary = try GGUFTokenizer.vocabulary(file)
        vocabulary.pre = pre
        let tokenizer = try GGUFTokenizer.tokenizer(vocabulary, file: file)
        let ids = try #require(expected.gpt2[pre])
        #expect(expected.strings.count >= 50)
        for (text, reference) in zip(expected.strings, ids) {
            #expect(tokenizer.encode(text).map(\.id) == reference, "pre \(pre): \(text.debugDescription)")
        }
    }

    @Test func sentencePieceWithByteFallbackAndMergesFromScores() throws {
        let expected = try Self.expected()
        let file = try GGUF.open(path: "\(Self.directory)/llama.gguf")
        #expect(file.metadata["tokenizer.ggml.merges"] == nil)
        let tokenizer = try GGUFTokenizer.tokenizer(file)
        let ids = try #require(expected.llama["default"])
        for (text, reference) in zip(expected.strings, ids) {
            #expect(tokenizer.encode(text).map(\.id) == reference, "\(text.debugDescription)")
        }
        #expect(ids.contains { $0.count > 1 && $0[0] == 1 })                 // BOS added, as add_bos_token says
    }

    @Test func splitPatternsDifferWhereTheyShould() throws {
        let expected = try Self.expected()
        // Digits: Llama 3 groups up to three, Qwen2 one at a time; the tricky strings hold numbers.
        #expect(expected.gpt2["llama-bpe"] != expected.gpt2["qwen2"])
        #expect(expected.gpt2["default"] == expected.gpt2["smollm"])
    }

    @Test func badTokenizerMetadataIsAnErrorNamingTheFile() throws {
        let file = try GGUF.open(path: "\(Self.directory)/gpt2.gguf")
        var vocabulary = try GGUFTokenizer.vocabulary(file)
        vocabulary.model = "bert"
        #expect(throws: ModelError.badFile(path: file.path, reason: "tokenizer.ggml.model \"bert\" is not supported (gpt2 and llama are)")) {
            try GGUFTokenizer.tokenizer(vocabulary, file: file)
        }
        vocabulary.model = "gpt2"
        vocabulary.merges = ["nospace"]
        #expect(throws: ModelError.badFile(path: file.path, reason: "tokenizer.ggml.merges[0] \"nospace\" is not two tokens separated by a space")) {
            try GGUFTokenizer.tokenizer(vocabulary, file: file)
        }
        vocabulary.merges = []
        vocabulary.bosTokenId = 1_000_000
        #expect(throws: ModelError.self) { try GGUFTokenizer.tokenizer(vocabulary, file: file) }
    }
}
