import Foundation
import Testing
@testable import Tokenizers

@Suite struct ByteLevelStages {
    @Test func alphabetMapsEveryByteToAPrintableCharacter() {
        #expect(ByteLevelAlphabet.characters.count == 256)
        #expect(Set(ByteLevelAlphabet.characters).count == 256)
        #expect(ByteLevelAlphabet.characters[0x20] == "Ġ")
        #expect(ByteLevelAlphabet.characters[0x0A] == "Ċ")
        #expect(ByteLevelAlphabet.characters[Int(UInt8(ascii: "A"))] == "A")
        #expect(ByteLevelAlphabet.encode(" café") == "ĠcafÃ©")
        #expect(ByteLevelAlphabet.decode("ĠcafÃ©") == Array(" café".utf8))
        #expect(ByteLevelAlphabet.decode("€") == nil)
    }

    @Test func gpt2PatternSplitsLikeTheRegularExpression() {
        func split(_ text: String) -> [String] {
            let s = Array(text.unicodeScalars)
            return GPT2Pattern.matches(s).map { String(scalars: s[$0]) }
        }
        #expect(split("Hello world") == ["Hello", " world"])
        #expect(split("a   b") == ["a", "  ", " b"])
        #expect(split("end  ") == ["end", "  "])
        #expect(split("I'll don't it'S") == ["I", "'ll", " don", "'t", " it", "'", "S"])
        #expect(split("x=3.14!") == ["x", "=", "3", ".", "14", "!"])
        #expect(split(" \n\nb") == [" \n", "\n", "b"])
        // Scalars, not characters: the combining accent is not a letter.
        #expect(split("cafe\u{301}") == ["cafe", "\u{301}"])
        #expect(split("東京 tower") == ["東京", " tower"])
    }

    @Test func preTokenizerAddsAPrefixSpaceOnlyWhenAsked() {
        #expect(ByteLevelPreTokenizer(addPrefixSpace: false).split("hi there") == ["hi", "Ġthere"])
        #expect(ByteLevelPreTokenizer(addPrefixSpace: true).split("hi there") == ["Ġhi", "Ġthere"])
        #expect(ByteLevelPreTokenizer(addPrefixSpace: true).split(" hi") == ["Ġhi"])
        #expect(ByteLevelPreTokenizer(addPrefixSpace: false, useRegex: false).split("hi there") == ["hiĠthere"])
        #expect(ByteLevelPreTokenizer().split("").isEmpty)
    }

    @Test func decoderJoinsBytesAcrossTokens() {
        // 👍 is F0 9F 91 8D: split across two tokens, whole again when decoded together.
        let tokens = ["ðŁ", "ĳį", "Ġok"]
        #expect(ByteLevelDecoder().decode(tokens) == "👍 ok")
        #expect(ByteLevelDecoder().decode(["ðŁ"]) == "\u{FFFD}")
        #expect(ByteLevelDecoder().decode(["<|endoftext|>", "Ġa"]) == "<|endoftext|> a")
    }
}

@Suite struct BertStages {
    @Test func normalizerCleansSpacesChineseAccentsAndCase() {
        let bert = BertNormalizer()
        #expect(bert.normalize("Héllo\tWorld\u{0}\u{200B}!") == "hello world!")
        #expect(bert.normalize("東京abc") == " 東  京 abc")
        #expect(scalars(bert.normalize("cafe\u{301} CAFÉ")) == scalars("cafe cafe"))
        #expect(BertNormalizer(stripAccents: false).normalize("CAFÉ") == "café")
        #expect(BertNormalizer(lowercase: false).normalize("CAFÉ") == "CAFÉ")
        // Punctuation and controls assigned after Unicode 8.0 are not BERT's.
        #expect(BertPreTokenizer().split("a\u{2E42}b") == ["a", "\u{2E42}", "b"])
        #expect(BertPreTokenizer().split("a\u{2E43}b") == ["a\u{2E43}b"])
    }

