import Tensor

extension TransformerModel {
    /// Continues `ids` by up to `maxTokens` tokens, one forward pass per token (no KV cache: the
    /// models here are small and every pass is recorded the same way as `forward`). Stops early at
    /// the end-of-sequence token or the context length. For an encoder–decoder, `ids` is the encoder's
    /// input and the decoder starts from its start token. → the new token ids.
    public func generate(
        _ ids: [Int], maxTokens: Int, settings: SamplingSettings, seed: UInt64,
        onToken: (Int) -> Void = { _ in }
    ) throws -> [Int] {
        guard config.lmHead else {
            throw ModelError.badInput("this model has no LM head (it is an encoder): it cannot generate text")
        }
        try settings.validate()
        var generator = SplitMix64(seed: seed)
        let encoderDecoder = config.architecture == .encoderDecoder
        var running = encoderDecoder ? [config.decoderStartTokenId ?? config.bosTokenId ?? 0] : ids
        var produced: [Int] = []
        try checkRoom(for: ids, maxTokens: maxTokens)
        while produced.count < maxTokens && running.count < config.maxPositions {
            let result = encoderDecoder
                ? try forward(ids, decoderIds: running, recording: .none)
                : try forward(running, recording: .none)
            guard let logits = result.logits else { break }
            try checkFinite(result, ids: encoderDecoder ? ids : running, decoderIds: encoderDecoder ? running : nil, mask: nil)
            let last = logits.slice(logits.shape[0] - 1).scalars
            let next = Sampler.sample(logits: last, settings: settings, generator: &generator)
            produced.append(next)
            running.append(next)
            onToken(next)
            if next == config.eosTokenId { break }
        }
        return produced
    }

    /// Refuses a prompt that leaves no room in the context for a new token (a decoder's prompt of
    /// `maxPositions` tokens or more), as `forward` refuses an input longer than the context.
    public func checkRoom(for ids: [Int], maxTokens: Int) throws {
        guard config.architecture != .encoderDecoder, maxTokens > 0, ids.count >= config.maxPositions else { return }
        throw ModelError.badInput("the prompt is \(ids.count) tokens long but the model's context is \(config.maxPositions) tokens, which leaves no room to generate (at most \(config.maxPositions - 1) tokens of prompt)")
    }
}
