import Tensor

/// GPT-2 as Hugging Face's `transformers` saves it (`GPT2Model`, `GPT2LMHeadModel`):
/// pre-LN LayerNorm blocks, learned positions, GELU (tanh approximation), and an LM head tied to
/// the token embeddings.
///
/// `config.json` keys and their defaults are those of `GPT2Config`; the dimensions have no default
/// here (a file without them is broken, and a guess would only fail later on the weights).
struct GPT2Configuration: Decodable {
    var vocabSize: Int
    var nPositions: Int
    var nEmbd: Int
    var nLayer: Int
    var nHead: Int
    /// The MLP width; null means 4 × n_embd.
    var nInner: Int?
    var activationFunction: String
    var layerNormEpsilon: Float
    var scaleAttnWeights: Bool
    var scaleAttnByInverseLayerIdx: Bool
    var addCrossAttention: Bool
    var tieWordEmbeddings: Bool
    var bosTokenId: Int?
    var eosTokenId: Int?
    var padTokenId: Int?

    enum CodingKeys: String, CodingKey {
        case vocabSize = "vocab_size", nPositions = "n_positions", nEmbd = "n_embd", nLayer = "n_layer"
        case nHead = "n_head", nInner = "n_inner", activationFunction = "activation_function"
        case layerNormEpsilon = "layer_norm_epsilon", scaleAttnWeights = "scale_attn_weights"
        case scaleAttnByInverseLayerIdx = "scale_attn_by_inverse_layer_idx"
        case addCrossAttention = "add_cross_attention", tieWordEmbeddings = "tie_word_embeddings"
        case bosTokenId = "bos_token_id", eosTokenId = "eos_token_id", padTokenId = "pad_token_id"
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        vocabSize = try c.decode(Int.self, forKey: .vocabSize)
        nPositions = try c.decode(Int.self, forKey: .nPositions)
        nEmbd = try c.decode(Int.self, forKey: .nEmbd)
        nLayer = try c.decode(Int.self, forKey: .nLayer)
        nHead = try c.decode(Int.self, forKey: .nHead)
        nInner = try c.decodeIfPresent(Int.self, forKey: .nInner)
        activationFunction = try c.decodeIfPresent(String.self, forKey: .activationFunction) ?? "gelu_new"
        layerNormEpsilon = try c.decodeIfPresent(Float.self, forKey: .layerNormEpsilon) ?? 1e-5
        scaleAttnWeights = try c.decodeIfPresent(Bool.self, forKey: .scaleAttnWeights) ?? true
        scaleAttnByInverseLayerIdx = try c.decodeIfPresent(Bool.self, forKey: .scaleAttnByInverseLayerIdx) ?? false
        addCrossAttention = try c.decodeIfPresent(Bool.self, forKey: .addCrossAttention) ?? false
        tieWordEmbeddings = try c.decodeIfPresent(Bool.self, forKey: .tieWordEmbeddings) ?? true
        bosTokenId = try HuggingFace.tokenId(c, .bosTokenId)
        eosTokenId = try HuggingFace.tokenId(c, .eosTokenId)
        padTokenId = try HuggingFace.tokenId(c, .padTokenId)
    }

    /// The same model in the project's terms.
    func modelConfig() throws -> ModelConfig {
        guard scaleAttnWeights else {
            throw HuggingFace.unsupported("scale_attn_weights false (scores not divided by √dh)")
        }
        guard !scaleAttnByInverseLayerIdx else {
            throw HuggingFace.unsupported("scale_attn_by_inverse_layer_idx (scores also divided by the layer number)")
        }
        guard !addCrossAttention else { throw HuggingFace.unsupported("add_cross_attention") }
        var config = ModelConfig(
            architecture: .decoder, normPosition: .pre, norm: .layerNorm, normEps: layerNormEpsilon,
            activation: try HuggingFace.activation(activationFunction, key: "activation_function"),
            positional: .learned, vocabSize: vocabSize, dModel: nEmbd, nHeads: nHead,
            dFF: nInner ?? 4 * nEmbd, nLayers: nLayer, maxPositions: nPositions,
            biases: Self.biases, tiedEmbeddings: tieWordEmbeddings, lmHead: true, mask: .causal)
        config.modelType = "gpt2"
        config.bosTokenId = bosTokenId
        config.eosTokenId = eosTokenId
        config.padTokenId = padTokenId
        return config
    }

    /// GPT-2's biases: on every `Conv1D` and LayerNorm; none on `lm_head` (a bias-free `nn.Linear`).
    static let biases: Biases = {
        var biases = Biases.standard
        biases.lmHead = false
        return biases
    }()

