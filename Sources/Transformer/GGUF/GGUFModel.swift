import Foundation
import Tokenizers

/// Loading a model from a GGUF file: the architecture from its metadata, the weights kept in their
/// blocks, and the tokenizer from its vocabulary.
public enum GGUFModel {
    /// Loads the GGUF file at `path` into the same `LoadedModel` a Hugging Face directory gives: same
    /// `ModelConfig`, hooks and parameter names, with the 2-D weights multiplied in place. `progress`
    /// hears tensor by tensor how far it has got, when the file's tensors reach its threshold.
    public static func load(path: String, name: String? = nil, progress: LoadProgressReporter? = nil) throws -> LoadedModel {
        let file = try GGUF.open(path: path)
        let (format, json) = try GGUFConfig.read(file)
        var config: ModelConfig
        do {
            var llamaLike = try JSONDecoder().decode(LlamaConfiguration.self, from: json)
            llamaLike.family = LlamaConfiguration.Family(rawValue: format.rawValue) ?? .llama
            config = try llamaLike.modelConfig()
        } catch let unsupported as HuggingFace.Unsupported {
            throw ModelError.badFile(path: path, reason: unsupported.reason)
        } catch let error as DecodingError {
            throw ModelError.badFile(path: path, reason: "metadata: \(ModelDirectory.describe(error))")
        }
        var raw = try JSONDecoder().decode(JSONValue.self, from: json)
        if let factors = try GGUFRopeFactorsReader.read(file, headSize: config.headSize, linear: config.ropeScaling) {
            config.ropeScaling = factors
            if case .object(var fields) = raw {
                fields["rope_scaling"] = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(factors))
                raw = .object(fields)
            }
        }
        let meter = LoadMeter(progress, total: file.tensors.reduce(0) { $0 + $1.byteCount })
        let parameters = try GGUFLlama.parameters(file, config: config, permutedQK: format != .qwen2, meter: meter)
        meter.finish()
        let model = try TransformerModel(config: config, parameters: parameters)
        let tokenizer = try GGUFTokenizer.tokenizer(file)
        if tokenizer.vocabularySize > config.vocabSize {
            throw ModelError.badFile(path: path, reason: "the tokenizer has \(tokenizer.vocabularySize) tokens but the model's vocabulary is \(config.vocabSize)")
        }
        let defaultName = Self.displayName(fileName: URL(fileURLWithPath: path).lastPathComponent,
                                           generalName: file.metadata["general.name"]?.string)
        return LoadedModel(name: name ?? defaultName, path: path, bundled: false, model: model, tokenizer: tokenizer,
                           rawConfig: raw, format: format)
    }

    /// The name a learner knows a file by: its own name without `.gguf` (`SmolLM2-135M-Instruct.Q4_1`,
    /// which says the quantization too); a file named otherwise, such as Ollama's content-addressed
    /// `sha256-…` blobs, by the model's `general.name`, else as it is called.
    static func displayName(fileName: String, generalName: String?) -> String {
        if fileName.hasSuffix(".gguf") && fileName.count > 5 { return String(fileName.dropLast(5)) }
        if let generalName, !generalName.trimmingCharacters(in: .whitespaces).isEmpty { return generalName }
        return fileName
    }
}
