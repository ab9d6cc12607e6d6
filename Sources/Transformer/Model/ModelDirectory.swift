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
    /// Which layout the directory is in (`config.json`'s `model_type`).
    public var format: ModelFormat = .explorer
    /// Things the loader accepted but a user may want to know, one line each (the command line prints
    /// them on standard error as `warning: …`).
    public var warnings: [String] = []
    /// Why the directory's tokenizer could not be built, when it was loaded with
    /// `tokenizer: .ifSupported`; `tokenizer` then only names the vocabulary's ids and encodes nothing.
    public var tokenizerProblem: String?

    public var config: ModelConfig { model.config }
}

public enum ModelDirectory {
    /// Whether loading fails when the tokenizer's files cannot be read.
    public enum TokenizerRequirement: Sendable {
        /// The tokenizer must load (the command line, which has text to tokenize).
        case required
        /// A tokenizer the project cannot build yet is replaced by its bare vocabulary (ids and
        /// their strings), with the reason in `tokenizerProblem`: for runs on given token ids.
        case ifSupported
    }

    /// Loads the model in directory `path`: `config.json` (any `ModelFormat`), `model.safetensors`
    /// mapped onto DESIGN.md's parameter names, and the tokenizer.
    public static func load(path: String, name: String? = nil, bundled: Bool = false,
                            tokenizer requirement: TokenizerRequirement = .required) throws -> LoadedModel {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ModelError.missingFile(path)
        }
        guard isDirectory.boolValue else {
            throw ModelError.badFile(path: path, reason: "not a directory (a model is a directory with config.json, model.safetensors and tokenizer files)")
        }
        let configFile = try ConfigFile.read((path as NSString).appendingPathComponent("config.json"))
        let weightsPath = (path as NSString).appendingPathComponent("model.safetensors")
        guard FileManager.default.fileExists(atPath: weightsPath) else {
            for other in ["model.safetensors.index.json", "pytorch_model.bin"]
            where FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent(other)) {
                throw ModelError.badFile(path: path, reason: "no model.safetensors (\(other) is there, but only a single model.safetensors file is read; save the model with save_pretrained(dir, safe_serialization=True, max_shard_size=\"100GB\"))")
            }
            throw ModelError.missingFile(weightsPath)
        }
        let weights = try SafeTensors.open(path: weightsPath)
        var config = configFile.config
        if configFile.format == .bert || configFile.format == .roberta { config.pooler = BERTConfiguration.hasPooler(weights) }
        let parameters = try configFile.format.parameters(weights, config: config)
        let model = try TransformerModel(config: config, parameters: parameters)
        var problem: String?
        let tokenizer: Tokenizer
        do {
            tokenizer = try loadTokenizer(directory: path)
        } catch let error as ModelError where requirement == .ifSupported {
            problem = error.description
            tokenizer = try VocabularyOnly.tokenizer(directory: path)
        }
        if tokenizer.vocabularySize > config.vocabSize {
            throw ModelError.badFile(path: path, reason: "the tokenizer has \(tokenizer.vocabularySize) tokens but config.json's vocab_size is \(config.vocabSize)")
        }
        return LoadedModel(name: name ?? (path as NSString).lastPathComponent, path: path, bundled: bundled,
                           model: model, tokenizer: tokenizer, rawConfig: configFile.raw,
                           format: configFile.format, warnings: configFile.warnings, tokenizerProblem: problem)
    }

    /// Parses `config.json`; `model_type` picks the mapping onto `ModelConfig` (see `ConfigFile`).
    public static func readConfig(_ path: String) throws -> (ModelConfig, JSONValue) {
        let file = try ConfigFile.read(path)
        return (file.config, file.raw)
    }

    /// The directory's tokenizer: `tokenizer.json` when present, else the older files
    /// (`vocab.json` + `merges.txt`, or `vocab.txt` + `tokenizer_config.json`).
    static func loadTokenizer(directory: String) throws -> Tokenizer {
        do { return try TokenizerFiles.load(directory: directory) } catch let error as TokenizerError {
            throw ModelError.badFile(path: error.file, reason: error.reason)
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
