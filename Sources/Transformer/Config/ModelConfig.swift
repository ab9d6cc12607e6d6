import Tensor

/// Everything about a transformer's architecture that its forward pass needs: one description
/// covers GPT-style decoders, BERT-style encoders, Llama-style decoders and the original
/// encoder–decoder, by choosing among a few orthogonal options.
///
/// This is the `config.json` of the project's own models (`"model_type": "explorer"`), with
/// snake_case keys. Hugging Face configs (`gpt2`, `bert`, `llama`) are mapped onto it by their loaders.
public struct ModelConfig: Codable, Equatable, Sendable {
    /// Which stacks the model has.
    public enum Architecture: String, Codable, Sendable {
        case decoder
        case encoder
        case encoderDecoder = "encoder-decoder"
    }

    /// Where each block normalises: before each sublayer (GPT-2, Llama) or after each residual sum
    /// (BERT, the original Transformer).
    public enum NormPosition: String, Codable, Sendable {
        case pre, post
    }

    /// The normalisation function.
    public enum NormKind: String, Codable, Sendable {
        case layerNorm = "layernorm"
        case rmsNorm = "rmsnorm"
    }

    /// How positions enter the model.
    public enum Positional: String, Codable, Sendable {
        /// A learned table `pos_embed.W_pos [T_max, D]` added to the token embeddings (GPT-2, BERT).
        case learned
        /// The fixed sine/cosine table of Vaswani et al. added to the embeddings.
        case sinusoidal
        /// Rotary embeddings applied to queries and keys in every attention (Llama).
        case rope
    }

    public var modelType: String = "explorer"
    public var architecture: Architecture
    public var normPosition: NormPosition
    public var norm: NormKind = .layerNorm
    public var normEps: Float = 1e-5
    public var activation: Activation
    /// A gated MLP (SwiGLU): `W_out(act(x W_gate) * (x W_in))`.
    public var gatedMLP: Bool = false
    public var positional: Positional
    /// RoPE's base θ: dimension pair i rotates by position × θ^(−2i/dh).
    public var ropeTheta: Float = 10000
    /// How RoPE's frequencies are stretched for a longer context (Llama 3.1's, or linear); nil: not.
    public var ropeScaling: RopeScaling?
    /// The vocabulary size V.
    public var vocabSize: Int
    /// The model width D.
    public var dModel: Int
    /// The number of query heads H.
    public var nHeads: Int
    /// The number of key/value heads H_kv (fewer than H for grouped-query attention); defaults to H.
    public var nKVHeads: Int?
    /// The head size dh; defaults to D / H.
    public var dHead: Int?
    /// The feed-forward width F.
    public var dFF: Int
    /// Blocks in the model (in the encoder, for an encoder–decoder).
    public var nLayers: Int
    /// Blocks in the decoder of an encoder–decoder; defaults to `nLayers`.
    public var nDecoderLayers: Int?
    /// The longest input, T_max (the rows of a learned position table that positions use).
    public var maxPositions: Int
    /// Rows of a learned position table before position 0's, which no position reads: the table is
    /// `pos_embed.W_pos [positionOffset + T_max, D]` and position p reads row `positionOffset + p`.
    /// RoBERTa's is `pad_token_id + 1` (its position ids count from there); 0 for every other model.
    public var positionOffset: Int = 0
    /// BERT's token-type (segment) vocabulary; 0 for none.
    public var typeVocabSize: Int = 0
    /// A norm applied to the summed embeddings before the first block (BERT).
    public var embeddingNorm: Bool = false
    /// Multiply token embeddings by √D (the original Transformer).
    public var scaleEmbeddings: Bool = false
    /// Which sites carry a bias (b_Q, b_O, b_in, a LayerNorm's `.b`, …), as the model's file has them.
    /// `config.json` key `bias`: `true`, `false`, or an object of per-site flags (see `Biases`).
    public var biases: Biases = .standard
    /// The output head reuses the token embeddings: `unembed.W_U = embed.W_Eᵀ`.
    public var tiedEmbeddings: Bool = false
    /// Whether the model ends in an LM head (logits over the vocabulary). Its bias `unembed.b_U [V]`
    /// exists when `biases.lmHead` is set and the head is not tied.
    public var lmHead: Bool = true
    /// An encoder–decoder whose encoder, decoder (and tied output head) share one embedding table,
    /// stored once as `embed.W_E` (the original Transformer's shared vocabulary).
    public var sharedEmbeddings: Bool = false
    /// BERT's pooler (`pooler.W [D,D]`, `pooler.b [D]`: tanh of the first token's final state);
    /// counted by `params`, not used by the forward pass.
    public var pooler: Bool = false
    /// The default self-attention mask (the decoder's, in an encoder–decoder).
    public var mask: AttentionMask
    public var bosTokenId: Int?
    public var eosTokenId: Int?
    public var padTokenId: Int?
    public var unkTokenId: Int?
    /// The token an encoder–decoder's decoder input starts with.
    public var decoderStartTokenId: Int?

