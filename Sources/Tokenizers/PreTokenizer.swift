/// The second stage: splits normalized text into words; the model then tokenizes each word alone.
public protocol PreTokenizer: Sendable {
    /// The words of `text`, in order; empty words are dropped by the caller.
    func split(_ text: String) -> [String]
    /// The same, told whether `text` begins the original input (it does not when it follows an
    /// added token). Only Metaspace's `prepend_scheme: "first"` cares.
    func split(_ text: String, atStart: Bool) -> [String]
}

extension PreTokenizer {
    public func split(_ text: String, atStart: Bool) -> [String] { split(text) }
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
    public func split(_ text: String) -> [String] { split(text, atStart: true) }
    public func split(_ text: String, atStart: Bool) -> [String] {
        var pieces: [(text: String, atStart: Bool)] = [(text, atStart)]
        for stage in stages {
            pieces = pieces.flatMap { piece -> [(text: String, atStart: Bool)] in
                let words = stage.split(piece.text, atStart: piece.atStart).filter { !$0.unicodeScalars.isEmpty }
                // Only a first word that begins its piece still begins the input.
                return words.enumerated().map { index, word in
                    (word, piece.atStart && index == 0 && piece.text.hasScalarPrefix(word))
                }
            }
        }
        return pieces.map(\.text)
    }
}
