import Tensor

/// BERT as Hugging Face's `transformers` saves it (`BertModel`, or a task model with a `bert.` prefix):
/// post-LN LayerNorm blocks, learned positions, token types, a LayerNorm on the embeddings, GELU,
/// and a pooler. The explorer runs the encoder only: no LM head, so no logits.
///
/// `config.json` keys and defaults as in `BertConfig`; the dimensions have no default here.
struct BERTConfiguration: Decodable {
    /// BERT itself, or RoBERTa (`RobertaModel`): the same encoder under a `roberta.` prefix, whose
    /// position table starts its first token at row `pad_token_id + 1` (rows before it are read by
    /// no position of an input without padding, but are in the file and among the parameters).
    enum Family: String {
        case bert, roberta
    }

    /// Set by the caller from `model_type`.
    var family = Family.bert
    var vocabSize: Int
    var hiddenSize: Int
    var numHiddenLayers: Int
    var numAttentionHeads: Int
    var intermediateSize: Int
    var maxPositionEmbeddings: Int
    var typeVocabSize: Int
    var layerNormEps: Float
    var hiddenAct: String
    var positionEmbeddingType: String
    var isDecoder: Bool
    var addCrossAttention: Bool
    var padTokenId: Int?
    var bosTokenId: Int?
    var eosTokenId: Int?

    enum CodingKeys: String, CodingKey {
        case vocabSize = "vocab_size", hiddenSize = "hidden_size", numHiddenLayers = "num_hidden_layers"
        case numAttentionHeads = "num_attention_heads", intermediateSize = "intermediate_size"
        case maxPositionEmbeddings = "max_position_embeddings", typeVocabSize = "type_vocab_size"
        case layerNormEps = "layer_norm_eps", hiddenAct = "hidden_act"
        case positionEmbeddingType = "position_embedding_type", isDecoder = "is_decoder"
        case addCrossAttention = "add_cross_attention"
        case padTokenId = "pad_token_id", bosTokenId = "bos_token_id", eosTokenId = "eos_token_id"
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        vocabSize = try c.decode(Int.self, forKey: .vocabSize)
        hiddenSize = try c.decode(Int.self, forKey: .hiddenSize)
        numHiddenLayers = try c.decode(Int.self, forKey: .numHiddenLayers)
        numAttentionHeads = try c.decode(Int.self, forKey: .numAttentionHeads)
        intermediateSize = try c.decode(Int.self, forKey: .intermediateSize)
        maxPositionEmbeddings = try c.decode(Int.self, forKey: .maxPositionEmbeddings)
        typeVocabSize = try c.decodeIfPresent(Int.self, forKey: .typeVocabSize) ?? 2
        layerNormEps = try c.decodeIfPresent(Float.self, forKey: .layerNormEps) ?? 1e-12
        hiddenAct = try c.decodeIfPresent(String.self, forKey: .hiddenAct) ?? "gelu"
        positionEmbeddingType = try c.decodeIfPresent(String.self, forKey: .positionEmbeddingType) ?? "absolute"
        isDecoder = try c.decodeIfPresent(Bool.self, forKey: .isDecoder) ?? false
        addCrossAttention = try c.decodeIfPresent(Bool.self, forKey: .addCrossAttention) ?? false
        padTokenId = try HuggingFace.tokenId(c, .padTokenId)
        bosTokenId = try HuggingFace.tokenId(c, .bosTokenId)
        eosTokenId = try HuggingFace.tokenId(c, .eosTokenId)
    }

    /// The same model in the project's terms. `pooler` says whether the file holds the pooler.
    func modelConfig() throws -> ModelConfig {
        guard positionEmbeddingType == "absolute" else {
            throw HuggingFace.unsupported("position_embedding_type \"\(positionEmbeddingType)\" (only \"absolute\")")
        }
        guard !isDecoder && !addCrossAttention else {
            throw HuggingFace.unsupported("a BERT decoder (is_decoder or add_cross_attention)")
        }
        // RoBERTa's positions count from pad_token_id + 1: that many rows of its table come first.
        let offset = family == .roberta ? Self.positionOffset(padTokenId: padTokenId) : 0
        guard maxPositionEmbeddings > offset else {
            throw HuggingFace.unsupported("max_position_embeddings \(maxPositionEmbeddings) with positions starting at \(offset)")
        }
        var config = ModelConfig(
            architecture: .encoder, normPosition: .post, norm: .layerNorm, normEps: layerNormEps,
            activation: try HuggingFace.activation(hiddenAct, key: "hidden_act"),
            positional: .learned, vocabSize: vocabSize, dModel: hiddenSize, nHeads: numAttentionHeads,
            dFF: intermediateSize, nLayers: numHiddenLayers, maxPositions: maxPositionEmbeddings - offset,
            typeVocabSize: typeVocabSize, embeddingNorm: true, biases: Self.biases, lmHead: false, pooler: true,
            mask: .bidirectional)
        config.modelType = family.rawValue
        config.positionOffset = offset
        config.padTokenId = padTokenId
        config.bosTokenId = bosTokenId
        config.eosTokenId = eosTokenId
        return config
    }

    /// The row of the position table a RoBERTa model's first token takes: `pad_token_id + 1`
    /// (`create_position_ids_from_input_ids`, for an input without padding).
    static func positionOffset(padTokenId: Int?) -> Int { (padTokenId ?? 1) + 1 }

