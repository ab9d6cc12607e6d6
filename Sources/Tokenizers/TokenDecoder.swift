/// The last stage, run by `Tokenizer.decode`: turns vocabulary strings back into text. As in
/// Hugging Face's pipeline, each decoder maps a list of strings to a list of strings (so that they
/// chain), and the final list is joined.
public protocol TokenDecoder: Sendable {
    func decodeChain(_ tokens: [String]) -> [String]
}

extension TokenDecoder {
    /// The decoded text: the chain's strings joined.
    public func decode(_ tokens: [String]) -> String { decodeChain(tokens).joined() }
}

/// Several decoders, each working on what the one before produced.
public struct DecoderSequence: TokenDecoder {
    public let stages: [any TokenDecoder]
    public init(_ stages: [any TokenDecoder]) { self.stages = stages }
    public func decodeChain(_ tokens: [String]) -> [String] { stages.reduce(tokens) { $1.decodeChain($0) } }
}

/// Joins all the strings into one.
public struct FuseDecoder: TokenDecoder {
    public init() {}
    public func decodeChain(_ tokens: [String]) -> [String] { [tokens.joined()] }
}

/// Replaces a literal string in each token (Llama's `"▁"` → `" "`).
public struct ReplaceDecoder: TokenDecoder {
    public let pattern: String
    public let content: String
    public init(pattern: String, content: String) { self.pattern = pattern; self.content = content }
    public func decodeChain(_ tokens: [String]) -> [String] {
        tokens.map { $0.replacingScalars(pattern, with: content) }
    }
}

/// Removes up to `start` occurrences of a character at the start of each token and up to `stop`
/// at its end (Llama: the space its `▁` put before the first word).
public struct StripDecoder: TokenDecoder {
    public let content: Unicode.Scalar
    public let start: Int
    public let stop: Int
    public init(content: Unicode.Scalar, start: Int, stop: Int) {
        self.content = content
        self.start = start
        self.stop = stop
    }
    public func decodeChain(_ tokens: [String]) -> [String] {
        tokens.map { token in
            let scalars = Array(token.unicodeScalars)
            var from = 0
            while from < min(start, scalars.count) && scalars[from] == content { from += 1 }
            var to = scalars.count
            while scalars.count - to < stop && to > from && scalars[to - 1] == content { to -= 1 }
            return String(scalars: scalars[from..<to])
        }
    }
}

/// Gathers runs of byte tokens (`<0xE6>` `<0x9D>` `<0xB1>` → `東`). A run that is not valid
/// UTF-8 becomes one U+FFFD per byte, as in the reference.
public struct ByteFallbackDecoder: TokenDecoder {
    public init() {}

    /// The byte a `<0xNN>` token stands for.
    public static func byte(of token: String) -> UInt8? {
        let utf8 = Array(token.utf8)
        guard utf8.count == 6, token.hasScalarPrefix("<0x"), utf8[5] == UInt8(ascii: ">") else { return nil }
        return UInt8(String(decoding: utf8[3..<5], as: UTF8.self), radix: 16)
    }

    public func decodeChain(_ tokens: [String]) -> [String] {
        var out: [String] = []
        var pending: [UInt8] = []
        func flush() {
            guard !pending.isEmpty else { return }
            let text = String(decoding: pending, as: UTF8.self)
            if Array(text.utf8) == pending {
                out.append(text)
            } else {
                out += Array(repeating: "\u{FFFD}", count: pending.count)
            }
            pending.removeAll()
        }
        for token in tokens {
            if let byte = Self.byte(of: token) {
                pending.append(byte)
            } else {
                flush()
                out.append(token)
            }
        }
        flush()
        return out
    }
}

/// The original BPE's decoder: the end-of-word suffix (`</w>`) becomes a space, except in the
/// last token, where it is dropped.
public struct BPEDecoder: TokenDecoder {
    public let suffix: String
    public init(suffix: String = "</w>") { self.suffix = suffix }
    public func decodeChain(_ tokens: [String]) -> [String] {
        tokens.enumerated().map { index, token in
            token.replacingScalars(suffix, with: index == tokens.count - 1 ? "" : " ")
        }
    }
}
