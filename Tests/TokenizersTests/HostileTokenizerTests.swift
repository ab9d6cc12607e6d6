import Foundation
import Testing
@testable import Tokenizers

/// Tokenizer files that would crash, hang or silently mislead: each is refused with an error naming
/// the file and the field, or encodes in bounded time.
@Suite struct HostileTokenizerFiles {
    /// A small byte-level BPE tokenizer as a JSON object, to mutate.
    static func bpe() -> [String: Any] {
        [
            "added_tokens": [["id": 0, "content": "<s>", "special": true, "normalized": false]],
            "normalizer": NSNull(),
            "pre_tokenizer": ["type": "ByteLevel", "add_prefix_space": true, "use_regex": true],
            "post_processor": NSNull(), "decoder": ["type": "ByteLevel"],
            "model": ["type": "BPE", "unk_token": NSNull(), "fuse_unk": false, "byte_fallback": false,
                      "vocab": ["<s>": 0, "Ġ": 1, "h": 2, "i": 3, "Ġh": 4, "Ġhi": 5, "a": 6, "b": 7],
                      "merges": ["Ġ h", "Ġh i"]] as [String: Any],
        ]
    }

    static func load(_ object: [String: Any]) throws -> Tokenizer {
        let data = try JSONSerialization.data(withJSONObject: object)
        return try TokenizerFromJSON.load(String(decoding: data, as: UTF8.self))
    }

