/// A tokenizer as Hugging Face's pipeline of stages. Encoding: added tokens that are not normalized
/// are cut out of the raw text first; each remaining piece is normalized, and normalized added
/// tokens are cut out of that; what is left is pre-tokenized into words, and each word is
/// tokenized by the model; the post-processor then adds the model's special tokens. Decoding maps
/// ids back to vocabulary strings and runs the decoder stages.
public struct Tokenizer: Sendable {
    public let normalizer: (any Normalizer)?
    public let preTokenizer: (any PreTokenizer)?
    public let model: any TokenizerModel
    public let postProcessor: (any PostProcessor)?
    public let decoder: (any TokenDecoder)?
    /// Tokens matched in the text before the pipeline runs (`[MASK]`, `<|endoftext|>`).
    public let addedTokens: [AddedToken]
    /// How `display` shows this vocabulary's strings.
    public let tokenDisplay: TokenDisplay
    /// The file the tokenizer was read from, for errors.
    public var source = "the tokenizer"

    let rawMatcher: AddedTokenMatcher
    let normalizedMatcher: AddedTokenMatcher
    let addedByID: [Int: AddedToken]
    /// Added tokens' ids by their exact scalars, and the scalars of the special ones.
    let addedIDsByScalars: [[UInt32]: Int]
    let specialScalars: Set<[UInt32]>
    /// What a normalized added token decodes to: its content normalized, as in the reference.
    let decodedAddedForms: [Int: String]

    /// - Parameter display: how to show tokens; by default worked out from the stages (byte-level
    ///   decoder or pre-tokenizer, `▁` replacements, byte fallback, WordPiece's `##`).
    public init(normalizer: (any Normalizer)?, preTokenizer: (any PreTokenizer)?, model: any TokenizerModel,
                postProcessor: (any PostProcessor)?, decoder: (any TokenDecoder)? = nil,
                addedTokens: [AddedToken] = [], display: TokenDisplay? = nil) {
        self.normalizer = normalizer
        self.preTokenizer = preTokenizer
        self.model = model
        self.postProcessor = postProcessor
        self.decoder = decoder
        self.addedTokens = addedTokens
        var byID: [Int: AddedToken] = [:]
        var idsByScalars: [[UInt32]: Int] = [:]
        var specials: Set<[UInt32]> = []
        var decodedForms: [Int: String] = [:]
        var raw: [(String, AddedToken)] = []
        var normalized: [(String, AddedToken)] = []
        for token in addedTokens where !token.content.unicodeScalars.isEmpty {
            byID[token.id] = token
            let key = token.content.unicodeScalars.map(\.value)
            if idsByScalars[key] == nil { idsByScalars[key] = token.id }
            if token.special { specials.insert(key) }
            if token.normalized {
                let form = normalizer?.normalize(token.content) ?? token.content
                normalized.append((form, token))
                if !form.sameScalars(token.content) { decodedForms[token.id] = form }
            } else {
                raw.append((token.content, token))
            }
        }
        addedByID = byID
        addedIDsByScalars = idsByScalars
        specialScalars = specials
        decodedAddedForms = decodedForms
        rawMatcher = AddedTokenMatcher(raw)
        normalizedMatcher = AddedTokenMatcher(normalized)
        tokenDisplay = display ?? TokenDisplay.inferred(normalizer: normalizer, preTokenizer: preTokenizer,
                                                        model: model, decoder: decoder)
    }

    /// The tokens of `text`, exactly as the model sees them; with `addSpecialTokens`, the
    /// post-processor's tokens too (`[CLS]` … `[SEP]`, `<s>` …).
    public func encode(_ text: String, addSpecialTokens: Bool = true) -> [Token] {
        var tokens: [Token] = []
        for piece in rawMatcher.split(text) {
            guard case .text(let raw, let rawAtStart) = piece else {
                if case .added(let token) = piece { tokens.append(token) }
                continue
            }
            let normalized = normalizer?.normalize(raw) ?? raw
            for inner in normalizedMatcher.split(normalized) {
                switch inner {
                case .added(let token): tokens.append(token)
                case .text(let chunk, let chunkAtStart):
                    let atStart = rawAtStart && chunkAtStart
                    let words = preTokenizer?.split(chunk, atStart: atStart) ?? [chunk]
                    for word in words where !word.unicodeScalars.isEmpty { tokens += model.tokenize(word) }
                }
            }
        }
        if addSpecialTokens, let postProcessor { tokens = postProcessor.process(tokens) }
        return tokens
    }

    /// The text of `ids` through the decoder stages (without a decoder, the strings joined by
    /// spaces); `skipSpecialTokens` (Hugging Face's default) leaves the special tokens out. Ids
    /// outside the vocabulary are skipped.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = true) -> String {
        let strings = ids.compactMap { id -> String? in
            let string: String
            if let added = addedByID[id] {
                string = decodedAddedForms[id] ?? added.content
            } else if let token = model.token(for: id) {
                string = token
            } else {
                return nil
            }
            if skipSpecialTokens && isSpecial(string) { return nil }
            return string
        }
        guard let decoder else { return strings.joined(separator: " ") }
        return decoder.decode(strings)
    }

    func isSpecial(_ string: String) -> Bool { specialScalars.contains(string.unicodeScalars.map(\.value)) }

    /// The vocabulary's string for an id (`"Ġthe"`, `"##ing"`, `"<s>"`), nil outside the vocabulary.
    public func token(for id: Int) -> String? { addedByID[id]?.content ?? model.token(for: id) }

    /// The id of a vocabulary string (an added token's, or the model's), matched on scalars.
    public func id(for token: String) -> Int? {
        addedIDsByScalars[token.unicodeScalars.map(\.value)] ?? model.id(for: token)
    }

    /// A readable form of a vocabulary string for a learner: one short line of printable
    /// characters (see `TokenDisplay`: `Ġthe` and `▁the` → `␣the`, `##ing` → `⋯ing`, `<0xE2>` →
    /// `<E2>`). Added tokens (`[CLS]`, `<|endoftext|>`) are shown as they are.
    public func display(_ token: String) -> String {
        let core = String(scalars: Array(token.unicodeScalars).trimmingWhitespace())
        if addedIDsByScalars[core.unicodeScalars.map(\.value)] != nil { return TokenDisplay.visible(token) }
        return tokenDisplay.render(token)
    }

    /// The number of ids: the model's vocabulary and the added tokens beyond it.
    public var vocabularySize: Int {
        max(model.vocabularySize, (addedTokens.map(\.id).max() ?? -1) + 1)
    }
}

extension Array where Element == Unicode.Scalar {
    func trimmingWhitespace() -> ArraySlice<Unicode.Scalar> {
        guard let first = firstIndex(where: { !ScalarClass.isSpace($0) }),
              let last = lastIndex(where: { !ScalarClass.isSpace($0) }) else { return [] }
        return self[first...last]
    }
}
