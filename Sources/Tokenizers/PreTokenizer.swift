/// The second stage: splits normalized text into words; the model then tokenizes each word alone.
public protocol PreTokenizer: Sendable {
    func split(_ text: String) -> [String]
}

/// Unicode character classes as regular expressions see them (on scalars, not grapheme clusters).
enum ScalarClass {
    /// `\w`: alphabetic, marks, decimal digits, connector punctuation, join controls.
    static func isWord(_ s: Unicode.Scalar) -> Bool {
        let p = s.properties
        if p.isAlphabetic || p.isJoinControl { return true }
        switch p.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation: return true
        default: return false
        }
    }

    /// `\s`: Unicode's White_Space property.
    static func isSpace(_ s: Unicode.Scalar) -> Bool { s.properties.isWhitespace }
}

/// Hugging Face's `Whitespace` pre-tokenizer: the runs matching `\w+|[^\w\s]+`
/// ("didn't" → "didn", "'", "t").
public struct WhitespacePreTokenizer: PreTokenizer {
    public init() {}
    public func split(_ text: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        var currentIsWord = false
        for scalar in text.unicodeScalars {
            if ScalarClass.isSpace(scalar) {
                if !current.isEmpty { words.append(String(current)); current = .init() }
                continue
            }
            let word = ScalarClass.isWord(scalar)
            if !current.isEmpty && word != currentIsWord {
                words.append(String(current))
                current = .init()
            }
            current.append(scalar)
            currentIsWord = word
        }
        if !current.isEmpty { words.append(String(current)) }
        return words
    }
}

/// Hugging Face's `WhitespaceSplit`: split on white space only.
public struct WhitespaceSplit: PreTokenizer {
    public init() {}
    public func split(_ text: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if ScalarClass.isSpace(scalar) {
                if !current.isEmpty { words.append(String(current)); current = .init() }
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { words.append(String(current)) }
        return words
    }
}

/// Several pre-tokenizers, each splitting the pieces of the one before.
public struct PreTokenizerSequence: PreTokenizer {
    public let stages: [any PreTokenizer]
    public init(_ stages: [any PreTokenizer]) { self.stages = stages }
    public func split(_ text: String) -> [String] {
        stages.reduce([text]) { pieces, stage in pieces.flatMap { stage.split($0) } }
    }
}
