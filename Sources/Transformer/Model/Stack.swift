import Tensor

/// One stack of blocks with its embedding and, where the model has them, its final norm and LM head:
/// the whole model for a decoder or an encoder, one half of an encoder–decoder.
struct Stack: Sendable {
    /// `""`, `"encoder."` or `"decoder."`: the prefix of this stack's hook and parameter names.
    let prefix: String
    let embedding: Embedding
    let blocks: [Block]
    let finalNorm: Norm?
    /// Whether the stack ends in an LM head (logits).
    let hasLMHead: Bool
    /// `W_U [D,V]` and `b_U [V]` of an untied head; nil when the head is tied to the token table
    /// (then the logits read `embed.W_E` transposed) or there is no head.
    let unembedWeight: LinearWeight?
    let unembedBias: Tensor?

    init(prefix: String, layers: Int, crossAttention: Bool, lmHead: Bool, config: ModelConfig,
         parameters: Parameters) throws {
        self.prefix = prefix
        let tokenTableName = config.sharedEmbeddings ? "embed.W_E" : "\(prefix)embed.W_E"
        embedding = try Embedding(prefix: prefix, tokenTableName: tokenTableName, config: config,
                                  parameters: parameters)
        let rotary = config.positional == .rope
            ? RotaryEmbedding(headSize: config.headSize, theta: config.ropeTheta, scaling: config.ropeScaling) : nil
        let packed = WeightPacking.packedBlocks(layers: layers, config: config, parameters: parameters)
        blocks = try (0..<layers).map {
            try Block(index: $0, prefix: prefix, config: config, parameters: parameters,
                      crossAttention: crossAttention, rotary: rotary, packing: $0 < packed)
        }
        finalNorm = config.normPosition == .pre
            ? try Norm("\(prefix)ln_final", config: config, parameters: parameters) : nil
        hasLMHead = lmHead
        if lmHead {
            unembedWeight = config.tiedEmbeddings
                ? nil
                : try LinearWeight("\(prefix)unembed.W_U", shape: [config.dModel, config.vocabSize], parameters: parameters)
            unembedBias = config.hasUnembedBias
                ? try parameters.require("\(prefix)unembed.b_U", shape: [config.vocabSize]) : nil
        } else {
            (unembedWeight, unembedBias) = (nil, nil)
        }
    }

    /// Runs the stack on `ids`; → the final hidden states `[T,D]` (after the final norm) and the
    /// logits `[T,V]` when the stack has an LM head.
    func callAsFunction(_ ids: [Int], mask: AttentionMask, encoderOutput: Tensor?, recorder: inout Recorder)
        -> (hidden: Tensor, logits: Tensor?) {
        let outerPrefix = recorder.prefix
        recorder.prefix = outerPrefix + prefix
        defer { recorder.prefix = outerPrefix }
        var stream = embedding(ids, recorder: &recorder)
        for block in blocks {
            stream = block(stream, mask: mask, encoderOutput: encoderOutput, recorder: &recorder)
        }
        return head(stream, recorder: &recorder)
    }

    /// The final norm and the LM head on the last residual stream `stream [T,D]`: → the hidden states
    /// `[T,D]` and the logits `[T,V]`. With `lastRowOnly`, and when the recorder asks for none of
    /// `ln_final.out`, `logits` and `probs`, only the last row goes through them (a generation step
    /// reads no other): → `[1,D]` and `[1,V]`. A stream with a non-finite value keeps every row, so
    /// the logits show the fault as a full pass's would.
    func head(_ stream: Tensor, lastRowOnly: Bool = false, recorder: inout Recorder) -> (hidden: Tensor, logits: Tensor?) {
        var stream = stream
        if lastRowOnly && stream.shape[0] > 1 && hasLMHead
            && !recorder.wants("ln_final.out") && !recorder.wants("logits") && !recorder.wants("probs")
            && stream.firstNonFinite() == nil {
            stream = stream.slice(stream.shape[0] - 1).reshaped([1, stream.shape[1]])
        }
        if let finalNorm {
            stream = finalNorm(stream)
            recorder.record("ln_final.out", stream)
        }
        guard hasLMHead else { return (stream, nil) }
        // A tied head reads the token table [V,D] as it is: logits = x · W_Eᵀ, no transposed copy.
        let logits = unembedWeight.map { $0.apply(stream, addingRow: unembedBias) }
            ?? embedding.tiedLogits(stream)
        recorder.record("logits", logits)
        recorder.record("probs") { logits.softmaxLastAxis() }
        return (stream, logits)
    }
}
