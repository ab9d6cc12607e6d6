/// The parts of a model that `explorer params` counts separately.
public enum ModelPart: String, Codable, CaseIterable, Sendable {
    /// Token embeddings, learned positions, token types and the embedding norm.
    case embeddings
    /// Self-attention and, in a decoder with an encoder, cross-attention: W_Q, W_K, W_V, W_O and biases.
    case attention
    /// The MLP of every block: W_in, W_gate, W_out and biases.
    case feedForward = "feed-forward"
    /// Every norm inside the blocks and each stack's final norm (the embedding norm counts as
    /// an embedding).
    case norms
    /// The LM head's `unembed.W_U` and `unembed.b_U`.
    case outputHead = "output head"
    /// BERT's pooler.
    case pooler
}

/// One parameter tensor: its name (DESIGN.md's "Parameter names"), its shape, and the part of the
/// model it belongs to.
public struct ParameterShape: Equatable, Sendable {
    public var name: String
    public var shape: [Int]
    public var part: ModelPart

    public init(name: String, shape: [Int], part: ModelPart) {
        self.name = name
        self.shape = shape
        self.part = part
    }

    /// The number of scalars: the product of the shape. Call `ModelConfig.parameterCount()` first
    /// for a config from outside, which checks that no product overflows.
    public var count: Int { shape.reduce(1, *) }
}

extension ModelConfig {
    /// Every parameter tensor the model has, in a fixed order, derived from the config alone. The
    /// loader checks files against this list and every count is a sum over it. Meaningful for a
    /// config that passes `validate()`.
    ///
    /// Shapes use V, D, H, H_kv, dh, F as in DESIGN.md. Per block `blocks.{l}.`: `ln1`, `attn`
    /// (W_Q [H,D,dh], W_K/W_V [H_kv,D,dh], W_O [H,dh,D], and each bias its site has in `biases`:
    /// b_Q [H,dh], b_K/b_V [H_kv,dh], b_O [D]), `ln_cross` and `cross_attn` (same shapes as `attn`)
    /// in a decoder that reads an encoder, `ln2`, `mlp` (W_in [D,F], W_gate [D,F] when gated,
    /// W_out [F,D]; b_in [F], b_gate [F] (gated only), b_out [D] where `biases` has them). b_in is
    /// added to `x W_in`, the up projection of a gated MLP, as the forward pass does.
    ///
    /// A norm is `.w [D]`, plus `.b [D]` for a LayerNorm when `biases.norm` is set; an RMSNorm never
    /// has `.b`. Pre-LN stacks end in `ln_final`; post-LN stacks do not (each block already ends in a
    /// norm). A learned position table has `positionOffset` rows before position 0's, counted as
    /// the file holds them: `pos_embed.W_pos [positionOffset + T_max, D]`.
    ///
    /// An encoder–decoder prefixes each stack's names with `encoder.` / `decoder.`: each stack has
    /// its own token table unless `sharedEmbeddings` (then one `embed.W_E`), its own learned
    /// positions, token types and embedding norm, and its own `ln_final`. The LM head belongs to
    /// the decoder (`decoder.unembed.W_U`, absent when tied), the pooler to the encoder
    /// (`encoder.pooler.W`).
    public func parameterShapes() -> [ParameterShape] {
        var list: [ParameterShape] = []
        switch architecture {
        case .decoder, .encoder:
            appendStack(to: &list, prefix: "", layers: nLayers, cross: false, ownTokens: true)
            appendHead(to: &list, prefix: "")
            appendPooler(to: &list, prefix: "")
        case .encoderDecoder:
            if sharedEmbeddings {
                list.append(ParameterShape(name: "embed.W_E", shape: [vocabSize, dModel], part: .embeddings))
            }
            appendStack(to: &list, prefix: "encoder.", layers: nLayers, cross: false,
                        ownTokens: !sharedEmbeddings)
            appendStack(to: &list, prefix: "decoder.", layers: decoderLayers, cross: true,
                        ownTokens: !sharedEmbeddings)
            appendHead(to: &list, prefix: "decoder.")
            appendPooler(to: &list, prefix: "encoder.")
        }
        return list
    }

    /// The number of parameters: the sum of `parameterShapes()`. Throws when the config is invalid
    /// or the count does not fit in an `Int`.
    public func parameterCount() throws -> Int {
        try validate()
        var total = 0
        for tensor in parameterShapes() {
            var count = 1
            for size in tensor.shape {
                let (product, overflow) = count.multipliedReportingOverflow(by: size)
                if overflow { throw ModelError.badConfig("\(tensor.name) is too large to count") }
                count = product
            }
            let (sum, overflow) = total.addingReportingOverflow(count)
            if overflow { throw ModelError.badConfig("the parameter count is too large to count") }
            total = sum
        }
        return total
    }

