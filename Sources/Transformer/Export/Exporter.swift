import Foundation
import Tokenizers

/// Writes an inspection as DESIGN.md's export layout: `DIR/<hook>.npy` for every recorded hook,
/// `DIR/tokens.json` and `DIR/manifest.json`.
public enum Exporter {
    /// The manifest's fields, in DESIGN.md's names.
    struct Manifest: Encodable {
        var model: String
        var architecture: String
        var norm: String
        var mask: String
        var config: JSONValue
        var input: Input
        var hooks: [String: [Int]]
        /// Hooks selected but left out (e.g. `attn.weighted` above the length limit).
        var omitted: [String]

        struct Input: Encodable {
            var text: String
            var target: String?
            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(text, forKey: .text)
                try c.encode(target, forKey: .target)   // null when absent, so the key is always there
            }
            enum CodingKeys: String, CodingKey { case text, target }
        }
    }

    /// Writes `inspection` into `directory`, which must not exist, be empty, or hold an earlier export
    /// (a `manifest.json`), whose `.npy` and JSON files are removed first. Other files are never touched.
    public static func write(_ inspection: Inspection, loaded: LoadedModel, to directory: String,
                             display: (String) -> String) throws {
        try prepare(directory)
        for (name, _) in inspection.result.cache.shapes {
            let path = (directory as NSString).appendingPathComponent(name + ".npy")
            try NPY.write(inspection.result.cache[name]!, to: path)
        }
        var tokens: [String: [JSONValue]] = [
            "ids": inspection.tokens.map { .integer($0.id) },
            "tokens": inspection.tokens.map { .string($0.text) },
            "display": inspection.tokens.map { .string(display($0.text)) },
        ]
        if let decoder = inspection.decoderTokens {
            tokens["decoder_ids"] = decoder.map { .integer($0.id) }
            tokens["decoder_tokens"] = decoder.map { .string($0.text) }
            tokens["decoder_display"] = decoder.map { .string(display($0.text)) }
        }
        try writeJSON(tokens, to: (directory as NSString).appendingPathComponent("tokens.json"))
        let config = loaded.config
        let manifest = Manifest(
            model: loaded.bundled ? loaded.name : loaded.path,
            architecture: config.architecture.rawValue,
            norm: config.normPosition.rawValue,
            mask: inspection.mask.description,
            config: loaded.rawConfig,
            input: .init(text: inspection.text, target: inspection.target),
            hooks: Dictionary(uniqueKeysWithValues: inspection.result.cache.shapes.map { ($0.name, $0.shape) }),
            omitted: inspection.result.omitted)
        try writeJSON(manifest, to: (directory as NSString).appendingPathComponent("manifest.json"))
    }

    /// Makes `directory` ready: creates it, or clears an earlier export in it; refuses anything else.
    static func prepare(_ directory: String) throws {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        if !files.fileExists(atPath: directory, isDirectory: &isDirectory) {
            do { try files.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
                throw ModelError.badInput("cannot create export directory \(directory): \(error.localizedDescription)")
            }
            return
        }
        guard isDirectory.boolValue else {
            throw ModelError.badInput("export path \(directory) is a file, not a directory")
        }
        let entries = (try? files.contentsOfDirectory(atPath: directory)) ?? []
        if entries.isEmpty { return }
        guard entries.contains("manifest.json") else {
            throw ModelError.badInput("export directory \(directory) is not empty and holds no earlier export (no manifest.json): refusing to write there")
        }
        for entry in entries where entry.hasSuffix(".npy") || entry == "tokens.json" || entry == "manifest.json" {
            try? files.removeItem(atPath: (directory as NSString).appendingPathComponent(entry))
        }
    }

    static func writeJSON<T: Encodable>(_ value: T, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do { try encoder.encode(value).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw ModelError.badInput("cannot write \(path): \(error.localizedDescription)")
        }
    }
}
