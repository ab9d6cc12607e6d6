import Foundation
import Tokenizers

/// A model on disk in Hugging Face's layout: `config.json`, `model.safetensors` and the
/// tokenizer's files, loaded and ready to run.
public struct LoadedModel: Sendable {
    /// The name it was asked for by (`tiny-gpt`) or the directory's last component.
    public var name: String
    /// The directory.
    public var path: String
    /// Whether it ships with the program.
    public var bundled: Bool
    public var model: TransformerModel
    public var tokenizer: Tokenizer
    /// `config.json` as written, for the export manifest.
    public var rawConfig: JSONValue

    public var config: ModelConfig { model.config }
}

public enum ModelDirectory {
    /// Loads the model in directory `path`.
    public static func load(path: String, name: String? = nil, bundled: Bool = false) throws -> LoadedModel {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ModelError.missingFile(path)
        }
        guard isDirectory.boolValue else {
            throw ModelError.badFile(path: path, reason: "not a directory (a model is a directory with config.json, model.safetensors and tokenizer files)")
        }
        let configPath = (path as NSString).appendingPathComponent("config.json")
        let (config, raw) = try readConfig(configPath)
        let weightsPath = (path as NSString).appendingPathComponent("model.safetensors")
        guard FileManager.default.fileExists(atPath: weightsPath) else { throw ModelError.missingFile(weightsPath) }
        let archive = try SafeTensors.load(path: weightsPath)
        let parameters = Parameters(archive.tensors, source: weightsPath)
        let model = try TransformerModel(config: config, parameters: parameters)
        let tokenizer = try loadTokenizer(directory: path)
        if tokenizer.vocabularySize > config.vocabSize {
            throw ModelError.badFile(path: path, reason: "the tokenizer has \(tokenizer.vocabularySize) tokens but config.json's vocab_size is \(config.vocabSize)")
        }
        return LoadedModel(name: name ?? (path as NSString).lastPathComponent, path: path, bundled: bundled,
                           model: model, tokenizer: tokenizer, rawConfig: raw)
    }

    /// Parses `config.json`; `model_type` picks the mapping onto `ModelConfig`.
    public static func readConfig(_ path: String) throws -> (ModelConfig, JSONValue) {
        guard let data = FileManager.default.contents(atPath: path) else { throw ModelError.missingFile(path) }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ModelError.badFile(path: path, reason: "not a JSON object")
        }
        let modelType = object["model_type"] as? String ?? "(none)"
        guard modelType == "explorer" else {
            throw ModelError.badFile(path: path, reason: "model_type \"\(modelType)\" is not supported (supported: explorer)")
        }
        do {
            let config = try JSONDecoder().decode(ModelConfig.self, from: data)
            try config.validate()
            return (config, try JSONDecoder().decode(JSONValue.self, from: data))
        } catch let error as DecodingError {
            throw ModelError.badFile(path: path, reason: describe(error))
        }
    }

    /// The tokenizer from `tokenizer.json`.
    static func loadTokenizer(directory: String) throws -> Tokenizer {
        let path = (directory as NSString).appendingPathComponent("tokenizer.json")
        guard FileManager.default.fileExists(atPath: path) else {
            throw ModelError.badFile(path: directory, reason: "no tokenizer.json")
        }
        do { return try TokenizerJSON.load(path: path) } catch let error as TokenizerError {
            throw ModelError.badFile(path: path, reason: error.reason)
        }
    }

    /// One line for a decoding error: the key path and what was wrong.
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map(\.stringValue).joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, _): return "missing field \"\(key.stringValue)\""
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "field \"\(path(context))\" has the wrong type"
        case .dataCorrupted(let context):
            return path(context).isEmpty ? context.debugDescription : "field \"\(path(context))\": \(context.debugDescription)"
        @unknown default: return "cannot decode"
        }
    }
}
