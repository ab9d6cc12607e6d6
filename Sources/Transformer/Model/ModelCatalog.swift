import Foundation
import Tokenizers

/// The models a user can name: the bundled ones and those in the user's models directory.
public struct ModelCatalog: Sendable {
    /// One model the catalog knows, as `explorer models --json` lists it.
    public struct Entry: Codable, Equatable, Sendable {
        public var name: String
        /// `decoder`, `encoder` or `encoder-decoder`; `unreadable` when config.json cannot be read.
        public var architecture: String
        public var path: String
        public var bundled: Bool

        public init(name: String, architecture: String, path: String, bundled: Bool) {
            self.name = name
            self.architecture = architecture
            self.path = path
            self.bundled = bundled
        }
    }

    public let locator: ResourceLocator
    /// The default model's name.
    public static let defaultModel = "tiny-gpt"

    /// Hears how loading a large model file goes (nil: nobody does).
    public var progress: LoadProgressReporter?

    public init(locator: ResourceLocator = ResourceLocator(), progress: LoadProgressReporter? = nil) {
        self.locator = locator
        self.progress = progress
    }

    /// Every model: bundled first, then the user's, each sorted by name.
    public func entries() -> [Entry] {
        var list: [Entry] = []
        if let bundled = locator.bundledModels { list += scan(bundled, bundled: true) }
        list += scan(locator.userModels, bundled: false)
        return list
    }

    func scan(_ directory: String, bundled: Bool) -> [Entry] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.sorted().compactMap { name in
            let path = (directory as NSString).appendingPathComponent(name)
            if name.hasSuffix(".gguf") {
                guard GGUF.isGGUF(path: path) else { return nil }
                return Entry(name: String(name.dropLast(5)), architecture: Self.ggufArchitecture(path), path: path, bundled: bundled)
            }
            let configPath = (path as NSString).appendingPathComponent("config.json")
            guard FileManager.default.fileExists(atPath: configPath) else { return nil }
            return Entry(name: name, architecture: Self.architecture(configPath), path: path, bundled: bundled)
        }
    }

    /// The architecture a `config.json` declares, read loosely (for listing only).
    static func architecture(_ configPath: String) -> String {
        guard let data = try? RegularFile.read(configPath),
              let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return "unreadable" }
        if let architecture = object["architecture"] as? String { return architecture }
        switch object["model_type"] as? String {
        case "bert", "roberta": return "encoder"
        case "gpt2", "llama", "qwen2", "mistral": return "decoder"
        case "t5", "bart", "marian": return "encoder-decoder"
        default: return "unknown"
        }
    }

    /// The architecture a GGUF file's metadata declares: `decoder` for the Llama family the explorer
    /// runs, `unknown` for another, `unreadable` for a file it cannot parse.
    static func ggufArchitecture(_ path: String) -> String {
        guard let file = try? GGUF.open(path: path) else { return "unreadable" }
        return file.metadata["general.architecture"]?.string.flatMap { GGUFConfig.architectures[$0] } != nil ? "decoder" : "unknown"
    }

    /// Loads a model named in the catalog, or the directory or GGUF file at a path (anything with a
    /// `/`, or an existing directory or file). `tokenizer: .ifSupported` is for uses that never tokenize text.
    public func load(_ nameOrPath: String?,
                     tokenizer: ModelDirectory.TokenizerRequirement = .required) throws -> LoadedModel {
        let request = nameOrPath ?? Self.defaultModel
        if request.contains("/") || FileManager.default.fileExists(atPath: request) {
            return try ModelDirectory.load(path: request, tokenizer: tokenizer, progress: progress)
        }
        if let entry = entries().first(where: { $0.name == request }) {
            return try ModelDirectory.load(path: entry.path, name: entry.name, bundled: entry.bundled, tokenizer: tokenizer,
                                           progress: progress)
        }
        let known = entries().map(\.name)
        let missing = locator.root == nil
            ? "; the bundled models were not found: keep share/explorer beside bin/ as the archive has it, or set EXPLORER_HOME" : ""
        throw ModelError.badInput("no model named \"\(request)\" (known: \(known.isEmpty ? "none found" : known.joined(separator: ", "))); give a name from `explorer models` or a directory" + missing)
    }
}