    /// BERT's biases: on every `nn.Linear` and LayerNorm (it has no LM head here).
    static let biases: Biases = {
        var biases = Biases.standard
        biases.lmHead = false
        return biases
    }()

    /// The prefixes a BERT (or RoBERTa) file may put before the encoder's tensors.
    static let prefixes = ["", "bert.", "roberta."]

    /// Whether the file holds the pooler (a `BertModel` saved with `add_pooling_layer=False`, or a
    /// masked-LM model, has none).
    static func hasPooler(_ weights: SafeTensorsFile) -> Bool {
        prefixes.contains { weights.entry($0 + "pooler.dense.weight") != nil }
    }

    /// Maps the file's tensors onto DESIGN.md's names. Linear weights are `[out, in]` and become
    /// `[in, out]` (copies); embeddings, biases and norms are views. A LayerNorm is `weight`/`bias`,
    /// or `gamma`/`beta` in files converted from the original TensorFlow checkpoints.
    ///
    /// | file (`bert.` optional)                         | shape   | parameter                       |
    /// |-------------------------------------------------|---------|---------------------------------|
    /// | `embeddings.word_embeddings.weight`             | [V, D]  | `embed.W_E`                     |
    /// | `embeddings.position_embeddings.weight`         | [T, D]  | `pos_embed.W_pos` (RoBERTa: position p at row pad + 1 + p) |
    /// | `embeddings.token_type_embeddings.weight`       | [2, D]  | `embed_type.W_type`             |
    /// | `embeddings.LayerNorm.*`                        | [D]     | `embed_ln.w` / `.b`             |
    /// | `encoder.layer.{l}.attention.self.query.weight` | [D, D]  | `blocks.{l}.attn.W_Q` [H, D, dh] (likewise key, value) |
    /// | `….attention.output.dense.weight`               | [D, D]  | `attn.W_O` [H, dh, D]           |
    /// | `….attention.output.LayerNorm.*`                | [D]     | `ln1` (post-LN: after attention) |
    /// | `….intermediate.dense.weight`                   | [F, D]  | `mlp.W_in` [D, F]               |
    /// | `….output.dense.weight`                         | [D, F]  | `mlp.W_out` [F, D]              |
    /// | `….output.LayerNorm.*`                          | [D]     | `ln2`                           |
    /// | `pooler.dense.weight` / `.bias`                 | [D, D]  | `pooler.W` (transposed) / `.b`  |
    ///
    /// The integer `embeddings.position_ids` buffer and any task head (`cls.*`) are ignored.
    static func parameters(_ weights: SafeTensorsFile, config: ModelConfig) throws -> Parameters {
        let file = try WeightSource(weights, prefixes: prefixes, anchor: "embeddings.word_embeddings.weight")
        let (v, d, h, f) = (config.vocabSize, config.dModel, config.nHeads, config.dFF)
        var out = ParameterBuilder(source: weights.path)
        func layerNorm(_ from: String, _ to: String) throws {
            out.norm(to, weight: try file.base(oneOf: [from + ".weight", from + ".gamma"], shape: [d]),
                     bias: try file.base(oneOf: [from + ".bias", from + ".beta"], shape: [d]))
        }
        func linear(_ name: String, _ shape: [Int]) throws -> (weight: Tensor, bias: Tensor) {
            (try file.base(name + ".weight", shape: shape), try file.base(name + ".bias", shape: [shape[0]]))
        }
        out["embed.W_E"] = try file.base("embeddings.word_embeddings.weight", shape: [v, d])
        out["pos_embed.W_pos"] = try file.base("embeddings.position_embeddings.weight",
                                               shape: [config.positionOffset + config.maxPositions, d])
        out["embed_type.W_type"] = try file.base("embeddings.token_type_embeddings.weight", shape: [config.typeVocabSize, d])
        try layerNorm("embeddings.LayerNorm", "embed_ln")
        for l in 0..<config.nLayers {
            let (from, to) = ("encoder.layer.\(l).", "blocks.\(l).")
            for (part, name) in [("query", "Q"), ("key", "K"), ("value", "V")] {
                let projection = try linear(from + "attention.self." + part, [d, d])
                out[to + "attn.W_\(name)"] = WeightLayout.headsFromLinear(projection.weight, heads: h)
                file.release(projection.weight)
                out[to + "attn.b_\(name)"] = WeightLayout.headBias(projection.bias, heads: h)
            }
            let output = try linear(from + "attention.output.dense", [d, d])
            out[to + "attn.W_O"] = WeightLayout.outputFromLinear(output.weight, heads: h)
            file.release(output.weight)
            out[to + "attn.b_O"] = output.bias
            try layerNorm(from + "attention.output.LayerNorm", to + "ln1")
            let up = try linear(from + "intermediate.dense", [f, d])
            out[to + "mlp.W_in"] = WeightLayout.transposed(up.weight)
            file.release(up.weight)
            out[to + "mlp.b_in"] = up.bias
            let down = try linear(from + "output.dense", [d, f])
            out[to + "mlp.W_out"] = WeightLayout.transposed(down.weight)
            file.release(down.weight)
            out[to + "mlp.b_out"] = down.bias
            try layerNorm(from + "output.LayerNorm", to + "ln2")
        }
        if config.pooler {
            let pooler = try linear("pooler.dense", [d, d])
            out["pooler.W"] = WeightLayout.transposed(pooler.weight)
            file.release(pooler.weight)
            out["pooler.b"] = pooler.bias
        }
        return out.parameters
    }
}