    // MARK: - The pieces

    /// Embeddings, blocks and final norm of one stack.
    private func appendStack(
        to list: inout [ParameterShape], prefix: String, layers: Int, cross: Bool, ownTokens: Bool
    ) {
        let D = dModel
        if ownTokens {
            list.append(ParameterShape(name: prefix + "embed.W_E", shape: [vocabSize, D], part: .embeddings))
        }
        if positional == .learned {
            list.append(ParameterShape(name: prefix + "pos_embed.W_pos", shape: [positionOffset + maxPositions, D],
                                       part: .embeddings))
        }
        if typeVocabSize > 0 {
            list.append(ParameterShape(name: prefix + "embed_type.W_type", shape: [typeVocabSize, D],
                                       part: .embeddings))
        }
        if embeddingNorm {
            appendNorm(to: &list, name: prefix + "embed_ln", part: .embeddings)
        }
        for l in 0..<layers {
            let block = prefix + "blocks.\(l)."
            appendNorm(to: &list, name: block + "ln1", part: .norms)
            appendAttention(to: &list, name: block + "attn")
            if cross {
                appendNorm(to: &list, name: block + "ln_cross", part: .norms)
                appendAttention(to: &list, name: block + "cross_attn")
            }
            appendNorm(to: &list, name: block + "ln2", part: .norms)
            appendMLP(to: &list, name: block + "mlp")
        }
        if normPosition == .pre {
            appendNorm(to: &list, name: prefix + "ln_final", part: .norms)
        }
    }

    /// `name.w [D]`, and `name.b [D]` for a LayerNorm with a bias.
    private func appendNorm(to list: inout [ParameterShape], name: String, part: ModelPart) {
        list.append(ParameterShape(name: name + ".w", shape: [dModel], part: part))
        if hasNormBias {
            list.append(ParameterShape(name: name + ".b", shape: [dModel], part: part))
        }
    }

    /// One attention's projections. Cross-attention has the same shapes: its keys and values are
    /// read from the encoder's output, which is D wide too.
    private func appendAttention(to list: inout [ParameterShape], name: String) {
        let (D, H, Hkv, dh) = (dModel, nHeads, kvHeads, headSize)
        func add(_ suffix: String, _ shape: [Int]) {
            list.append(ParameterShape(name: name + "." + suffix, shape: shape, part: .attention))
        }
        add("W_Q", [H, D, dh])
        add("W_K", [Hkv, D, dh])
        add("W_V", [Hkv, D, dh])
        add("W_O", [H, dh, D])
        if biases.q { add("b_Q", [H, dh]) }
        if biases.k { add("b_K", [Hkv, dh]) }
        if biases.v { add("b_V", [Hkv, dh]) }
        if biases.o { add("b_O", [D]) }
    }

    private func appendMLP(to list: inout [ParameterShape], name: String) {
        let (D, F) = (dModel, dFF)
        func add(_ suffix: String, _ shape: [Int]) {
            list.append(ParameterShape(name: name + "." + suffix, shape: shape, part: .feedForward))
        }
        add("W_in", [D, F])
        if gatedMLP { add("W_gate", [D, F]) }
        add("W_out", [F, D])
        if biases.mlpIn { add("b_in", [F]) }
        if hasGateBias { add("b_gate", [F]) }
        if biases.mlpOut { add("b_out", [D]) }
    }

    /// The LM head, unless the model has none or it reuses the token embeddings.
    private func appendHead(to list: inout [ParameterShape], prefix: String) {
        guard lmHead && !tiedEmbeddings else { return }
        list.append(ParameterShape(name: prefix + "unembed.W_U", shape: [dModel, vocabSize], part: .outputHead))
        if hasUnembedBias {
            list.append(ParameterShape(name: prefix + "unembed.b_U", shape: [vocabSize], part: .outputHead))
        }
    }

    private func appendPooler(to list: inout [ParameterShape], prefix: String) {
        guard pooler else { return }
        list.append(ParameterShape(name: prefix + "pooler.W", shape: [dModel, dModel], part: .pooler))
        list.append(ParameterShape(name: prefix + "pooler.b", shape: [dModel], part: .pooler))
    }
}
