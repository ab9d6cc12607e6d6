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
    /// Folder names that say nothing about the model (a wheel's `…/model`, a `checkpoint`).
    static let genericFolderNames: Set<String> = ["model", "models", "checkpoint", "checkpoints", "weights", "snapshot", "."]

    /// A name for a model loaded from `path` without one: the folder's name, or where that says
    /// nothing, the last part of config.json's `_name_or_path` (`nreimers/MiniLM-L6-H384-uncased`), else
    /// the parent folder's name.
    static func defaultName(path: String, config: JSONValue) -> String {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        let folder = url.lastPathComponent
        guard genericFolderNames.contains(folder.lowercased()) || folder.isEmpty else { return folder }
        if case .object(let fields) = config, case .string(let origin)? = fields["_name_or_path"],
           let last = origin.split(separator: "/").last, !last.isEmpty {
            return String(last)
        }
        let parent = url.deletingLastPathComponent().lastPathComponent
        return parent.isEmpty || parent == "/" ? folder : parent
    }

    /// Whether loading fails when the tokenizer's files cannot be read.
    public enum TokenizerRequirement: Sendable {
        /// The tokenizer must load (the command line, which has text to tokenize).
        case required
        /// A tokenizer the project cannot build yet is replaced by its bare vocabulary (ids and
        /// their strings), with the reason in `tokenizerProblem`: for runs on given token ids.
        case ifSupported
    }

    /// Loads the model in directory `path`: `config.json` (any `ModelFormat`), `model.safetensors`
    /// mapped onto DESIGN.md's parameter names, and the tokenizer. `progress` hears tensor by tensor how
    /// far the weights have got, when the file's tensors take its threshold or more.
    public static func load(path: String, name: String? = nil, bundled: Bool = false,
                            tokenizer requirement: TokenizerRequirement = .required,
                            progress: LoadProgressReporter? = nil) throws -> LoadedModel {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ModelError.missingFile(path)
        }
        // A GGUF file, recognised by its magic whatever its name (Ollama's blobs are `sha256-…`).
        if !isDirectory.boolValue && GGUF.isGGUF(path: path) { return try GGUFModel.load(path: path, name: name, progress: progress) }
        guard isDirectory.boolValue else {
            throw ModelError.badFile(path: path, reason: "neither a directory nor a GGUF file (a model is a directory with config.json, model.safetensors and tokenizer files, or a .gguf file)")
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
        let weights = try SafeTensors.open(path: weightsPath, progress: progress)
        var config = configFile.config
        try checkLayers(config, against: weights, configPath: configFile.path)
        if configFile.format == .bert || configFile.format == .roberta { config.pooler = BERTConfiguration.hasPooler(weights) }
        if configFile.format == .explorer { try checkAgreement(config, with: weights, configPath: configFile.path) }
        let parameters = try configFile.format.parameters(weights, config: config)
        weights.finishProgress()
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
        return LoadedModel(name: name ?? defaultName(path: path, config: configFile.raw), path: path, bundled: bundled,
                           model: model, tokenizer: tokenizer, rawConfig: configFile.raw,
                           format: configFile.format, warnings: configFile.warnings, tokenizerProblem: problem)
    }

    /// Refuses at once a config with more blocks than the file has tensors for: every file names a
    /// block's tensors with its number as one dotted component (`h.3.`, `layers.3.`, `blocks.3.`), so
    /// a config asking for block N needs some tensor name with a component N or more.
    static func checkLayers(_ config: ModelConfig, against weights: SafeTensorsFile, configPath: String) throws {
        let needed = max(config.nLayers, config.architecture == .encoderDecoder ? config.decoderLayers : 0)
        guard needed > 0 else { return }
        var highest = -1
        for entry in weights.entries {
            for component in entry.name.split(separator: ".") where component.count <= 6 {
                if let n = Int(component), n > highest { highest = n }
            }
        }
        // A file with no numbered tensor at all is reported by the mapping (its first missing tensor).
        guard needed - 1 <= highest || highest < 0 else {
            throw ModelError.badFile(path: configPath, reason: "asks for \(needed) layers but \(weights.path) has tensors for \(highest + 1)")
        }
    }

    /// The project's own files name their tensors as the config's parameter list does: every tensor the
    /// config implies must be there with its shape, and a tensor it does not imply means the config
    /// contradicts the file (a position table beside `"positional": "rope"`, a pooler left out, …).
    static func checkAgreement(_ config: ModelConfig, with weights: SafeTensorsFile, configPath: String) throws {
        let expected = config.parameterShapes()
        let names = Set(expected.map(\.name))
        for entry in weights.entries where !names.contains(entry.name) {
            throw ModelError.badFile(path: configPath, reason: "does not use tensor \(entry.name) of \(weights.path): a field of the config contradicts the file (\(Self.hint(for: entry.name)))")
        }
        for parameter in expected {
            guard let entry = weights.entry(parameter.name) else {
                throw ModelError.badFile(path: configPath, reason: "implies tensor \(parameter.name), which \(weights.path) lacks (\(Self.hint(for: parameter.name)))")
            }
            guard entry.shape == parameter.shape else {
                throw ModelError.wrongShape(name: parameter.name, expected: parameter.shape, got: entry.shape, file: weights.path)
            }
        }
    }

    /// The config fields that decide whether a tensor exists.
    static func hint(for name: String) -> String {
        let fields: [(String, String)] = [
            ("pos_embed", "positional, max_positions, position_offset"), ("embed_type", "type_vocab_size"),
            ("pooler", "pooler"), ("embed_ln", "embedding_norm"), ("unembed", "lm_head, tied_embeddings, bias"),
            ("W_gate", "gated_mlp"), ("b_gate", "gated_mlp, bias"), ("cross_attn", "architecture"),
            ("ln_final", "norm_position"), (".b", "bias, norm"),
        ]
        return "check " + (fields.first { name.contains($0.0) }?.1 ?? "architecture, n_layers, bias")
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
