import Foundation
import Tokenizers

/// A model directory's `config.json`, read: which layout the directory is in, the model in the
/// project's terms, the file as written (for the export manifest), and what was odd but usable.
public struct ConfigFile: Sendable {
    public var path: String
    /// Picked by `model_type`.
    public var format: ModelFormat
    public var config: ModelConfig
    /// `config.json` as written.
    public var raw: JSONValue
    /// One line each, for things the loader accepted but a user may want to know (e.g. a special
    /// token id outside a trimmed vocabulary, which is then ignored).
    public var warnings: [String]

    /// Reads and maps `config.json` at `path`. Throws `ModelError.badFile` naming the file for anything
    /// wrong: not JSON, an unknown `model_type` (the message lists the supported ones), a missing field
    /// or one of the wrong type, or a setting the explorer does not implement.
    public static func read(_ path: String) throws -> ConfigFile {
        let data: Data
        do { data = try RegularFile.read(path) } catch .missing { throw ModelError.missingFile(path) } catch {
            throw ModelError.badFile(path: path, reason: error.description)
        }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ModelError.badFile(path: path, reason: "not a JSON object")
        }
        guard let modelType = object["model_type"] as? String else {
            throw ModelError.badFile(path: path, reason: "no \"model_type\" (supported: \(ModelFormat.supported))")
        }
        guard let format = ModelFormat(rawValue: modelType) else {
            throw ModelError.badFile(path: path, reason: "model_type \"\(modelType)\" is not supported (supported: \(ModelFormat.supported))")
        }
        do {
            let decoder = JSONDecoder()
            let raw = try decoder.decode(JSONValue.self, from: data)
            if let problem = ConfigBounds.outOfRangeInteger(in: raw) {
                throw ModelError.badFile(path: path, reason: problem)
            }
            var config: ModelConfig
            switch format {
            case .explorer: config = try decoder.decode(ModelConfig.self, from: data)
            case .gpt2: config = try decoder.decode(GPT2Configuration.self, from: data).modelConfig()
            case .bert, .roberta:
                var bertLike = try decoder.decode(BERTConfiguration.self, from: data)
                bertLike.family = format == .roberta ? .roberta : .bert
                config = try bertLike.modelConfig()
            case .llama: config = try decoder.decode(LlamaConfiguration.self, from: data).modelConfig()
            case .qwen2, .mistral:
                var llamaLike = try decoder.decode(LlamaConfiguration.self, from: data)
                llamaLike.family = format == .qwen2 ? .qwen2 : .mistral
                config = try llamaLike.modelConfig()
            }
            try config.validate()
            let warnings = format == .explorer ? [] : dropOutOfVocabularyTokens(&config, path: path)
            return ConfigFile(path: path, format: format, config: config,
                              raw: raw, warnings: warnings)
        } catch let error as DecodingError {
            throw ModelError.badFile(path: path, reason: ModelDirectory.describe(error))
        } catch let error as HuggingFace.Unsupported {
            throw ModelError.badFile(path: path, reason: error.reason)
        } catch ModelError.badConfig(let message) {
            throw ModelError.badFile(path: path, reason: format.fileNames(message))
        }
    }

    /// Special token ids at or beyond `vocab_size` (a model whose vocabulary was trimmed keeps its
    /// parent's `bos_token_id`, as GPT-2's default 50256 in a 500-token model) are dropped with a
    /// warning each: nothing can look them up, and a refusal would keep a usable model from loading.
    static func dropOutOfVocabularyTokens(_ config: inout ModelConfig, path: String) -> [String] {
        var warnings: [String] = []
        func check(_ id: inout Int?, _ key: String) {
            guard let value = id, value < 0 || value >= config.vocabSize else { return }
            warnings.append("\(path): \(key) \(value) is outside the vocabulary (0..<\(config.vocabSize)); ignoring it")
            id = nil
        }
        check(&config.bosTokenId, "bos_token_id")
        check(&config.eosTokenId, "eos_token_id")
        check(&config.padTokenId, "pad_token_id")
        check(&config.unkTokenId, "unk_token_id")
        check(&config.decoderStartTokenId, "decoder_start_token_id")
        return warnings
    }
}

extension ModelFormat {
    /// `ModelConfig`'s field names in `message` spelled as this format's `config.json` spells them
    /// (`n_layers` → `n_layer` for GPT-2, `num_hidden_layers` for BERT and Llama), so an error names
    /// the field the user can find in the file.
    func fileNames(_ message: String) -> String {
        let names: [String: String]
        switch self {
        case .explorer: return message
        case .gpt2:
            names = ["n_layers": "n_layer", "d_model": "n_embd", "n_heads": "n_head", "d_ff": "n_inner",
                     "max_positions": "n_positions", "norm_eps": "layer_norm_epsilon"]
        case .bert, .roberta:
            names = ["n_layers": "num_hidden_layers", "d_model": "hidden_size", "n_heads": "num_attention_heads",
                     "d_ff": "intermediate_size", "max_positions": "max_position_embeddings", "norm_eps": "layer_norm_eps",
                     "position_offset": "pad_token_id"]
        case .llama, .qwen2, .mistral:
            names = ["n_layers": "num_hidden_layers", "d_model": "hidden_size", "n_heads": "num_attention_heads",
                     "n_kv_heads": "num_key_value_heads", "d_head": "head_dim", "d_ff": "intermediate_size",
                     "max_positions": "max_position_embeddings", "norm_eps": "rms_norm_eps"]
        }
        var words = message.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        for (index, word) in words.enumerated() {
            let core = word.trimmingCharacters(in: CharacterSet(charactersIn: "(),:"))
            if let renamed = names[core] { words[index] = word.replacingOccurrences(of: core, with: renamed) }
        }
        return words.joined(separator: " ")
    }
}