    @Test func preTokenizerIsolatesPunctuation() {
        #expect(BertPreTokenizer().split("$5.00! a^b~c") == ["$", "5", ".", "00", "!", "a", "^", "b", "~", "c"])
        #expect(BertPreTokenizer().split("don't  stop\n") == ["don", "'", "t", "stop"])
    }
}

@Suite struct MetaspaceStages {
    @Test func replacesSpacesPrependsAndSplits() {
        #expect(Metaspace().split("Hey   friend!") == ["▁Hey", "▁", "▁", "▁friend!"])
        #expect(Metaspace().split(" already") == ["▁already"])
        #expect(Metaspace(prependScheme: .never).split("a b") == ["a", "▁b"])
        #expect(Metaspace(prependScheme: .first, split: false).split("a b", atStart: true) == ["▁a▁b"])
        #expect(Metaspace(prependScheme: .first, split: false).split("a b", atStart: false) == ["a▁b"])
        #expect(Metaspace(prependScheme: .always).split("a b", atStart: false) == ["▁a", "▁b"])
    }

    @Test func decoderDropsTheFirstTokensMarker() {
        #expect(MetaspaceDecoder().decode(["▁Hey", "▁friend"]) == "Hey friend")
        #expect(MetaspaceDecoder(prependScheme: .never).decode(["▁Hey", "▁friend"]) == " Hey friend")
    }

    @Test func llamaDecodersAssembleByteTokens() {
        let llama = DecoderSequence([ReplaceDecoder(pattern: "▁", content: " "), ByteFallbackDecoder(), FuseDecoder(),
                                     StripDecoder(content: " ", start: 1, stop: 0)])
        #expect(llama.decode(["▁", "<0xE6>", "<0x9D>", "<0xB1>", "京", "▁is"]) == "東京 is")
        // An incomplete character: one U+FFFD per byte.
        #expect(ByteFallbackDecoder().decode(["<0xE6>", "<0x9D>", "a"]) == "\u{FFFD}\u{FFFD}a")
        #expect(ByteFallbackDecoder.byte(of: "<0x4a>") == 0x4A)
        #expect(ByteFallbackDecoder.byte(of: "<0x4A") == nil)
    }
}

@Suite struct AddedTokenMatching {
    static func matcher(_ tokens: [AddedToken]) -> AddedTokenMatcher { AddedTokenMatcher(tokens.map { ($0.content, $0) }) }

    @Test func longestMatchWinsAndTextBetweenIsKept() {
        let m = Self.matcher([AddedToken(id: 1, content: "<s>"), AddedToken(id: 2, content: "<s>x")])
        #expect(m.split("a<s>xb<s>") == [.text("a", atStart: true), .added(Token(id: 2, text: "<s>x")),
                                          .text("b", atStart: false), .added(Token(id: 1, text: "<s>"))])
        #expect(m.split("<s>a") == [.added(Token(id: 1, text: "<s>")), .text("a", atStart: false)])
        #expect(m.split("").isEmpty)
    }

    @Test func stripAndSingleWordOptions() {
        let m = Self.matcher([AddedToken(id: 1, content: "<m>", lstrip: true, rstrip: true),
                              AddedToken(id: 2, content: "yes", special: false, singleWord: true)])
        #expect(m.split("a  <m> b") == [.text("a", atStart: true), .added(Token(id: 1, text: "  <m> ")),
                                         .text("b", atStart: false)])
        #expect(m.split("yes eyes yes_ yes.") == [.added(Token(id: 2, text: "yes")), .text(" eyes yes_ ", atStart: false),
                                                   .added(Token(id: 2, text: "yes")), .text(".", atStart: false)])
    }
}

