/// SentencePiece's way of keeping spaces, as a pre-tokenizer: every space becomes the replacement
/// character (`▁`), one is put before the text (`prepend_scheme`: `always`; `first`, only before the
/// start of the input, not after an added token; `never`), unless the text already starts with it,
/// and the text is split before each `▁` (`split`), which stays with the word that follows
/// (`"▁Hey▁▁friend"` → `"▁Hey"`, `"▁"`, `"▁friend"`).
public struct Metaspace: PreTokenizer {
    public enum PrependScheme: String, Sendable { case always, first, never }

    public var replacement: Unicode.Scalar
    public var prependScheme: PrependScheme
    public var split: Bool

    public init(replacement: Unicode.Scalar = "▁", prependScheme: PrependScheme = .always, split: Bool = true) {
        self.replacement = replacement
        self.prependScheme = prependScheme
        self.split = split
    }

    public func split(_ text: String) -> [String] { split(text, atStart: true) }

    public func split(_ text: String, atStart: Bool) -> [String] {
        var scalars = text.unicodeScalars.map { $0 == " " ? replacement : $0 }
        if scalars.isEmpty { return [] }
        let prepend: Bool
        switch prependScheme {
        case .always: prepend = true
        case .first: prepend = atStart
        case .never: prepend = false
        }
        if prepend && scalars.first != replacement { scalars.insert(replacement, at: 0) }
        guard split else { return [String(scalars: scalars)] }
        // Each replacement character opens a new piece; a run of them gives one-character pieces
        // but the last, which keeps the word after it.
        var pieces: [String] = []
        var current: [Unicode.Scalar] = []
        for scalar in scalars {
            if scalar == replacement && !current.isEmpty {
                pieces.append(String(scalars: current))
                current = []
            }
            current.append(scalar)
        }
        if !current.isEmpty { pieces.append(String(scalars: current)) }
        return pieces
    }
}

/// Metaspace's decoder: the replacement character becomes a space, except in the first token when
/// the pre-tokenizer prepends one (every replacement character of that token is dropped, as the
/// reference does).
public struct MetaspaceDecoder: TokenDecoder {
    public var replacement: Unicode.Scalar
    public var prependScheme: Metaspace.PrependScheme

    public init(replacement: Unicode.Scalar = "▁", prependScheme: Metaspace.PrependScheme = .always) {
        self.replacement = replacement
        self.prependScheme = prependScheme
    }

    public func decodeChain(_ tokens: [String]) -> [String] {
        tokens.enumerated().map { index, token in
            var out = String.UnicodeScalarView()
            for scalar in token.unicodeScalars {
                if scalar != replacement {
                    out.append(scalar)
                } else if index != 0 || prependScheme == .never {
                    out.append(" ")
                }
            }
            return String(out)
        }
    }
}
