import Tokenizers

/// One run of a model on a learner's text: the tokens as the model saw them, the mask used and
/// everything the forward pass recorded. What `inspect` prints, the export writes and the UI shows.
public struct Inspection: Sendable {
    public var modelName: String
    public var text: String
    /// The decoder's text in an encoder–decoder (nil: the decoder gets only its start token).
    public var target: String?
    /// The input tokens (the encoder's, in an encoder–decoder), special tokens included.
    public var tokens: [Token]
    /// The decoder's tokens in an encoder–decoder, starting with its start token.
    public var decoderTokens: [Token]?
    /// The self-attention mask used (the decoder's in an encoder–decoder).
    public var mask: AttentionMask
    public var result: ForwardResult

    public var ids: [Int] { tokens.map(\.id) }

    /// Tokenizes `text` (and `target`) and runs `loaded` on them.
    public init(
        _ loaded: LoadedModel, text: String, target: String? = nil, mask: AttentionMask? = nil,
        recording filter: HookFilter = .all, weightedLimit: Int? = Inspection.defaultWeightedLimit
    ) throws {
        guard !text.isEmpty else { throw ModelError.emptyInput }
        let config = loaded.config
        modelName = loaded.name
        self.text = text
        self.target = target
        tokens = try loaded.tokenizer.checkedEncode(text)
        guard !tokens.isEmpty else { throw ModelError.badInput("the text has no tokens (only white space?)") }
        if config.architecture == .encoderDecoder {
            guard let start = config.decoderStartTokenId ?? config.bosTokenId else {
                throw ModelError.badConfig("an encoder-decoder needs decoder_start_token_id")
            }
            let startText = loaded.tokenizer.token(for: start) ?? "<start>"
            decoderTokens = [Token(id: start, text: startText)]
                + (try target.map { try loaded.tokenizer.checkedEncode($0, addSpecialTokens: false) } ?? [])
        } else {
            if target != nil {
                throw ModelError.badInput("--target is for encoder-decoder models; \(loaded.name) is a \(config.architecture.rawValue) model")
            }
            decoderTokens = nil
        }
        self.mask = mask ?? config.mask
        if config.architecture == .encoder, mask == nil { self.mask = .bidirectional }
        result = try loaded.model.forward(tokens.map(\.id), decoderIds: decoderTokens?.map(\.id), mask: self.mask,
                                          recording: filter, weightedLimit: weightedLimit)
        try loaded.model.checkFinite(result, ids: tokens.map(\.id), decoderIds: decoderTokens?.map(\.id), mask: self.mask)
    }

    /// Runs `loaded` on token ids given as they are (special tokens included), e.g. a reference
    /// implementation's, without tokenizing; `text` is what they stand for. Decoders and encoders only.
    public init(
        _ loaded: LoadedModel, ids: [Int], text: String, mask: AttentionMask? = nil,
        recording filter: HookFilter = .all, weightedLimit: Int? = Inspection.defaultWeightedLimit
    ) throws {
        guard loaded.config.architecture != .encoderDecoder else {
            throw ModelError.badInput("an encoder-decoder needs text and a target, not bare ids")
        }
        modelName = loaded.name
        self.text = text
        target = nil
        tokens = ids.map { Token(id: $0, text: loaded.tokenizer.token(for: $0) ?? "<\($0)>") }
        decoderTokens = nil
        self.mask = mask ?? loaded.config.mask
        result = try loaded.model.forward(ids, mask: self.mask, recording: filter, weightedLimit: weightedLimit)
        try loaded.model.checkFinite(result, ids: ids, decoderIds: nil, mask: self.mask)
    }

    /// `attn.weighted [H,T,T,dh]` is T times larger than the other hooks: by default it is recorded
    /// only for inputs up to this many tokens (the manifest lists what was recorded).
    public static let defaultWeightedLimit = 128
}
