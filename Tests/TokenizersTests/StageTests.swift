import Foundation
import Testing
@testable import Tokenizers

/// Single stages against Hugging Face's, on the same tricky strings (`stages.json`).
@Suite struct ReferenceStages {
    static let normalizers: [(String, any Normalizer)] = [
        ("bert_uncased", BertNormalizer(lowercase: true)),
        ("bert_cased", BertNormalizer(lowercase: false)),
        ("bert_lower_keep_accents", BertNormalizer(stripAccents: false, lowercase: true)),
        ("bert_no_chinese", BertNormalizer(cleanText: false, handleChineseCharacters: false)),
        ("lowercase", Lowercase()),
        ("nfkc", UnicodeNormalizer(.nfkc)),
        ("nfd_strip", NormalizerSequence([UnicodeNormalizer(.nfd), StripAccents()])),
    ]

    static let preTokenizers: [(String, any PreTokenizer)] = [
        ("byte_level", ByteLevelPreTokenizer(addPrefixSpace: false)),
        ("byte_level_prefix", ByteLevelPreTokenizer(addPrefixSpace: true)),
        ("byte_level_no_regex", ByteLevelPreTokenizer(addPrefixSpace: false, useRegex: false)),
        ("bert", BertPreTokenizer()),
        ("metaspace_always", Metaspace(prependScheme: .always, split: true)),
        ("metaspace_first_nosplit", Metaspace(prependScheme: .first, split: false)),
        ("metaspace_never", Metaspace(prependScheme: .never, split: true)),
        ("whitespace", WhitespacePreTokenizer()),
        ("whitespace_split", WhitespaceSplit()),
        ("split_llama3", try! Split(pattern: .regex(llama3Pattern), behavior: .isolated)),
        ("split_space_removed", try! Split(pattern: .string(" "), behavior: .removed)),
        ("split_dash_previous", try! Split(pattern: .string("-"), behavior: .mergedWithPrevious)),
        ("split_dash_next", try! Split(pattern: .string("-"), behavior: .mergedWithNext)),
        ("split_dash_contiguous", try! Split(pattern: .string("-"), behavior: .contiguous)),
        ("split_words_inverted", try! Split(pattern: .regex(#"\w+"#), behavior: .isolated, invert: true)),
        ("punctuation", Punctuation()),
        ("digits", Digits(individualDigits: false)),
        ("digits_individual", Digits(individualDigits: true)),
    ]

    static let llama3Pattern = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    static let decoders: [(String, any TokenDecoder)] = [
        ("metaspace_always", MetaspaceDecoder(prependScheme: .always)),
        ("metaspace_never", MetaspaceDecoder(prependScheme: .never)),
        ("byte_fallback", ByteFallbackDecoder()),
        ("wordpiece", WordPieceDecoder(prefix: "##", cleanup: true)),
        ("wordpiece_no_cleanup", WordPieceDecoder(prefix: "##", cleanup: false)),
        ("bpe_suffix", BPEDecoder(suffix: "</w>")),
        ("fuse", FuseDecoder()),
        ("strip_space_1_1", StripDecoder(content: " ", start: 1, stop: 1)),
        ("replace", ReplaceDecoder(pattern: "▁", content: " ")),
        ("llama", DecoderSequence([ReplaceDecoder(pattern: "▁", content: " "), ByteFallbackDecoder(), FuseDecoder(),
                                   StripDecoder(content: " ", start: 1, stop: 0)])),
    ]

    @Test(arguments: normalizers.map(\.0))
    func normalizer(_ name: String) throws {
        let stage = Self.normalizers.first { $0.0 == name }!.1
        let expected = try #require(Fixtures.stages["normalizers"]?[name]?.array).map { $0.string! }
        for (text, want) in zip(Fixtures.strings, expected) {
            let got = stage.normalize(text)
            #expect(scalars(got) == scalars(want), "\(name) on \"\(escaped(text))\": \"\(escaped(got))\" expected \"\(escaped(want))\"")
        }
    }

    @Test(arguments: preTokenizers.map(\.0))
    func preTokenizer(_ name: String) throws {
        let stage = Self.preTokenizers.first { $0.0 == name }!.1
        let expected = try #require(Fixtures.stages["pre_tokenizers"]?[name]?.array).map { $0.array!.map { $0.string! } }
        for (text, want) in zip(Fixtures.strings, expected) {
            let got = stage.split(text, atStart: true).filter { !$0.unicodeScalars.isEmpty }
            #expect(scalars(got) == scalars(want), "\(name) on \"\(escaped(text))\": \(got.map(escaped)) expected \(want.map(escaped))")
        }
    }

    @Test(arguments: decoders.map(\.0))
    func decoder(_ name: String) throws {
        let stage = Self.decoders.first { $0.0 == name }!.1
        let inputs = try #require(Fixtures.stages["decoders"]?["inputs"]?.array).map { $0.array!.map { $0.string! } }
        let expected = try #require(Fixtures.stages["decoders"]?[name]?.array).map { $0.string! }
        for (tokens, want) in zip(inputs, expected) {
            let got = stage.decode(tokens)
            #expect(scalars(got) == scalars(want), "\(name) on \(tokens.map(escaped)): \"\(escaped(got))\" expected \"\(escaped(want))\"")
        }
    }
}