    static func expectRefused(_ object: [String: Any], naming words: [String], _ what: String) {
        do {
            _ = try load(object)
            Issue.record("\(what): accepted")
        } catch let error as TokenizerError {
            for word in words { #expect(error.reason.contains(word), "\(what): \(error.reason)") }
        } catch {
            Issue.record("\(what): \(error)")
        }
    }

    static var wrongValues: [Any] { ["yes", 1, 1.5, [true], ["a": 1], -1] }

    @Test(arguments: ["byte_fallback", "fuse_unk", "ignore_merges"])
    func wrongTypedModelFlagsAreRefused(_ key: String) {
        for value in Self.wrongValues {
            var object = Self.bpe()
            var model = object["model"] as! [String: Any]
            model[key] = value
            object["model"] = model
            Self.expectRefused(object, naming: [key], "\(key): \(value)")
        }
    }

    @Test func wrongTypedStageAndTokenFieldsAreRefused() {
        for value in Self.wrongValues {
            var object = Self.bpe()
            object["pre_tokenizer"] = ["type": "ByteLevel", "add_prefix_space": value]
            Self.expectRefused(object, naming: ["add_prefix_space"], "add_prefix_space: \(value)")
            object = Self.bpe()
            object["added_tokens"] = [["id": 0, "content": "<s>", "special": value]]
            Self.expectRefused(object, naming: ["special"], "special: \(value)")
            guard !(value is String) else { continue }
            object = Self.bpe()
            var model = object["model"] as! [String: Any]
            model["unk_token"] = value
            object["model"] = model
            Self.expectRefused(object, naming: ["unk_token"], "unk_token: \(value)")
        }
    }

    @Test func maxInputCharsPerWordMustBeAPositiveWholeNumber() {
        for value in [1.5, -1, 0, "100", true, 2.25, -0.5] as [Any] {
            let object: [String: Any] = [
                "model": ["type": "WordPiece", "unk_token": "[UNK]", "max_input_chars_per_word": value,
                          "vocab": ["[UNK]": 0, "a": 1]] as [String: Any],
            ]
            Self.expectRefused(object, naming: ["max_input_chars_per_word"], "max_input_chars_per_word: \(value)")
        }
    }

    @Test func wordLevelUnknownTokenMustBeInTheVocabulary() {
        var random = SystemRandomNumberGenerator()
        for unk in ["[UNK]", "<unk>", "?", "UNK\(Int.random(in: 0..<1000, using: &random))"] {
            let object: [String: Any] = [
                "pre_tokenizer": ["type": "Whitespace"],
                "model": ["type": "WordLevel", "unk_token": unk, "vocab": ["the": 0, "cat": 1]] as [String: Any],
            ]
            Self.expectRefused(object, naming: ["unk_token"], "unk_token \(unk)")
        }
    }

    /// Ids beyond what any vocabulary has (2^31 and more would trap an `Int32` conversion).
    @Test(arguments: [1 << 24, 1 << 31, (1 << 31) + 7, 1 << 40, 1 << 52])
    func hugeIdsAreRefusedEverywhere(_ id: Int) {
        var object = Self.bpe()
        var model = object["model"] as! [String: Any]
        var vocab = model["vocab"] as! [String: Int]
        vocab["h"] = id
        model["vocab"] = vocab
        object["model"] = model
        Self.expectRefused(object, naming: ["\(id)"], "vocab id \(id)")
        object = Self.bpe()
        object["added_tokens"] = [["id": id, "content": "<big>", "special": true]]
        Self.expectRefused(object, naming: ["id"], "added token id \(id)")
        object = Self.bpe()
        object["post_processor"] = ["type": "BertProcessing", "sep": ["</s>", id], "cls": ["<s>", 0]]
        Self.expectRefused(object, naming: ["sep"], "post-processor id \(id)")
    }

    @Test func bpeRefusesHugeIdsGivenInCode() {
        let vocabulary = Vocabulary([("a", 0), ("b", 1 << 31), ("ab", 2)])
        #expect(throws: BPE.InvalidMerge.self) { try BPE(vocabulary: vocabulary, merges: [("a", "b")]) }
        #expect(Vocabulary([("z", Int.max)]).size == Int.max)
    }

    /// Normalizers that multiply the text: refused when the file is read, bounded when built in code.
    @Test(arguments: [6, 12, 40])
    func growingNormalizersAreRefused(_ stages: Int) throws {
        var object = Self.bpe()
        let double: [String: Any] = ["type": "Replace", "pattern": ["String": "a"], "content": "aa"]
        object["normalizer"] = ["type": "Sequence", "normalizers": Array(repeating: double, count: stages)]
        Self.expectRefused(object, naming: ["normalizer"], "\(stages) doubling stages")
        let growing = NormalizerSequence(Array(repeating: Replace(pattern: "a", content: "aa"), count: stages))
        let tokenizer = Tokenizer(normalizer: growing, preTokenizer: nil,
                                  model: WordLevel(vocabulary: Vocabulary([("a", 0)]), unknownToken: "a"),
                                  postProcessor: nil)
        let start = Date()
        #expect(throws: TokenizerError.self) { _ = try tokenizer.checkedEncode(String(repeating: "a", count: 100)) }
        #expect(Date().timeIntervalSince(start) < 5)
    }

    /// Catastrophic regular expressions stop at the time budget with an error naming the pattern.
    @Test(arguments: ["(.*a){20}$", "(a+)+$", "(a|aa)+c", "(.*){12}x"])
    func backtrackingSplitPatternsStop(_ pattern: String) throws {
        var object = Self.bpe()
        object["pre_tokenizer"] = ["type": "Split", "pattern": ["Regex": pattern], "behavior": "Isolated", "invert": false]
        let tokenizer = try Self.load(object)
        let start = Date()
        do {
            _ = try tokenizer.checkedEncode(String(repeating: "a", count: 48) + "b")
            Issue.record("\(pattern) finished in budget?")
        } catch let error as TokenizerError {
            #expect(error.reason.contains(pattern), "\(error.reason)")
        }
        #expect(Date().timeIntervalSince(start) < 10)
    }

    /// An added token of a million characters against a long text: linear, not their product.
    @Test func hugeAddedTokensMatchInLinearTime() throws {
        for (length, textLength) in [(1 << 20, 1 << 16), (1 << 16, 1 << 18)] {
            let huge = String(repeating: "a", count: length) + "b"
            var object = Self.bpe()
            object["added_tokens"] = [["id": 0, "content": "<s>", "special": true],
                                      ["id": 8, "content": huge, "special": true]]
            let tokenizer = try Self.load(object)
            let start = Date()
            let text = String(repeating: "a", count: textLength)
            _ = try tokenizer.checkedEncode("<s>" + text + "<s>")
            #expect(Date().timeIntervalSince(start) < 20, "\(length) against \(textLength)")
            let found = try tokenizer.checkedEncode("x" + huge + "<s>", addSpecialTokens: false)
            #expect(found.map(\.id).contains(8))
        }
    }

    /// Leftmost-longest matching, checked against a plain search on random texts and tokens.
    @Test func matcherAgreesWithAPlainSearch() {
        var generator = SplitMixTokens(seed: 7)
        let alphabet: [Unicode.Scalar] = ["a", "b", "c", " "]
        func word(_ n: Int) -> String { String(String.UnicodeScalarView((0..<n).map { _ in alphabet[generator.below(4)] })) }
        for _ in 0..<300 {
            let tokens = (0..<(1 + generator.below(5))).map { i in
                AddedToken(id: i, content: word(1 + generator.below(4)), special: true,
                           lstrip: generator.below(4) == 0, rstrip: generator.below(4) == 0, singleWord: generator.below(4) == 0)
            }
            let text = word(generator.below(30))
            let matcher = AddedTokenMatcher(tokens.map { ($0.content, $0) })
            #expect(matcher.split(text) == PlainMatcher(tokens).split(text), "\(tokens.map(\.content)) in \"\(text)\"")
        }
    }
}

/// The earlier quadratic matcher, as the reference for the automaton.
struct PlainMatcher {
    let tokens: [AddedToken]
    init(_ tokens: [AddedToken]) { self.tokens = tokens }