    enum CodingKeys: String, CodingKey {
        case modelType = "model_type", architecture, normPosition = "norm_position", norm
        case normEps = "norm_eps", activation, gatedMLP = "gated_mlp", positional
        case ropeTheta = "rope_theta", ropeScaling = "rope_scaling", vocabSize = "vocab_size", dModel = "d_model"
        case nHeads = "n_heads", nKVHeads = "n_kv_heads", dHead = "d_head", dFF = "d_ff"
        case nLayers = "n_layers", nDecoderLayers = "n_decoder_layers"
        case maxPositions = "max_positions", positionOffset = "position_offset", typeVocabSize = "type_vocab_size"
        case embeddingNorm = "embedding_norm", scaleEmbeddings = "scale_embeddings", biases = "bias"
        case tiedEmbeddings = "tied_embeddings", lmHead = "lm_head", mask
        case sharedEmbeddings = "shared_embeddings", pooler
        case bosTokenId = "bos_token_id", eosTokenId = "eos_token_id", padTokenId = "pad_token_id"
        case unkTokenId = "unk_token_id", decoderStartTokenId = "decoder_start_token_id"
    }

    public init(
        architecture: Architecture, normPosition: NormPosition, norm: NormKind = .layerNorm,
        normEps: Float = 1e-5, activation: Activation, gatedMLP: Bool = false,
        positional: Positional, ropeTheta: Float = 10000, vocabSize: Int, dModel: Int,
        nHeads: Int, nKVHeads: Int? = nil, dHead: Int? = nil, dFF: Int, nLayers: Int,
        nDecoderLayers: Int? = nil, maxPositions: Int, typeVocabSize: Int = 0,
        embeddingNorm: Bool = false, scaleEmbeddings: Bool = false, biases: Biases = .standard,
        tiedEmbeddings: Bool = false, lmHead: Bool = true, sharedEmbeddings: Bool = false,
        pooler: Bool = false, mask: AttentionMask
    ) {
        self.architecture = architecture; self.normPosition = normPosition; self.norm = norm
        self.normEps = normEps; self.activation = activation; self.gatedMLP = gatedMLP
        self.positional = positional; self.ropeTheta = ropeTheta; self.vocabSize = vocabSize
        self.dModel = dModel; self.nHeads = nHeads; self.nKVHeads = nKVHeads; self.dHead = dHead
        self.dFF = dFF; self.nLayers = nLayers; self.nDecoderLayers = nDecoderLayers
        self.maxPositions = maxPositions; self.typeVocabSize = typeVocabSize
        self.embeddingNorm = embeddingNorm; self.scaleEmbeddings = scaleEmbeddings
        self.biases = biases; self.tiedEmbeddings = tiedEmbeddings; self.lmHead = lmHead
        self.sharedEmbeddings = sharedEmbeddings; self.pooler = pooler; self.mask = mask
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        modelType = try c.decodeIfPresent(String.self, forKey: .modelType) ?? "explorer"
        architecture = try c.decode(Architecture.self, forKey: .architecture)
        normPosition = try c.decode(NormPosition.self, forKey: .normPosition)
        norm = try c.decodeIfPresent(NormKind.self, forKey: .norm) ?? .layerNorm
        normEps = try c.decodeIfPresent(Float.self, forKey: .normEps) ?? 1e-5
        activation = try c.decode(Activation.self, forKey: .activation)
        gatedMLP = try c.decodeIfPresent(Bool.self, forKey: .gatedMLP) ?? false
        positional = try c.decode(Positional.self, forKey: .positional)
        ropeTheta = try c.decodeIfPresent(Float.self, forKey: .ropeTheta) ?? 10000
        ropeScaling = try c.decodeIfPresent(RopeScaling.self, forKey: .ropeScaling)
        vocabSize = try c.decode(Int.self, forKey: .vocabSize)
        dModel = try c.decode(Int.self, forKey: .dModel)
        nHeads = try c.decode(Int.self, forKey: .nHeads)
        nKVHeads = try c.decodeIfPresent(Int.self, forKey: .nKVHeads)
        dHead = try c.decodeIfPresent(Int.self, forKey: .dHead)
        dFF = try c.decode(Int.self, forKey: .dFF)
        nLayers = try c.decode(Int.self, forKey: .nLayers)
        nDecoderLayers = try c.decodeIfPresent(Int.self, forKey: .nDecoderLayers)
        maxPositions = try c.decode(Int.self, forKey: .maxPositions)
        positionOffset = try c.decodeIfPresent(Int.self, forKey: .positionOffset) ?? 0
        typeVocabSize = try c.decodeIfPresent(Int.self, forKey: .typeVocabSize) ?? 0
        embeddingNorm = try c.decodeIfPresent(Bool.self, forKey: .embeddingNorm) ?? false
        scaleEmbeddings = try c.decodeIfPresent(Bool.self, forKey: .scaleEmbeddings) ?? false
        biases = try c.decodeIfPresent(Biases.self, forKey: .biases) ?? .standard
        tiedEmbeddings = try c.decodeIfPresent(Bool.self, forKey: .tiedEmbeddings) ?? false
        lmHead = try c.decodeIfPresent(Bool.self, forKey: .lmHead) ?? true
        sharedEmbeddings = try c.decodeIfPresent(Bool.self, forKey: .sharedEmbeddings) ?? false
        pooler = try c.decodeIfPresent(Bool.self, forKey: .pooler) ?? false
        mask = try c.decodeIfPresent(AttentionMask.self, forKey: .mask)
            ?? (architecture == .encoder ? .bidirectional : .causal)
        bosTokenId = try c.decodeIfPresent(Int.self, forKey: .bosTokenId)
        eosTokenId = try c.decodeIfPresent(Int.self, forKey: .eosTokenId)
        padTokenId = try c.decodeIfPresent(Int.self, forKey: .padTokenId)
        unkTokenId = try c.decodeIfPresent(Int.self, forKey: .unkTokenId)
        decoderStartTokenId = try c.decodeIfPresent(Int.self, forKey: .decoderStartTokenId)
    }

