import Tensor

/// Llama as Hugging Face's `transformers` saves it (`LlamaModel`, `LlamaForCausalLM`): pre-LN RMSNorm
/// blocks, RoPE (dimension i paired with i + dh/2), grouped-query attention, a SwiGLU MLP, biases only
/// where `attention_bias` / `mlp_bias` ask for them, and an LM head that may be tied to the token
/// embeddings.
///
/// `config.json` keys and defaults as in `LlamaConfig`; the dimensions have no default here.
struct LlamaConfiguration: Decodable {
    /// Llama itself; Qwen2 (`Qwen2ForCausalLM`): the same blocks with biases on the q, k and v
    /// projections (none on o_proj, none in the MLP, whatever the config says) and sliding-window
    /// attention as an option; or Mistral (`MistralForCausalLM`): Llama's blocks without any bias,
    /// whose attention looks back at most `sliding_window` tokens, which equals Llama's for inputs
    /// no longer than the window.
    enum Family: String {
        case llama, qwen2, mistral
    }

    /// Set by the caller from `model_type`.
    var family = Family.llama
    var vocabSize: Int
    var hiddenSize: Int
    var intermediateSize: Int
    var numHiddenLayers: Int
    var numAttentionHeads: Int
    var numKeyValueHeads: Int?
    var headDim: Int?
    var hiddenAct: String
    var maxPositionEmbeddings: Int
    var rmsNormEps: Float
    /// RoPE's base at the top level (transformers 4 files).
    var ropeTheta: Float?
    /// `rope_parameters` (transformers 5) or the older `rope_scaling`: the RoPE type and its base.
    var rope: RopeParameters?
    var attentionBias: Bool
    var mlpBias: Bool
    var tieWordEmbeddings: Bool
    var bosTokenId: Int?
    var eosTokenId: Int?
    var padTokenId: Int?
    /// Qwen2's sliding-window attention: `use_sliding_window`, or any `layer_types` entry
    /// "sliding_attention" (transformers 5).
    var useSlidingWindow: Bool
    var layerTypes: [String]?
    /// Mistral's (and Qwen2's, when used) attention window.
    var slidingWindow: Int?

    struct RopeParameters: Decodable {
        var ropeType: String?
        var type: String?
        var ropeTheta: Float?
        var partialRotaryFactor: Float?
        var factor: Double?
        var lowFrequencyFactor: Double?
        var highFrequencyFactor: Double?
        var originalMaxPositionEmbeddings: Int?

        enum CodingKeys: String, CodingKey {
            case ropeType = "rope_type", type, ropeTheta = "rope_theta", partialRotaryFactor = "partial_rotary_factor"
            case factor, lowFrequencyFactor = "low_freq_factor", highFrequencyFactor = "high_freq_factor"
            case originalMaxPositionEmbeddings = "original_max_position_embeddings"
        }
    }

    /// The RoPE scaling the config asks for, as `transformers` computes it; nil for the default.
    func ropeScaling() throws -> RopeScaling? {
        let ropeType = rope?.ropeType ?? rope?.type ?? "default"
        func number(_ value: Double?, _ key: String) throws -> Double {
            guard let value else { throw HuggingFace.unsupported("RoPE type \"\(ropeType)\" without \(key)") }
            return value
        }
        switch ropeType {
        case "default":
            return nil
        case "linear":
            return .linear(factor: try number(rope?.factor, "factor"))
        case "llama3":
            return .llama3(factor: try number(rope?.factor, "factor"),
                           lowFrequencyFactor: try number(rope?.lowFrequencyFactor, "low_freq_factor"),
                           highFrequencyFactor: try number(rope?.highFrequencyFactor, "high_freq_factor"),
                           originalMaxPositions: rope?.originalMaxPositionEmbeddings ?? maxPositionEmbeddings)
        default:
            throw HuggingFace.unsupported("RoPE type \"\(ropeType)\" (default, linear and llama3 are implemented; dynamic, yarn and longrope are not)")
        }
    }

