import Foundation
import Testing
@testable import Tokenizers

/// Random text through every fixture tokenizer: nothing crashes, every id is in the vocabulary,
/// and the lossless pipelines give the text back.
@Suite struct RandomText {
    /// A deterministic generator (SplitMix64), so that a failure can be reproduced.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let pool: [Unicode.Scalar] = Array("  \t\n\r\u{0B}\u{85}\u{A0}\u{3000}aeiouxyzAEZ0123456789'.,!?$^~-_#<>[]|éüß\u{301}\u{308}東京タワー👩\u{200D}👧🙂\u{FE0F}\u{0}\u{7F}\u{200B}\u{FFFD}ꙮ𝔘ĠĊ▁".unicodeScalars)
        + ["<s>", "[MASK]", "<|endoftext|>", "<mask>", "##"].flatMap { Array($0.unicodeScalars) }

    static func texts(count: Int, seed: UInt64) -> [String] {
        var generator = Generator(state: seed)
        return (0..<count).map { _ in
            let length = Int.random(in: 0...40, using: &generator)
            return String(scalars: (0..<length).map { _ in pool.randomElement(using: &generator)! })
        }
    }

    @Test(arguments: Fixtures.tokenizers.map(\.directory))
    func encodesAnythingIntoTheVocabulary(_ directory: String) throws {
        let tokenizer = try Fixtures.load(directory)
        for text in Self.texts(count: 300, seed: 7) {
            for token in tokenizer.encode(text) {
                #expect((0..<tokenizer.vocabularySize).contains(token.id))
                #expect(tokenizer.token(for: token.id) != nil)
                #expect(!tokenizer.display(token.text).unicodeScalars.contains { TokenDisplay.isInvisible($0) })
            }
        }
    }

    @Test(arguments: ["gpt2", "gpt2-files", "llama-legacy", "llama3"])
    func losslessPipelinesGiveTheTextBack(_ directory: String) throws {
        let tokenizer = try Fixtures.load(directory)
        // A literal ▁ in the text is a space to Llama's decoder, so it does not come back.
        for text in Self.texts(count: 300, seed: 11).map({ $0.replacingScalars("▁", with: "_") }) {
            // Special tokens typed in the text are encoded as specials; keep them when decoding.
            let decoded = tokenizer.decode(tokenizer.encode(text, addSpecialTokens: false).map(\.id), skipSpecialTokens: false)
            #expect(scalars(decoded) == scalars(text), "\(directory): \"\(escaped(text))\" came back as \"\(escaped(decoded))\"")
        }
    }
}