@Suite struct JSONReading {
    @Test func keysKeepTheirExactScalars() throws {
        let value = try JSONValue.parse(Array(#"{"caf\u00e9": 1, "cafe\u0301": 2, "x": [true, null, -1.5e2, "\ud83d\ude00"]}"#.utf8))
        let members = try #require(value.members)
        #expect(members.count == 2 + 1)
        #expect(value["caf\u{E9}"]?.int == 1)
        #expect(value["cafe\u{301}"]?.int == 2)
        #expect(value["x"]?.array == [.bool(true), .null, .number(-150), .string("😀")])
    }

    @Test func malformedTextIsRefused() {
        for text in ["{", "[1,]", "{\"a\" 1}", "\"unterminated", "tru", "1 2", "{\"a\":\"\u{1}\"}"] {
            #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse(Array(text.utf8)) }
        }
    }

    @Test func vocabularyEntriesThatDifferOnlyInNormalizationStayTwo() throws {
        let json = """
        {"model": {"type": "WordLevel", "unk_token": "?", "vocab": {"?": 0, "caf\\u00e9": 1, "cafe\\u0301": 2}},
         "pre_tokenizer": {"type": "WhitespaceSplit"}}
        """
        let tokenizer = try TokenizerFromJSON.load(json)
        #expect(tokenizer.encode("caf\u{E9} cafe\u{301}").map(\.id) == [1, 2])
    }
}

@Suite struct TokenizerJSONStages {
    static func bpeJSON(merges: String, postProcessor: String) -> String {
        """
        {"added_tokens": [{"id": 0, "content": "<s>", "special": true, "normalized": false},
                          {"id": 1, "content": "</s>", "special": true, "normalized": false}],
         "normalizer": null, "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true},
         "post_processor": \(postProcessor), "decoder": {"type": "ByteLevel"},
         "model": {"type": "BPE", "dropout": null, "unk_token": null, "continuing_subword_prefix": null,
                   "end_of_word_suffix": null, "fuse_unk": false,
                   "vocab": {"<s>": 0, "</s>": 1, "Ġ": 2, "h": 3, "i": 4, "Ġh": 5, "Ġhi": 6}, "merges": \(merges)}}
        """
    }

    @Test func mergesAsStringsOrPairsAndEveryPostProcessor() throws {
        let processors = [
            #"{"type": "RobertaProcessing", "sep": ["</s>", 1], "cls": ["<s>", 0], "trim_offsets": true, "add_prefix_space": true}"#,
            #"{"type": "BertProcessing", "sep": ["</s>", 1], "cls": ["<s>", 0]}"#,
            #"{"type": "Sequence", "processors": [{"type": "ByteLevel", "trim_offsets": false}, {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}], "special_tokens": {"<s>": {"id": "<s>", "ids": [0], "tokens": ["<s>"]}, "</s>": {"id": "</s>", "ids": [1], "tokens": ["</s>"]}}}]}"#,
        ]
        for merges in [#"["Ġ h", "Ġh i"]"#, #"[["Ġ", "h"], ["Ġh", "i"]]"#] {
            for processor in processors {
                let tokenizer = try TokenizerFromJSON.load(Self.bpeJSON(merges: merges, postProcessor: processor))
                let tokens = tokenizer.encode("hi hi")
                #expect(tokens.map(\.text) == ["<s>", "Ġhi", "Ġhi", "</s>"])
                #expect(tokenizer.decode(tokens.map(\.id)) == " hi hi")
                #expect(tokenizer.decode(tokens.map(\.id), skipSpecialTokens: false) == "<s> hi hi</s>")
            }
        }
    }

    @Test func unsupportedStagesAreNamed() throws {
        let regexSplit = Self.bpeJSON(merges: "[]", postProcessor: "null")
            .replacingOccurrences(of: #"{"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true}"#,
                                  with: #"{"type": "UnicodeScripts"}"#)
        #expect(throws: TokenizerError(file: "", reason: "unsupported pre_tokenizer type \"UnicodeScripts\"")) {
            do { _ = try TokenizerFromJSON.load(regexSplit) } catch let error as TokenizerError {
                throw TokenizerError(file: "", reason: error.reason)
            }
        }
        let badMerge = Self.bpeJSON(merges: #"["h i"]"#, postProcessor: "null")
        #expect(throws: TokenizerError.self) { _ = try TokenizerFromJSON.load(badMerge) }
    }
}