    func split(_ text: String) -> [AddedTokenMatcher.Piece] {
        let s = Array(text.unicodeScalars)
        guard !s.isEmpty else { return [] }
        var ordered: [(Int, AddedToken)] = []
        for (index, token) in tokens.enumerated() where !ordered.contains(where: { $0.1.content.unicodeScalars.elementsEqual(token.content.unicodeScalars) }) {
            ordered.append((index, token))
        }
        var pieces: [AddedTokenMatcher.Piece] = []
        var pieceStart = 0
        var i = 0
        while i < s.count {
            let candidates = ordered.map(\.1).filter { token in
                let p = Array(token.content.unicodeScalars)
                return i + p.count <= s.count && s[i..<i + p.count].elementsEqual(p)
            }
            guard let token = candidates.max(by: { $0.content.unicodeScalars.count < $1.content.unicodeScalars.count
                || ($0.content.unicodeScalars.count == $1.content.unicodeScalars.count && $0.id > $1.id) }) else {
                i += 1
                continue
            }
            var start = i
            var stop = i + token.content.unicodeScalars.count
            i = stop
            if token.singleWord {
                if (start > 0 && ScalarClass.isWord(s[start - 1])) || (stop < s.count && ScalarClass.isWord(s[stop])) { continue }
            }
            if token.lstrip {
                var k = start
                while k > 0 && ScalarClass.isSpace(s[k - 1]) { k -= 1 }
                start = max(k, pieceStart)
            }
            if token.rstrip {
                while stop < s.count && ScalarClass.isSpace(s[stop]) { stop += 1 }
                i = stop
            }
            if pieceStart < start { pieces.append(.text(String(String.UnicodeScalarView(s[pieceStart..<start])), atStart: pieceStart == 0)) }
            pieces.append(.added(Token(id: token.id, text: String(String.UnicodeScalarView(s[start..<stop])))))
            pieceStart = stop
        }
        if pieceStart < s.count { pieces.append(.text(String(String.UnicodeScalarView(s[pieceStart...])), atStart: pieceStart == 0)) }
        return pieces
    }
}

/// A seeded generator for reproducible cases.
struct SplitMixTokens {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