    /// Maps the file's tensors onto DESIGN.md's names.
    ///
    /// | file (`transformer.` optional)  | shape       | parameter                                   |
    /// |---------------------------------|-------------|---------------------------------------------|
    /// | `wte.weight`                    | [V, D]      | `embed.W_E` (view)                          |
    /// | `wpe.weight`                    | [T_max, D]  | `pos_embed.W_pos` (view)                    |
    /// | `h.{l}.ln_1.weight` / `.bias`   | [D]         | `blocks.{l}.ln1.w` / `.b` (view)            |
    /// | `h.{l}.attn.c_attn.weight`      | [D, 3D]     | columns [q | k | v] → `W_Q`, `W_K`, `W_V` [H, D, dh] (copies) |
    /// | `h.{l}.attn.c_attn.bias`        | [3D]        | `b_Q`, `b_K`, `b_V` [H, dh] (views)         |
    /// | `h.{l}.attn.c_proj.weight`      | [D, D]      | `W_O` [H, dh, D] (view: rows are head-major) |
    /// | `h.{l}.attn.c_proj.bias`        | [D]         | `b_O`                                       |
    /// | `h.{l}.ln_2.*`                  | [D]         | `blocks.{l}.ln2.*`                          |
    /// | `h.{l}.mlp.c_fc.weight` / `.bias`   | [D, F] / [F] | `W_in` / `b_in` (views)                |
    /// | `h.{l}.mlp.c_proj.weight` / `.bias` | [F, D] / [D] | `W_out` / `b_out` (views)              |
    /// | `ln_f.weight` / `.bias`         | [D]         | `ln_final.w` / `.b`                          |
    /// | `lm_head.weight` (untied only)  | [V, D]      | `unembed.W_U` [D, V] (copy); no `b_U`       |
    ///
    /// Other tensors (the old causal-mask buffers `h.{l}.attn.bias` and `masked_bias`) are ignored.
    static func parameters(_ weights: SafeTensorsFile, config: ModelConfig) throws -> Parameters {
        let file = try WeightSource(weights, prefixes: ["", "transformer."], anchor: "wte.weight")
        let (v, d, h, dh, f) = (config.vocabSize, config.dModel, config.nHeads, config.headSize, config.dFF)
        var out = ParameterBuilder(source: weights.path)
        out["embed.W_E"] = try file.base("wte.weight", shape: [v, d])
        out["pos_embed.W_pos"] = try file.base("wpe.weight", shape: [config.maxPositions, d])
        for l in 0..<config.nLayers {
            let (from, to) = ("h.\(l).", "blocks.\(l).")
            out.norm(to + "ln1", weight: try file.base(from + "ln_1.weight", shape: [d]),
                     bias: try file.base(from + "ln_1.bias", shape: [d]))
            let qkv = try file.base(from + "attn.c_attn.weight", shape: [d, 3 * d])
            let qkvBias = try file.base(from + "attn.c_attn.bias", shape: [3 * d])
            for (index, name) in ["Q", "K", "V"].enumerated() {
                out[to + "attn.W_\(name)"] = WeightLayout.headsFromConv1D(qkv, firstColumn: index * d, heads: h, headSize: dh)
                out[to + "attn.b_\(name)"] = WeightLayout.headBias(WeightLayout.part(qkvBias, index, of: 3), heads: h)
            }
            file.release(qkv)
            out[to + "attn.W_O"] = try file.base(from + "attn.c_proj.weight", shape: [d, d]).reshaped([h, dh, d])
            out[to + "attn.b_O"] = try file.base(from + "attn.c_proj.bias", shape: [d])
            out.norm(to + "ln2", weight: try file.base(from + "ln_2.weight", shape: [d]),
                     bias: try file.base(from + "ln_2.bias", shape: [d]))
            out[to + "mlp.W_in"] = try file.base(from + "mlp.c_fc.weight", shape: [d, f])
            out[to + "mlp.b_in"] = try file.base(from + "mlp.c_fc.bias", shape: [f])
            out[to + "mlp.W_out"] = try file.base(from + "mlp.c_proj.weight", shape: [f, d])
            out[to + "mlp.b_out"] = try file.base(from + "mlp.c_proj.bias", shape: [d])
        }
        out.norm("ln_final", weight: try file.base("ln_f.weight", shape: [d]), bias: try file.base("ln_f.bias", shape: [d]))
        if !config.tiedEmbeddings {
            let head = try file.exact("lm_head.weight", shape: [v, d])
            out["unembed.W_U"] = WeightLayout.transposed(head)
            file.release(head)
        }
        return out.parameters
    }
}
