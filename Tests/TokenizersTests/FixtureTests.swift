import Foundation
import Testing
@testable import Tokenizers

/// Every fixture tokenizer, in both file formats, against Hugging Face's own results on the tricky
/// strings: ids and tokens exactly (tokens compared scalar by scalar), with and without special
/// tokens, and the decoded text with special tokens skipped and kept.
@Suite struct ReferenceTokenizers {
    @Test(arguments: Fixtures.tokenizers.map(\.directory))
    func matchesHuggingFaceExactly(_ directory: String) throws {
        let referenceName = Fixtures.tokenizers.first { $0.directory == directory }!.reference
        let tokenizer = try Fixtures.load(directory)
        let cases = try #require(Fixtures.expected(referenceName)["tricky"]?.array)
        #expect(cases.count == Fixtures.strings.count)
        var matched = 0
        for (text, expected) in zip(Fixtures.strings, cases) {
            let ids = expected["ids"]!.array!.map { $0.int! }
            let tokens = expected["tokens"]!.array!.map { $0.string! }
            let plainIDs = expected["ids_no_special"]!.array!.map { $0.int! }
            let plainTokens = expected["tokens_no_special"]!.array!.map { $0.string! }
            let decoded = expected["decoded"]!.string!
            let decodedWithSpecial = expected["decoded_with_special"]!.string!

            let encoded = tokenizer.encode(text)
            let plain = tokenizer.encode(text, addSpecialTokens: false)
            let ok = encoded.map(\.id) == ids && scalars(encoded.map(\.text)) == scalars(tokens)
                && plain.map(\.id) == plainIDs && scalars(plain.map(\.text)) == scalars(plainTokens)
                && scalars(tokenizer.decode(ids)) == scalars(decoded)
                && scalars(tokenizer.decode(ids, skipSpecialTokens: false)) == scalars(decodedWithSpecial)
            if ok {
                matched += 1
            } else {
                Issue.record("""
                    \(directory) on "\(escaped(text))":
                      ids      \(encoded.map(\.id)) expected \(ids)
                      tokens   \(encoded.map { escaped($0.text) }) expected \(tokens.map(escaped))
                      decoded  "\(escaped(tokenizer.decode(ids)))" expected "\(escaped(decoded))"
                      with special "\(escaped(tokenizer.decode(ids, skipSpecialTokens: false)))" expected "\(escaped(decodedWithSpecial))"
                    """)
            }
        }
        #expect(matched == Fixtures.strings.count, "\(directory): \(matched) of \(Fixtures.strings.count) strings match")
    }

    @Test func bothFileFormatsGiveTheSameTokenizer() throws {
        for (json, files) in [("gpt2", "gpt2-files"), ("bert", "bert-files")] {
            let a = try Fixtures.load(json), b = try Fixtures.load(files)
            #expect(a.vocabularySize == b.vocabularySize)
            for id in 0..<a.vocabularySize {
                #expect(a.token(for: id).map(scalars) == b.token(for: id).map(scalars))
            }
            #expect(a.tokenDisplay == b.tokenDisplay)
        }
    }
}

/// Random strings of awkward characters, against the reference's ids and its decoding with
/// special tokens kept.
@Suite struct ReferenceRandomStrings {
    @Test(arguments: Fixtures.tokenizers.map(\.directory))
    func matchesHuggingFaceExactly(_ directory: String) throws {
        let referenceName = Fixtures.tokenizers.first { $0.directory == directory }!.reference
        let tokenizer = try Fixtures.load(directory)
        let strings = Fixtures.randomStrings
        let cases = try #require(Fixtures.expected(referenceName)["random"]?.array)
        #expect(strings.count == cases.count && strings.count >= 100)
        for (text, expected) in zip(strings, cases) {
            let ids = expected["ids"]!.array!.map { $0.int! }
            let decoded = expected["decoded"]!.string!
            #expect(tokenizer.encode(text).map(\.id) == ids, "\(directory) on \"\(escaped(text))\"")
            #expect(scalars(tokenizer.decode(ids, skipSpecialTokens: false)) == scalars(decoded),
                    "\(directory) decoding \(ids)")
        }
    }
}
