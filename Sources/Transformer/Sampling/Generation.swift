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
        while produced.count < maxTokens && running.count < config.maxPositions {
            let result = encoderDecoder
                ? try forward(ids, decoderIds: running, recording: .none)
                : try forward(running, recording: .none)
            guard let logits = result.logits else { break }
            let last = logits.slice(logits.shape[0] - 1).scalars
            let next = Sampler.sample(logits: last, settings: settings, generator: &generator)
            produced.append(next)
            running.append(next)
            onToken(next)
            if next == config.eosTokenId { break }
        }
        return produced
    }
}