    /// H_kv, the number of key/value heads.
    public var kvHeads: Int { nKVHeads ?? nHeads }
    /// dh, the size of each head.
    public var headSize: Int { dHead ?? dModel / nHeads }
    /// The number of decoder blocks of an encoder–decoder.
    public var decoderLayers: Int { nDecoderLayers ?? nLayers }

    /// Checks the numbers fit together; throws a `ModelError.badConfig` naming the first that does not.
    public func validate() throws {
        func require(_ ok: Bool, _ message: String) throws {
            if !ok { throw ModelError.badConfig(message) }
        }
        func bound(_ value: Int, _ key: String, _ limit: Int, minimum: Int = 1) throws {
            try require(value >= minimum && value <= limit,
                        "\(key) is \(value), out of range (\(minimum)...\(limit))")
        }
        // Sizes first, each on its own: nothing below multiplies numbers that are not yet bounded.
        try bound(vocabSize, "vocab_size", ConfigBounds.vocabulary)
        try bound(dModel, "d_model", ConfigBounds.width)
        try bound(nHeads, "n_heads", ConfigBounds.heads)
        if let nKVHeads { try bound(nKVHeads, "n_kv_heads", ConfigBounds.heads) }
        if let dHead { try bound(dHead, "d_head", ConfigBounds.headSize) }
        try bound(dFF, "d_ff", ConfigBounds.feedForward)
        try bound(nLayers, "n_layers", ConfigBounds.layers, minimum: 0)
        if let nDecoderLayers { try bound(nDecoderLayers, "n_decoder_layers", ConfigBounds.layers, minimum: 0) }
        try bound(maxPositions, "max_positions", ConfigBounds.positions)
        try bound(positionOffset, "position_offset", ConfigBounds.positions, minimum: 0)
        try bound(typeVocabSize, "type_vocab_size", ConfigBounds.tokenTypes, minimum: 0)
        for (id, key) in [(bosTokenId, "bos_token_id"), (eosTokenId, "eos_token_id"), (padTokenId, "pad_token_id"),
                          (unkTokenId, "unk_token_id"), (decoderStartTokenId, "decoder_start_token_id")] {
            if let id { try require(abs(id) <= ConfigBounds.integerLimit, "\(key) is \(id), out of range") }
        }
        try require(normEps.isFinite && normEps >= 0, "norm_eps must be finite and not negative, is \(normEps)")
        try require(!(positional == .rope) || (ropeTheta.isFinite && ropeTheta > 0),
                    "rope_theta must be a finite number above 0, is \(ropeTheta)")
        try require(vocabSize > 0, "vocab_size must be positive, is \(vocabSize)")
        try require(dModel > 0, "d_model must be positive, is \(dModel)")
        try require(nHeads > 0, "n_heads must be positive, is \(nHeads)")
        try require(kvHeads > 0 && nHeads % kvHeads == 0,
                    "n_kv_heads (\(kvHeads)) must divide n_heads (\(nHeads))")
        try require(headSize > 0, "d_head must be positive, is \(headSize)")
        try require(dHead != nil || dModel % nHeads == 0,
                    "d_model (\(dModel)) is not a multiple of n_heads (\(nHeads)); give d_head")
        try require(positional != .rope || headSize % 2 == 0, "RoPE needs an even d_head, is \(headSize)")
        if let problem = ropeScaling?.problem { try require(false, problem) }
        if case .frequencyFactors(let factors) = ropeScaling {
            try require(factors.count == headSize / 2,
                        "rope_scaling has \(factors.count) frequency factors; d_head \(headSize) has \(headSize / 2) RoPE pairs")
        }
        try require(ropeScaling == nil || positional == .rope, "rope_scaling is set but positions are \(positional.rawValue), not rope")
        try require(dFF > 0, "d_ff must be positive, is \(dFF)")
        try require(nLayers >= 0 && decoderLayers >= 0, "layer counts must not be negative")
        try require(maxPositions > 0, "max_positions must be positive, is \(maxPositions)")
        try require(positionOffset >= 0, "position_offset must not be negative, is \(positionOffset)")
        try require(positionOffset == 0 || positional == .learned,
                    "position_offset is set but positions are \(positional.rawValue), not a learned table")
        try require(normEps >= 0, "norm_eps must not be negative")
        // The largest tensors: every parameter and the position table must be addressable.
        let q = ConfigBounds.product(nHeads, headSize, dModel)
        let table = ConfigBounds.product(positionOffset + maxPositions, dModel)
        for (size, what) in [(ConfigBounds.product(vocabSize, dModel), "vocab_size × d_model"),
                             (ConfigBounds.product(dModel, dFF), "d_model × d_ff"),
                             (q, "n_heads × d_head × d_model"), (table, "positions × d_model")] {
            try require(size.map { $0 <= ConfigBounds.elementLimit } ?? false,
                        "\(what) is too large for one tensor (more than \(ConfigBounds.elementLimit) numbers)")
        }
    }
}
