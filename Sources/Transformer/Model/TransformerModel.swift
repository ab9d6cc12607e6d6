import Tensor

/// A transformer ready to run: its config, its parameters by DESIGN.md's names, and its stacks.
///
/// `forward` records every intermediate tensor the filter selects into an `ActivationCache` under
/// the hook names of DESIGN.md; recording nothing costs nothing extra.
public struct TransformerModel: Sendable {
    public let config: ModelConfig
    public let parameters: Parameters
    /// The encoder of an encoder–decoder, or the single stack of a decoder or encoder.
    let main: Stack
    /// The decoder of an encoder–decoder.
    let decoder: Stack?

    /// Builds the layers from `parameters`, checking every tensor the config implies is there with
    /// the right shape.
    public init(config: ModelConfig, parameters: Parameters) throws {
        try config.validate()
        self.config = config
        self.parameters = parameters
        switch config.architecture {
        case .decoder, .encoder:
            main = try Stack(prefix: "", layers: config.nLayers, crossAttention: false, lmHead: config.lmHead,
                             config: config, parameters: parameters)
            decoder = nil
        case .encoderDecoder:
            main = try Stack(prefix: "encoder.", layers: config.nLayers, crossAttention: false, lmHead: false,
                             config: config, parameters: parameters)
            decoder = try Stack(prefix: "decoder.", layers: config.decoderLayers, crossAttention: true,
                                lmHead: config.lmHead, config: config, parameters: parameters)
        }
    }

    /// Runs the model.
    ///
    /// - Parameters:
    ///   - ids: the input token ids (the encoder's, in an encoder–decoder), `T` of them.
    ///   - decoderIds: the decoder's input in an encoder–decoder (starting with its start token).
    ///   - mask: overrides the self-attention mask (the decoder's in an encoder–decoder; an encoder
    ///     of an encoder–decoder is always bidirectional).
    ///   - filter: which hooks to record.
    ///   - weightedLimit: `attn.weighted [H,T,T,dh]` is left out for inputs longer than this.
    /// - Returns: the cache and the logits `[T,V]` (the decoder's) when the model has an LM head.
    public func forward(
        _ ids: [Int], decoderIds: [Int]? = nil, mask: AttentionMask? = nil,
        recording filter: HookFilter = .all, weightedLimit: Int? = nil
    ) throws -> ForwardResult {
        try check(ids, what: "input")
        var recorder = Recorder(filter: filter, weightedLimit: weightedLimit)
        if let decoder {
            guard let decoderIds else {
                throw ModelError.badInput("an encoder-decoder model needs a decoder input (a target)")
            }
            try check(decoderIds, what: "decoder input")
            let encoded = main(ids, mask: .bidirectional, encoderOutput: nil, recorder: &recorder)
            let decoded = decoder(decoderIds, mask: mask ?? config.mask, encoderOutput: encoded.hidden,
                                  recorder: &recorder)
            return ForwardResult(cache: recorder.cache, logits: decoded.logits, omitted: recorder.omitted)
        }
        let result = main(ids, mask: mask ?? config.mask, encoderOutput: nil, recorder: &recorder)
        return ForwardResult(cache: recorder.cache, logits: result.logits, omitted: recorder.omitted)
    }

    func check(_ ids: [Int], what: String) throws {
        guard !ids.isEmpty else { throw ModelError.emptyInput }
        guard ids.count <= config.maxPositions else {
            throw ModelError.inputTooLong(tokens: ids.count, limit: config.maxPositions)
        }
        if let bad = ids.first(where: { $0 < 0 || $0 >= config.vocabSize }) {
            throw ModelError.badInput("token id \(bad) in the \(what) is outside the vocabulary (0..<\(config.vocabSize))")
        }
    }
}

/// What one forward pass produced.
public struct ForwardResult: Sendable {
    /// The recorded tensors by hook name.
    public var cache: ActivationCache
    /// `[T,V]` (the decoder's, in an encoder–decoder) when the model has an LM head.
    public var logits: Tensor?
    /// Hooks the filter selected but the pass left out (e.g. `attn.weighted` above the length limit).
    public var omitted: [String]
}
