/// A tokenizer as Hugging Face's pipeline of stages: added (special) tokens are split out of the raw
/// text first; the rest is normalized, pre-tokenized into words, and each word tokenized by the
/// model; the post-processor then adds the model's special tokens.
public struct Tokenizer: Sendable {
    public var normalizer: (any Normalizer)?
    public var preTokenizer: (any PreTokenizer)?
    public var model: any TokenizerModel
    public var postProcessor: (any PostProcessor)?
    /// Tokens matched verbatim in the raw text before anything else (`[MASK]`, `<|endoftext|>`).
    public var addedTokens: [Token]

    public init(normalizer: (any Normalizer)?, preTokenizer: (any PreTokenizer)?, model: any TokenizerModel,
                postProcessor: (any PostProcessor)?, addedTokens: [Token] = []) {
        self.normalizer = normalizer
        self.preTokenizer = preTokenizer
        self.model = model
        self.postProcessor = postProcessor
        // Longest first, so that `<|endoftext|>` wins over a shorter token it contains.
        self.addedTokens = addedTokens.sorted { $0.text.unicodeScalars.count > $1.text.unicodeScalars.count }
    }

    /// The tokens of `text`, special tokens included, exactly as the model sees them.
    public func encode(_ text: String, addSpecialTokens: Bool = true) -> [Token] {
        var tokens: [Token] = []
        for segment in splitAddedTokens(text) {
            switch segment {
            case .added(let token): tokens.append(token)
            case .text(let piece):
                let normalized = normalizer?.normalize(piece) ?? piece
                let words = preTokenizer?.split(normalized) ?? [normalized]
                for word in words where !word.isEmpty { tokens += model.tokenize(word) }
            }
        }
        if addSpecialTokens, let postProcessor { tokens = postProcessor.process(tokens) }
        return tokens
    }

    /// The vocabulary's string for an id (`"Ġthe"`, `"##ing"`), nil outside the vocabulary.
    public func token(for id: Int) -> String? { model.token(for: id) }
    /// The id of a vocabulary string.
    public func id(for token: String) -> Int? { model.id(for: token) }
    /// A readable form of a vocabulary string for a learner (a whole-word vocabulary's tokens are
    /// already readable; sub-word vocabularies mark spaces and bytes, which this turns back into text).
    /// Not sanitised: the terminal layer does that.
    public func display(_ token: String) -> String { token }
    /// The number of ids the vocabulary covers.
    public var vocabularySize: Int { model.vocabularySize }

    enum Segment { case text(String), added(Token) }

    /// Cuts the raw text around verbatim occurrences of added tokens (matched on scalars).
    func splitAddedTokens(_ text: String) -> [Segment] {
        guard !addedTokens.isEmpty else { return [.text(text)] }
        let scalars = Array(text.unicodeScalars)
        let patterns = addedTokens.map { ($0, Array($0.text.unicodeScalars)) }.filter { !$0.1.isEmpty }
        var segments: [Segment] = []
        var pending = String.UnicodeScalarView()
        var i = 0
        outer: while i < scalars.count {
            for (token, pattern) in patterns where i + pattern.count <= scalars.count
                && scalars[i..<i + pattern.count].elementsEqual(pattern) {
                if !pending.isEmpty { segments.append(.text(String(pending))); pending = .init() }
                segments.append(.added(token))
                i += pattern.count
                continue outer
            }
            pending.append(scalars[i])
            i += 1
        }
        if !pending.isEmpty { segments.append(.text(String(pending))) }
        return segments
    }
}