    enum CodingKeys: String, CodingKey {
        case vocabSize = "vocab_size", hiddenSize = "hidden_size", intermediateSize = "intermediate_size"
        case numHiddenLayers = "num_hidden_layers", numAttentionHeads = "num_attention_heads"
        case numKeyValueHeads = "num_key_value_heads", headDim = "head_dim", hiddenAct = "hidden_act"
        case maxPositionEmbeddings = "max_position_embeddings", rmsNormEps = "rms_norm_eps"
        case ropeTheta = "rope_theta", ropeParameters = "rope_parameters", ropeScaling = "rope_scaling"
        case attentionBias = "attention_bias", mlpBias = "mlp_bias", tieWordEmbeddings = "tie_word_embeddings"
        case bosTokenId = "bos_token_id", eosTokenId = "eos_token_id", padTokenId = "pad_token_id"
        case useSlidingWindow = "use_sliding_window", layerTypes = "layer_types", slidingWindow = "sliding_window"
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        vocabSize = try c.decode(Int.self, forKey: .vocabSize)
        hiddenSize = try c.decode(Int.self, forKey: .hiddenSize)
        intermediateSize = try c.decode(Int.self, forKey: .intermediateSize)
        numHiddenLayers = try c.decode(Int.self, forKey: .numHiddenLayers)
        numAttentionHeads = try c.decode(Int.self, forKey: .numAttentionHeads)
        numKeyValueHeads = try c.decodeIfPresent(Int.self, forKey: .numKeyValueHeads)
        headDim = try c.decodeIfPresent(Int.self, forKey: .headDim)
        hiddenAct = try c.decodeIfPresent(String.self, forKey: .hiddenAct) ?? "silu"
        maxPositionEmbeddings = try c.decodeIfPresent(Int.self, forKey: .maxPositionEmbeddings) ?? 2048
        rmsNormEps = try c.decodeIfPresent(Float.self, forKey: .rmsNormEps) ?? 1e-6
        ropeTheta = try c.decodeIfPresent(Float.self, forKey: .ropeTheta)
        // As transformers reads them: an old `rope_scaling` wins over `rope_parameters`.
        rope = try c.decodeIfPresent(RopeParameters.self, forKey: .ropeScaling)
            ?? c.decodeIfPresent(RopeParameters.self, forKey: .ropeParameters)
        attentionBias = try c.decodeIfPresent(Bool.self, forKey: .attentionBias) ?? false
        mlpBias = try c.decodeIfPresent(Bool.self, forKey: .mlpBias) ?? false
        tieWordEmbeddings = try c.decodeIfPresent(Bool.self, forKey: .tieWordEmbeddings) ?? false
        bosTokenId = try HuggingFace.tokenId(c, .bosTokenId)
        eosTokenId = try HuggingFace.tokenId(c, .eosTokenId)
        padTokenId = try HuggingFace.tokenId(c, .padTokenId)
        useSlidingWindow = try c.decodeIfPresent(Bool.self, forKey: .useSlidingWindow) ?? false
        layerTypes = try c.decodeIfPresent([String].self, forKey: .layerTypes)
        slidingWindow = try c.decodeIfPresent(Int.self, forKey: .slidingWindow)
    }

    /// The same model in the project's terms.
    func modelConfig() throws -> ModelConfig {
        let scaling = try ropeScaling()
        if let factor = rope?.partialRotaryFactor, factor != 1 {
            throw HuggingFace.unsupported("partial_rotary_factor \(factor) (only 1: every dimension rotates)")
        }
        if useSlidingWindow || (layerTypes ?? []).contains(where: { $0 != "full_attention" }) {
            throw HuggingFace.unsupported("sliding-window attention (use_sliding_window, or layer_types other than full_attention)")
        }
        // Mistral's window hides nothing from inputs no longer than it: accept those only.
        var maxPositions = maxPositionEmbeddings
        if family == .mistral, let window = slidingWindow {
            guard window >= 1 else { throw HuggingFace.unsupported("sliding_window \(window)") }
            maxPositions = min(maxPositions, window)
        }
        var config = ModelConfig(
            architecture: .decoder, normPosition: .pre, norm: .rmsNorm, normEps: rmsNormEps,
            activation: try HuggingFace.activation(hiddenAct, key: "hidden_act"), gatedMLP: true,
            positional: .rope, ropeTheta: rope?.ropeTheta ?? ropeTheta ?? 10000,
            vocabSize: vocabSize, dModel: hiddenSize, nHeads: numAttentionHeads, nKVHeads: numKeyValueHeads,
            dHead: headDim, dFF: intermediateSize, nLayers: numHiddenLayers, maxPositions: maxPositions,
            biases: biases, tiedEmbeddings: tieWordEmbeddings, lmHead: true, mask: .causal)
        config.modelType = family.rawValue
        config.ropeScaling = scaling
        config.bosTokenId = bosTokenId
        config.eosTokenId = eosTokenId
        config.padTokenId = padTokenId
        return config
    }

    /// The sites with a bias, as `transformers` builds each family's layers: Llama's q, k, v and o
    /// projections with `attention_bias`, its gate, up and down projections with `mlp_bias`; Qwen2's
    /// q, k and v projections always; Mistral's none. The norms are RMSNorms and `lm_head` has none.
    var biases: Biases {
        switch family {
        case .llama:
            return Biases(q: attentionBias, k: attentionBias, v: attentionBias, o: attentionBias,
                          mlpIn: mlpBias, mlpGate: mlpBias, mlpOut: mlpBias)
        case .qwen2:
            return Biases(q: true, k: true, v: true)
        case .mistral:
            return .none
        }
    }

