/// GPT-2's byte-level pre-tokenizer: optionally puts a space before the text (`add_prefix_space`,
/// unless it already starts with one), splits it with GPT-2's pattern (`use_regex`), and writes each
/// piece's UTF-8 bytes in the byte-level alphabet (`" the"` → `"Ġthe"`), so that the BPE model
/// never meets an unknown character.
public struct ByteLevelPreTokenizer: PreTokenizer {
    public var addPrefixSpace: Bool
    public var useRegex: Bool

    public init(addPrefixSpace: Bool = false, useRegex: Bool = true) {
        self.addPrefixSpace = addPrefixSpace
        self.useRegex = useRegex
    }

    public func split(_ text: String) -> [String] {
        var scalars = Array(text.unicodeScalars)
        if scalars.isEmpty { return [] }
        if addPrefixSpace && scalars.first != " " { scalars.insert(" ", at: 0) }
        let pieces = useRegex ? GPT2Pattern.matches(scalars) : [0..<scalars.count]
        return pieces.map { ByteLevelAlphabet.encode(String(scalars: scalars[$0])) }
    }
}

/// Turns byte-level tokens back into text: all the tokens' bytes together, decoded as UTF-8
/// (a malformed sequence becomes U+FFFD). A token with a character outside the alphabet (an added
/// token) counts as its own UTF-8 bytes.
public struct ByteLevelDecoder: TokenDecoder {
    public init() {}
    public func decodeChain(_ tokens: [String]) -> [String] {
        var bytes: [UInt8] = []
        for token in tokens { bytes += ByteLevelAlphabet.decode(token) ?? Array(token.utf8) }
        return [String(decoding: bytes, as: UTF8.self)]
    }
}
