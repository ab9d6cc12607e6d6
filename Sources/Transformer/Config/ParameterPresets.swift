/// A well-known model's architecture, for counting its parameters without its weights.
public struct ParameterPreset: Sendable {
    /// The name `explorer params` takes: `gpt2-small`.
    public var name: String
    /// One line about the model.
    public var summary: String
    /// Where the numbers come from: the paper or model card.
    public var source: String
    public var config: ModelConfig
}

/// The presets `explorer params NAME` knows. Each config's sizes are those of the model's paper or
/// published config; fields that do not change the count (eps, RoPE base) are set as published where
/// known and left at their defaults otherwise.
public enum ParameterPresets {
    public static let all: [ParameterPreset] = [
        ParameterPreset(
            name: "gpt2-small",
            summary: "GPT-2 small (the paper's \"117M\"): decoder, learned positions, tied embeddings",
            source: "Radford et al. 2019, Language Models are Unsupervised Multitask Learners; "
                + "Hugging Face openai-community/gpt2",
            config: gpt2(width: 768, layers: 12, heads: 12)),
        ParameterPreset(
            name: "gpt2-medium",
            summary: "GPT-2 medium (the paper's \"345M\"): GPT-2 small, wider and twice as deep",
            source: "Radford et al. 2019; Hugging Face openai-community/gpt2-medium",
            config: gpt2(width: 1024, layers: 24, heads: 16)),
        ParameterPreset(
            name: "gpt3-175b",
            summary: "GPT-3 175B: GPT-2's architecture at 96 layers of width 12,288, tied embeddings",
            source: "Brown et al. 2020, Language Models are Few-Shot Learners, arXiv:2005.14165, Table 2.1",
            config: gpt3()),
        ParameterPreset(
            name: "bert-base",
            summary: "BERT-base (110M): post-LN encoder, token types, embedding norm, pooler, no LM head",
            source: "Devlin et al. 2019, arXiv:1810.04805; Hugging Face google-bert/bert-base-uncased",
            config: bert(width: 768, layers: 12, heads: 12)),
        ParameterPreset(
            name: "bert-large",
            summary: "BERT-large (the paper's \"340M\"): BERT-base, wider and twice as deep",
            source: "Devlin et al. 2019, arXiv:1810.04805; Hugging Face google-bert/bert-large-uncased",
            config: bert(width: 1024, layers: 24, heads: 16)),
        ParameterPreset(
            name: "minilm-l6",
            summary: "all-MiniLM-L6-v2: a 6-layer BERT of width 384 for sentence embeddings",
            source: "Hugging Face sentence-transformers/all-MiniLM-L6-v2 (MiniLM: Wang et al. 2020, "
                + "arXiv:2002.10957)",
            config: bert(width: 384, layers: 6, heads: 12)),
        ParameterPreset(
            name: "llama2-7b",
            summary: "Llama 2 7B: RMSNorm, SwiGLU, RoPE, no biases, separate output head",
            source: "Touvron et al. 2023, Llama 2, arXiv:2307.09288; Hugging Face meta-llama/Llama-2-7b-hf",
            config: llama(vocab: 32000, ff: 11008, kvHeads: 32, positions: 4096, ropeTheta: 10000)),
        ParameterPreset(
            name: "llama3-8b",
            summary: "Llama 3 8B: Llama 2's design with grouped-query attention (8 kv heads), 128K vocabulary",
            source: "Llama Team 2024, The Llama 3 Herd of Models, arXiv:2407.21783; "
                + "Hugging Face meta-llama/Meta-Llama-3-8B",
            config: llama(vocab: 128_256, ff: 14336, kvHeads: 8, positions: 8192, ropeTheta: 500_000)),
        ParameterPreset(
            name: "transformer-base",
            summary: "The original Transformer, base (the paper's \"65M\"): encoder-decoder, post-LN, "
                + "sinusoidal positions, one shared and tied 37,000-token vocabulary",
            source: "Vaswani et al. 2017, Attention Is All You Need, arXiv:1706.03762, Table 3",
            config: ModelConfig(
                architecture: .encoderDecoder, normPosition: .post, activation: .relu,
                positional: .sinusoidal, vocabSize: 37000, dModel: 512, nHeads: 8, dFF: 2048,
                nLayers: 6, nDecoderLayers: 6, maxPositions: 1024, scaleEmbeddings: true,
                tiedEmbeddings: true, sharedEmbeddings: true, mask: .causal)),
    ]

    /// The presets' names, in the order of `all`.
    public static var names: [String] { all.map(\.name) }

    /// The preset called `name` (case-insensitive); throws an error listing the valid names.
    public static func named(_ name: String) throws -> ParameterPreset {
        guard let preset = all.first(where: { $0.name.lowercased() == name.lowercased() }) else {
            throw ModelError.badInput(
                "unknown preset \(name.debugDescription); choose one of: \(names.joined(separator: ", "))")
        }
        return preset
    }

    // MARK: - Families

    /// GPT-2: pre-LN, learned positions, GELU (tanh form), biases, tied embeddings, F = 4D.
    private static func gpt2(width: Int, layers: Int, heads: Int) -> ModelConfig {
        ModelConfig(
            architecture: .decoder, normPosition: .pre, activation: .geluTanh, positional: .learned,
            vocabSize: 50257, dModel: width, nHeads: heads, dFF: 4 * width, nLayers: layers,
            maxPositions: 1024, tiedEmbeddings: true, mask: .causal)
    }

    /// GPT-3 175B: GPT-2's design at 2,048 positions. (Its alternating sparse attention pattern
    /// changes no parameter.)
    private static func gpt3() -> ModelConfig {
        var config = gpt2(width: 12288, layers: 96, heads: 96)
        config.maxPositions = 2048
        return config
    }

    /// BERT: post-LN encoder, 512 learned positions, 2 token types, an embedding LayerNorm,
    /// GELU, a pooler and no LM head; F = 4D, uncased WordPiece vocabulary of 30,522.
    private static func bert(width: Int, layers: Int, heads: Int) -> ModelConfig {
        ModelConfig(
            architecture: .encoder, normPosition: .post, normEps: 1e-12, activation: .gelu,
            positional: .learned, vocabSize: 30522, dModel: width, nHeads: heads, dFF: 4 * width,
            nLayers: layers, maxPositions: 512, typeVocabSize: 2, embeddingNorm: true,
            lmHead: false, pooler: true, mask: .bidirectional)
    }

    /// Llama: width 4,096, 32 layers of 32 query heads, pre-RMSNorm, SwiGLU, RoPE, no biases, untied.
    private static func llama(vocab: Int, ff: Int, kvHeads: Int, positions: Int, ropeTheta: Float) -> ModelConfig {
        ModelConfig(
            architecture: .decoder, normPosition: .pre, norm: .rmsNorm, activation: .silu, gatedMLP: true,
            positional: .rope, ropeTheta: ropeTheta, vocabSize: vocab, dModel: 4096, nHeads: 32,
            nKVHeads: kvHeads, dFF: ff, nLayers: 32, maxPositions: positions, biases: .none, mask: .causal)
    }
}