    /// Maps the file's tensors onto DESIGN.md's names. Linear weights are `[out, in]` and become
    /// `[in, out]` (copies); the embeddings and norms are views.
    ///
    /// | file (`model.` optional)                    | shape          | parameter                          |
    /// |---------------------------------------------|----------------|------------------------------------|
    /// | `embed_tokens.weight`                       | [V, D]         | `embed.W_E`                        |
    /// | `layers.{l}.input_layernorm.weight`         | [D]            | `blocks.{l}.ln1.w`                 |
    /// | `layers.{l}.self_attn.q_proj.weight`        | [H·dh, D]      | `attn.W_Q` [H, D, dh]              |
    /// | `layers.{l}.self_attn.k_proj` / `v_proj`    | [H_kv·dh, D]   | `attn.W_K` / `W_V` [H_kv, D, dh]   |
    /// | `layers.{l}.self_attn.o_proj.weight`        | [D, H·dh]      | `attn.W_O` [H, dh, D]              |
    /// | `layers.{l}.post_attention_layernorm.weight`| [D]            | `blocks.{l}.ln2.w`                 |
    /// | `layers.{l}.mlp.gate_proj.weight`           | [F, D]         | `mlp.W_gate` [D, F]                |
    /// | `layers.{l}.mlp.up_proj.weight`             | [F, D]         | `mlp.W_in` [D, F]                  |
    /// | `layers.{l}.mlp.down_proj.weight`           | [D, F]         | `mlp.W_out` [F, D]                 |
    /// | `norm.weight`                               | [D]            | `ln_final.w`                       |
    /// | `lm_head.weight` (untied only)              | [V, D]         | `unembed.W_U` [D, V]               |
    ///
    /// Each projection's `.bias` [out], where `config.biases` has that site, becomes its bias:
    /// q, k, v → `b_Q` [H, dh], `b_K` / `b_V` [H_kv, dh] (views), o → `b_O`, gate → `b_gate`,
    /// up → `b_in`, down → `b_out`. A site without one has no parameter.
    static func parameters(_ weights: SafeTensorsFile, config: ModelConfig) throws -> Parameters {
        let file = try WeightSource(weights, prefixes: ["", "model."], anchor: "embed_tokens.weight")
        let (v, d, h, hkv, dh, f) = (config.vocabSize, config.dModel, config.nHeads, config.kvHeads,
                                     config.headSize, config.dFF)
        let biases = config.biases
        var out = ParameterBuilder(source: weights.path)
        out["embed.W_E"] = try file.base("embed_tokens.weight", shape: [v, d])
        for l in 0..<config.nLayers {
            let (from, to) = ("layers.\(l).", "blocks.\(l).")
            out.norm(to + "ln1", weight: try file.base(from + "input_layernorm.weight", shape: [d]), bias: nil)
            for (part, name, heads, hasBias) in [("q_proj", "Q", h, biases.q), ("k_proj", "K", hkv, biases.k),
                                                 ("v_proj", "V", hkv, biases.v)] {
                let weight = try file.base(from + "self_attn.\(part).weight", shape: [heads * dh, d])
                out[to + "attn.W_\(name)"] = WeightLayout.headsFromLinear(weight, heads: heads)
                file.release(weight)
                if hasBias {
                    let bias = try file.base(from + "self_attn.\(part).bias", shape: [heads * dh])
                    out[to + "attn.b_\(name)"] = WeightLayout.headBias(bias, heads: heads)
                }
            }
            let output = try file.base(from + "self_attn.o_proj.weight", shape: [d, h * dh])
            out[to + "attn.W_O"] = WeightLayout.outputFromLinear(output, heads: h)
            file.release(output)
            if biases.o { out[to + "attn.b_O"] = try file.base(from + "self_attn.o_proj.bias", shape: [d]) }
            out.norm(to + "ln2", weight: try file.base(from + "post_attention_layernorm.weight", shape: [d]), bias: nil)
            for (part, name, shape, hasBias) in [("gate_proj", "gate", [f, d], config.hasGateBias),
                                                 ("up_proj", "in", [f, d], biases.mlpIn),
                                                 ("down_proj", "out", [d, f], biases.mlpOut)] {
                let weight = try file.base(from + "mlp.\(part).weight", shape: shape)
                out[to + "mlp.W_\(name)"] = WeightLayout.transposed(weight)
                file.release(weight)
                if hasBias { out[to + "mlp.b_\(name)"] = try file.base(from + "mlp.\(part).bias", shape: [shape[0]]) }
            }
        }
        out.norm("ln_final", weight: try file.base("norm.weight", shape: [d]), bias: nil)
        if !config.tiedEmbeddings {
            let head = try file.exact("lm_head.weight", shape: [v, d])
            out["unembed.W_U"] = WeightLayout.transposed(head)
            file.release(head)
        }
        return out.parameters
    }
}
