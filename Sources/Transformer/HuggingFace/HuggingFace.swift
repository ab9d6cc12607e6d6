import Tensor

/// The layouts of model directories the explorer reads, picked by `config.json`'s `model_type`:
/// its own (`explorer`: config in the project's terms, tensors under DESIGN.md's names) and
/// Hugging Face's GPT-2, BERT, RoBERTa, Llama, Qwen2 and Mistral (their config keys and tensor names, mapped on loading).
public enum ModelFormat: String, CaseIterable, Sendable {
    case explorer, gpt2, bert, roberta, llama, qwen2, mistral

    /// The names `model_type` may take, for error messages.
    public static var supported: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// The tensors of `weights` under DESIGN.md's names, for `config` (which this format's config
    /// mapping produced). Throws a `ModelError` naming the file and the tensor for a missing one or
    /// one of the wrong shape.
    func parameters(_ weights: SafeTensorsFile, config: ModelConfig) throws -> Parameters {
        switch self {
        case .explorer:
            var tensors: [String: Tensor] = [:]
            for entry in weights.entries { tensors[entry.name] = weights.tensor(entry.name) }
            return Parameters(tensors, source: weights.path)
        case .gpt2: return try GPT2Configuration.parameters(weights, config: config)
        case .bert, .roberta: return try BERTConfiguration.parameters(weights, config: config)
        case .llama, .qwen2, .mistral: return try LlamaConfiguration.parameters(weights, config: config)
        }
    }
}

/// Helpers shared by the Hugging Face config mappings.
enum HuggingFace {
    /// Something a config asks for that the explorer does not implement; `ConfigFile` adds the path.
    struct Unsupported: Error {
        let reason: String
    }

    static func unsupported(_ what: String) -> Unsupported {
        Unsupported(reason: "\(what) is not supported")
    }

    /// Transformers' activation names (`ACT2FN`) that the explorer computes exactly.
    static func activation(_ name: String, key: String) throws -> Activation {
        switch name {
        case "gelu": return .gelu
        case "gelu_new", "gelu_pytorch_tanh", "gelu_fast": return .geluTanh
        case "relu": return .relu
        case "silu", "swish": return .silu
        default:
            throw Unsupported(reason: "\(key) \"\(name)\" is not supported (supported: gelu, gelu_new, gelu_pytorch_tanh, gelu_fast, relu, silu, swish)")
        }
    }

    /// A special token's id: a number, null, or (as in some Llama files, for several end tokens) a
    /// list of numbers, of which the first is taken.
    static func tokenId<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, _ key: Key) throws -> Int? {
        if let list = try? container.decodeIfPresent([Int].self, forKey: key) { return list.first }
        return try container.decodeIfPresent(Int.self, forKey: key)
    }
}
