import Foundation
import Tokenizers

/// Writes an inspection as DESIGN.md's export layout: `DIR/<hook>.npy` for every recorded hook,
/// `DIR/tokens.json` and `DIR/manifest.json`.
public enum Exporter {
    /// The manifest's fields, in DESIGN.md's names.
    struct Manifest: Encodable {
        /// `"explorer-export/1"`: marks the folder as an export a later one may replace.
        var format: String
        /// The files this export wrote (the manifest itself aside): what a re-export removes.
        var files: [String]
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
    /// (a `manifest.json` with `"format": "explorer-export/1"`). The earlier export's files, exactly those
    /// its manifest lists, are replaced; nothing else in the folder is touched (see `ExportFolder`).
    public static func write(_ inspection: Inspection, loaded: LoadedModel, to directory: String,
                             display: (String) -> String) throws {
        let folder = try ExportFolder(directory)
        do {
            try write(inspection, loaded: loaded, into: folder, display: display)
        } catch {
            folder.discard()
            throw error
        }
    }

    private static func write(_ inspection: Inspection, loaded: LoadedModel, into folder: ExportFolder,
                              display: (String) -> String) throws {
        var written: [String] = []
        for (name, _) in inspection.result.cache.shapes {
            try NPY.write(inspection.result.cache[name]!, to: folder.staged(name + ".npy"))
            written.append(name + ".npy")
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
        try writeJSON(tokens, to: folder.staged("tokens.json"))
        written.append("tokens.json")
        let config = loaded.config
        let manifest = Manifest(
            format: ExportFolder.format,
            files: written,
            model: loaded.bundled ? loaded.name : loaded.path,
            architecture: config.architecture.rawValue,
            norm: config.normPosition.rawValue,
            mask: inspection.mask.description,
            config: loaded.rawConfig,
            input: .init(text: inspection.text, target: inspection.target),
            hooks: Dictionary(uniqueKeysWithValues: inspection.result.cache.shapes.map { ($0.name, $0.shape) }),
            omitted: inspection.result.omitted)
        try writeJSON(manifest, to: folder.staged(ExportFolder.manifestName))
        try folder.commit(written)
    }

    static func writeJSON<T: Encodable>(_ value: T, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do { try encoder.encode(value).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw ModelError.badInput("cannot write \(path): \(error.localizedDescription)")
        }
    }
}
