import Foundation
import Testing
@testable import Tokenizers

@Suite struct BPEModel {
    static func vocabulary(_ tokens: [String]) -> Vocabulary { Vocabulary(tokens.enumerated().map { ($1, $0) }) }

    @Test func mergesLowestRankFirstLeftmostAmongEquals() throws {
        let bpe = try BPE(vocabulary: Self.vocabulary(["a", "b", "c", "ab", "bc", "abc", "aa"]),
                          merges: [("b", "c"), ("a", "b"), ("a", "bc"), ("a", "a")])
        // "bc" has the best rank, so "abc" is a + bc, then abc.
        #expect(bpe.tokenize("abc").map(\.text) == ["abc"])
        #expect(bpe.tokenize("abab").map(\.text) == ["ab", "ab"])
        // Equal ranks: the leftmost pair first ("aaa" → "aa" "a", not "a" "aa").
        #expect(bpe.tokenize("aaa").map(\.text) == ["aa", "a"])
        #expect(bpe.tokenize("").isEmpty)
    }

    @Test func unknownCharactersFuseOrNotAndFallBackToBytes() throws {
        let vocab = Self.vocabulary(["<unk>", "a", "<0xC3>", "<0xA9>"])
        let plain = try BPE(vocabulary: vocab, merges: [], unknownToken: "<unk>")
        #expect(plain.tokenize("axya").map(\.text) == ["a", "<unk>", "<unk>", "a"])
        let fused = try BPE(vocabulary: vocab, merges: [], unknownToken: "<unk>", fuseUnknown: true)
        #expect(fused.tokenize("axya").map(\.text) == ["a", "<unk>", "a"])
        let bytes = try BPE(vocabulary: vocab, merges: [], unknownToken: "<unk>", fuseUnknown: true, byteFallback: true)
        // é is C3 A9, both present; ü (C3 BC) lacks BC, so it is unknown.
        #expect(bytes.tokenize("aéü").map(\.text) == ["a", "<0xC3>", "<0xA9>", "<unk>"])
        let none = try BPE(vocabulary: vocab, merges: [])
        #expect(none.tokenize("axa").map(\.text) == ["a", "a"])
        #expect(BPE.byteToken(0x0A) == "<0x0A>")
    }

    @Test func ignoreMergesTakesAWholeWordFromTheVocabulary() throws {
        let vocab = Self.vocabulary(["a", "b", "c", "ab", "abc"])
        let merges = [("a", "b")]
        #expect(try BPE(vocabulary: vocab, merges: merges).tokenize("abc").map(\.text) == ["ab", "c"])
        #expect(try BPE(vocabulary: vocab, merges: merges, ignoreMerges: true).tokenize("abc").map(\.text) == ["abc"])
    }

    @Test func continuingPrefixAndEndOfWordSuffix() throws {
        let prefixed = try BPE(vocabulary: Self.vocabulary(["l", "##o", "##w", "##ow", "low"]),
                               merges: [("##o", "##w"), ("l", "##ow")], continuingSubwordPrefix: "##")
        #expect(prefixed.tokenize("low").map(\.text) == ["low"])
        let suffixed = try BPE(vocabulary: Self.vocabulary(["l", "o", "w</w>", "ow</w>", "low</w>"]),
                               merges: [("o", "w</w>"), ("l", "ow</w>")], endOfWordSuffix: "</w>")
        #expect(suffixed.tokenize("low").map(\.text) == ["low</w>"])
        #expect(BPEDecoder().decode(["lo", "w</w>", "low</w>"]) == "low low")
    }

    @Test func badMergesAreNamed() {
        #expect(throws: BPE.InvalidMerge(line: 1, token: "ab")) {
            try BPE(vocabulary: Self.vocabulary(["a", "b"]), merges: [("a", "b")])
        }
    }

    @Test func canonicallyEquivalentWordsStayApart() throws {
        // "é" precomposed is one character of the vocabulary; "e" + U+0301 is two.
        let bpe = try BPE(vocabulary: Self.vocabulary(["caf", "\u{E9}", "e", "\u{301}", "c", "a", "f"]), merges: [])
        #expect(bpe.tokenize("caf\u{E9}").count == 4)
        #expect(bpe.tokenize("cafe\u{301}").map(\.text).map(scalars) == ["c", "a", "f", "e", "\u{301}"].map(scalars))
        // The cache is keyed by scalars too: asking again gives the same.
        #expect(bpe.tokenize("cafe\u{301}").count == 5)
        #expect(bpe.tokenize("caf\u{E9}").count == 4)
    }
}

@Suite struct WordPieceModel {
    let model = WordPiece(vocabulary: Vocabulary(["[UNK]", "play", "##ing", "##s", "p", "##lay", "un"].enumerated().map { ($1, $0) }))

    @Test func greedyLongestMatchFirst() {
        #expect(model.tokenize("playing").map(\.text) == ["play", "##ing"])
        #expect(model.tokenize("plays").map(\.text) == ["play", "##s"])
        // One piece missing makes the whole word unknown.
        #expect(model.tokenize("playx").map(\.text) == ["[UNK]"])
        #expect(model.tokenize("unplay").map(\.text) == ["[UNK]"])
    }

    @Test func wordsLongerThanTheLimitAreUnknown() {
        let long = "play" + String(repeating: "s", count: 96)
        #expect(long.unicodeScalars.count == 100)
        #expect(WordPiece(vocabulary: model.vocabulary, maxInputCharactersPerWord: 100).tokenize(long + "s").map(\.text) == ["[UNK]"])
        #expect(WordPiece(vocabulary: Vocabulary([("[UNK]", 0), ("a", 1), ("##a", 2)]))
            .tokenize(String(repeating: "a", count: 100)).count == 100)
    }

    @Test func decoderJoinsContinuationsAndCleansUp() {
        #expect(WordPieceDecoder().decode(["play", "##ing", "isn", "'", "t", "fun", "."]) == "playing isn ' t fun.")
        #expect(WordPieceDecoder(cleanup: false).decode(["a", "##b", "."]) == "ab .")
    }
}
