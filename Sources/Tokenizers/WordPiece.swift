/// BERT's WordPiece model: greedy longest match first. From the start of the word it takes the
/// longest vocabulary entry, then continues from where that ended with the longest entry that has
/// the continuation prefix (`##`), and so on (`"playing"` → `"play"`, `"##ing"`). A word with a
/// piece found nowhere in the vocabulary, or longer than `maxInputCharactersPerWord` scalars,
/// becomes the unknown token as a whole.
public struct WordPiece: TokenizerModel {
    public let vocabulary: Vocabulary
    public var unknownToken: String
    public var continuingSubwordPrefix: String
    public var maxInputCharactersPerWord: Int

    public init(vocabulary: Vocabulary, unknownToken: String = "[UNK]", continuingSubwordPrefix: String = "##",
                maxInputCharactersPerWord: Int = 100) {
        self.vocabulary = vocabulary
        self.unknownToken = unknownToken
        self.continuingSubwordPrefix = continuingSubwordPrefix
        self.maxInputCharactersPerWord = maxInputCharactersPerWord
    }

    var unknown: [Token] {
        guard let id = vocabulary.id(for: unknownToken) else { return [] }
        return [Token(id: id, text: unknownToken)]
    }

    public func tokenize(_ word: String) -> [Token] {
        let scalars = Array(word.unicodeScalars)
        if scalars.count > maxInputCharactersPerWord { return unknown }
        let prefix = Array(continuingSubwordPrefix.unicodeScalars)
        var tokens: [Token] = []
        var start = 0
        while start < scalars.count {
            var end = scalars.count
            var found: Token?
            while start < end {
                let piece = (start > 0 ? prefix : []) + scalars[start..<end]
                if let id = vocabulary.id(scalars: piece) {
                    found = Token(id: id, text: String(scalars: piece))
                    break
                }
                end -= 1
            }
            guard let token = found else { return unknown }
            tokens.append(token)
            start = end
        }
        return tokens
    }

    public func token(for id: Int) -> String? { vocabulary.token(for: id) }
    public func id(for token: String) -> Int? { vocabulary.id(for: token) }
    public var vocabularySize: Int { vocabulary.size }
}

/// WordPiece's decoder: a token with the continuation prefix joins the one before without it,
/// any other token after the first gets a space; `cleanup` then tidies each token as the reference
/// does (`" ."` → `"."`, `" n't"` → `"n't"`, …).
public struct WordPieceDecoder: TokenDecoder {
    public var prefix: String
    public var cleanup: Bool

    public init(prefix: String = "##", cleanup: Bool = true) {
        self.prefix = prefix
        self.cleanup = cleanup
    }

    static let cleanups: [(String, String)] = [
        (" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"), (" 'm", "'m"),
        (" do not", " don't"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re"),
    ]

    public func decodeChain(_ tokens: [String]) -> [String] {
        tokens.enumerated().map { index, token in
            var text = token
            if index != 0 { text = token.droppingScalarPrefix(prefix) ?? " " + token }
            if cleanup {
                for (pattern, content) in Self.cleanups { text = text.replacingScalars(pattern, with: content) }
            }
            return text
        }
    }
}
