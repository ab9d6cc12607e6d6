import Foundation

/// A GGUF file's model metadata read as the `config.json` Hugging Face would write for the same model,
/// the way transformers converts it when it loads a GGUF: `<arch>.block_count` → `num_hidden_layers`,
/// `<arch>.embedding_length` → `hidden_size`, and so on. The config then goes through the same
/// mapping as a directory's (`LlamaConfiguration`), so both give the same `ModelConfig`.
enum GGUFConfig {
    /// The architectures read (`general.architecture`), as the `model_type` they stand for.
    static let architectures: [String: ModelFormat] = ["llama": .llama, "qwen2": .qwen2, "mistral": .mistral]

    /// `<arch>.<key>` → the config.json key it becomes (llama.cpp's names, transformers' mapping).
    static let keys: [(String, String)] = [
        ("context_length", "max_position_embeddings"), ("block_count", "num_hidden_layers"),
        ("feed_forward_length", "intermediate_size"), ("embedding_length", "hidden_size"),
        ("rope.dimension_count", "head_dim"), ("rope.freq_base", "rope_theta"),
        ("attention.head_count", "num_attention_heads"), ("attention.head_count_kv", "num_key_value_heads"),
        ("attention.layer_norm_rms_epsilon", "rms_norm_eps"), ("vocab_size", "vocab_size"),
        ("attention.sliding_window", "sliding_window"),
    ]

    /// The config.json object for `file` and its format. Throws a `badFile` naming the file for an
    /// architecture the explorer does not run, a missing dimension, or a value of the wrong kind.
    static func read(_ file: GGUFFile) throws -> (format: ModelFormat, json: Data) {
        func fail(_ reason: String) -> ModelError { .badFile(path: file.path, reason: reason) }
        guard let architecture = file.metadata["general.architecture"]?.string else {
            throw fail("no metadata general.architecture (a GGUF model file names its architecture)")
        }
        guard let format = architectures[architecture] else {
            throw fail("architecture \"\(architecture)\" is not supported (supported: \(architectures.keys.sorted().joined(separator: ", ")))")
        }
        var config: [String: Any] = ["model_type": format.rawValue, "hidden_act": "silu", "architectures": [architecture]]
        for (key, name) in keys {
            guard let value = file.metadata["\(architecture).\(key)"] else { continue }
            if name == "rope_theta" || name == "rms_norm_eps" {
                guard let number = value.float else { throw fail("metadata \(architecture).\(key) is \(value.type), not a number") }
                config[name] = Double(number)
            } else {
                guard let number = value.int else { throw fail("metadata \(architecture).\(key) is \(value.type), not an integer that fits") }
                config[name] = number
            }
        }
        if config["vocab_size"] == nil, let tokens = file.metadata["tokenizer.ggml.tokens"]?.elements {
            config["vocab_size"] = tokens.count
        }
        for required in ["num_hidden_layers", "hidden_size", "intermediate_size", "num_attention_heads", "vocab_size"]
        where config[required] == nil {
            let key = keys.first { $0.1 == required }?.0 ?? required
            throw fail("no metadata \(architecture).\(key)")
        }
        if let type = file.metadata["\(architecture).rope.scaling.type"]?.string, type != "none" {
            guard type == "linear", let factor = file.metadata["\(architecture).rope.scaling.factor"]?.float else {
                throw fail("RoPE scaling \"\(type)\" is not supported (only linear)")
            }
            config["rope_scaling"] = ["rope_type": "linear", "factor": Double(factor)]
        }
        config["tie_word_embeddings"] = file.info("output.weight") == nil
        for (key, name) in [("bos_token_id", "bos_token_id"), ("eos_token_id", "eos_token_id"), ("padding_token_id", "pad_token_id")] {
            if let id = file.metadata["tokenizer.ggml.\(key)"]?.int { config[name] = id }
        }
        return (format, try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys]))
    }
}
