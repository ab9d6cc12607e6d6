import Tensor

/// How `generate` runs.
public struct GenerationOptions: Sendable {
    /// Keep each layer's keys and values and run one new token per step (true), or run the whole
    /// sequence again for every token (false: the plain path, kept to check the cache against). A
    /// mask under which earlier tokens see later ones (bidirectional) always takes the plain path.
    public var kvCache = true
    /// Which hooks each pass records (none by default). With the cache, a step records its new
    /// token's hooks only; without it, every pass records the whole sequence.
    public var recording: HookFilter = .none
    /// `attn.weighted` is left out of a pass over more tokens than this.
    public var weightedLimit: Int?
    /// Tokens that end the generation (not part of its ids); nil: the model's end-of-sequence token.
    public var stopIds: Set<Int>?

    public init(kvCache: Bool = true, recording: HookFilter = .none, weightedLimit: Int? = nil, stopIds: Set<Int>? = nil) {
        self.kvCache = kvCache
        self.recording = recording
        self.weightedLimit = weightedLimit
        self.stopIds = stopIds
    }
}

/// One generated token and the pass that produced it.
public struct GenerationStep: Sendable {
    /// The token drawn.
    public var id: Int
    /// The logits it was drawn from `[V]` (the last row of the pass).
    public var logits: [Float]
    /// How many tokens the pass ran: the prompt for the first step (and every step without the cache),
    /// then 1.
    public var tokensRun: Int
    /// What the pass recorded (empty unless `GenerationOptions.recording` asks).
    public var cache: ActivationCache
    /// Whether the token is one of the stop tokens (it ends the generation and is not in its ids).
    public var stops: Bool
}

/// What `generate` produced.
public struct Generation: Sendable {
    /// The new tokens' ids, without the stop token.
    public var ids: [Int]
    /// The stop token that ended it, if one did (else `maxTokens` or the context length did).
    public var stoppedBy: Int?
}

extension TransformerModel {
    /// Continues `ids` by up to `maxTokens` tokens (a stop token counts as one). With the KV cache
    /// (the default) the prompt runs once, then each new token alone; without it, the whole sequence
    /// runs again for every token. Stops early at a stop token or the context length. For an
    /// encoder–decoder, `ids` is the encoder's input and the decoder starts from its start token.
    /// `onStep` sees each token as it is drawn.
    public func generate(
        _ ids: [Int], maxTokens: Int, settings: SamplingSettings, seed: UInt64,
        options: GenerationOptions, onStep: (GenerationStep) throws -> Void = { _ in }
    ) throws -> Generation {
        guard config.lmHead else {
            throw ModelError.badInput("this model has no LM head (it is an encoder): it cannot generate text")
        }
        try settings.validate()
        try checkRoom(for: ids, maxTokens: maxTokens)
        var generator = SplitMix64(seed: seed)
        let encoderDecoder = config.architecture == .encoderDecoder
        if encoderDecoder { try check(ids, what: "input") }
        let stopIds = options.stopIds ?? Set([config.eosTokenId].compactMap { $0 })
        var running = encoderDecoder ? [config.decoderStartTokenId ?? config.bosTokenId ?? 0] : ids
        // Room for 256 new tokens to start with (the cache grows past that), not for all of a large
        // --max-tokens that a stop token may cut short. Under a mask that lets earlier tokens see
        // later ones (bidirectional) there is nothing to keep: the plain path runs instead.
        let cacheable = config.mask.hides(query: running.count - 1, key: running.count)
        var cache: KVCache? = options.kvCache && cacheable
            ? try makeKVCache(capacity: running.count + min(maxTokens, 256), encoderIds: encoderDecoder ? ids : nil) : nil
        var produced: [Int] = []
        while produced.count < maxTokens && running.count < config.maxPositions {
            let result: ForwardResult
            let fresh = cache.map { Array(running[$0.count...]) } ?? running
            if cache != nil {
                result = try forward(fresh, cache: &cache!, recording: options.recording,
                                     weightedLimit: options.weightedLimit)
            } else {
                result = encoderDecoder
                    ? try forward(ids, decoderIds: running, recording: options.recording, weightedLimit: options.weightedLimit)
                    : try forward(running, recording: options.recording, weightedLimit: options.weightedLimit)
            }
            guard let logits = result.logits else { break }
            // A non-finite value: find where with a full pass over the whole sequence.
            try checkFinite(result, ids: encoderDecoder ? ids : running, decoderIds: encoderDecoder ? running : nil, mask: nil)
            let last = logits.slice(logits.shape[0] - 1).scalars
            let next = Sampler.sample(logits: last, settings: settings, generator: &generator)
            let stops = stopIds.contains(next)
            try onStep(GenerationStep(id: next, logits: last, tokensRun: fresh.count, cache: result.cache, stops: stops))
            if stops { return Generation(ids: produced, stoppedBy: next) }
            produced.append(next)
            running.append(next)
        }
        return Generation(ids: produced, stoppedBy: nil)
    }

    /// Continues `ids` by up to `maxTokens` tokens with the KV cache, recording nothing; stops after the
    /// end-of-sequence token or at the context length. → the new token ids, the end-of-sequence token
    /// included when it stopped the generation.
    public func generate(
        _ ids: [Int], maxTokens: Int, settings: SamplingSettings, seed: UInt64,
        onToken: (Int) -> Void = { _ in }
    ) throws -> [Int] {
        let generation = try generate(ids, maxTokens: maxTokens, settings: settings, seed: seed,
                                      options: GenerationOptions()) { onToken($0.id) }
        return generation.ids + (generation.stoppedBy.map { [$0] } ?? [])
    }

    /// Refuses a prompt that leaves no room in the context for a new token (a decoder's prompt of
    /// `maxPositions` tokens or more), as `forward` refuses an input longer than the context.
    public func checkRoom(for ids: [Int], maxTokens: Int) throws {
        guard config.architecture != .encoderDecoder, maxTokens > 0, ids.count >= config.maxPositions else { return }
        throw ModelError.badInput("the prompt is \(ids.count) tokens long but the model's context is \(config.maxPositions) tokens, which leaves no room to generate (at most \(config.maxPositions - 1) tokens of prompt)")
    }
}
