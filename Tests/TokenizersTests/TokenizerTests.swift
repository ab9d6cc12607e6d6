import Foundation
import Testing
@testable import Tokenizers

@Suite struct PipelineStages {
    @Test func whitespacePreTokenizerSplitsWordsAndPunctuation() {
        let split = WhitespacePreTokenizer().split
        #expect(split("the animal didn't cross") == ["the", "animal", "didn", "'", "t", "cross"])
        #expect(split("  tabs\tand\nnewlines  ") == ["tabs", "and", "newlines"])
        #expect(split("wait...what?!") == ["wait", "...", "what", "?!"])
        // Letters with combining accents and CJK are word characters; an emoji is not.
        #expect(split("cafe\u{301} 東京🙂") == ["cafe\u{301}", "東京", "🙂"])
        #expect(split("x_1 = 2.5") == ["x_1", "=", "2", ".", "5"])
    }

    @Test func normalizers() {
        #expect(Lowercase().normalize("The ÉCOLE") == "the école")
        #expect(NormalizerSequence([UnicodeNormalizer(.nfd), StripAccents()]).normalize("café naïve") == "cafe naive")
        #expect(Replace(pattern: " ", content: "▁").normalize("a b") == "a▁b")
        #expect(Prepend("▁").normalize("hi") == "▁hi")
        #expect(Prepend("▁").normalize("") == "")
    }

    @Test func vocabularyKeepsCanonicallyEquivalentEntriesApart() {
        let vocabulary = Vocabulary([("caf\u{E9}", 0), ("cafe\u{301}", 1)])
        #expect(vocabulary.id(for: "caf\u{E9}") == 0)
        #expect(vocabulary.id(for: "cafe\u{301}") == 1)
    }
}

@Suite struct TokenizerFromJSON {
    static let json = """
    {
      "version": "1.0",
      "added_tokens": [
        {"id": 0, "content": "[UNK]", "special": true}, {"id": 1, "content": "[CLS]", "special": true},
        {"id": 2, "content": "[SEP]", "special": true}, {"id": 3, "content": "[MASK]", "special": true}
      ],
      "normalizer": {"type": "Lowercase"},
      "pre_tokenizer": {"type": "Whitespace"},
      "post_processor": {
        "type": "TemplateProcessing",
        "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                   {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
        "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [1], "tokens": ["[CLS]"]},
                           "[SEP]": {"id": "[SEP]", "ids": [2], "tokens": ["[SEP]"]}}
      },
      "decoder": null,
      "model": {"type": "WordLevel", "vocab": {"[UNK]": 0, "[CLS]": 1, "[SEP]": 2, "[MASK]": 3, "the": 4, "cat": 5, "sat": 6, ".": 7},
                "unk_token": "[UNK]"}
    }
    """

    static func load(_ text: String = json) throws -> Tokenizer {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tok-\(UUID()).json").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try TokenizerJSON.load(path: path)
    }

    @Test func encodesWithSpecialTokensAndUnknowns() throws {
        let tokenizer = try Self.load()
        let tokens = tokenizer.encode("The cat SAT on [MASK].")
        #expect(tokens.map(\.text) == ["[CLS]", "the", "cat", "sat", "[UNK]", "[MASK]", ".", "[SEP]"])
        #expect(tokens.map(\.id) == [1, 4, 5, 6, 0, 3, 7, 2])
        #expect(tokenizer.encode("the", addSpecialTokens: false).map(\.id) == [4])
    }

    @Test func badFilesGiveClearErrors() throws {
        do {
            _ = try Self.load("{oops")
            Issue.record("broken JSON must not load")
        } catch let error as TokenizerError {
            #expect(error.reason == "not valid JSON")
            #expect(error.description.hasSuffix(".json: not valid JSON"))
        }
        do {
            _ = try Self.load(#"{"model": {"type": "Unigram"}}"#)
            Issue.record("an unsupported model must not load")
        } catch let error as TokenizerError {
            #expect(error.reason == "unsupported tokenizer model \"Unigram\"")
        }
    }
}
