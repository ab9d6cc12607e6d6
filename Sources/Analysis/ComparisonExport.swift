import Foundation
import Tensor
import Transformer

/// `compare --export DIR`: the two runs as two ordinary exports, `DIR/a/` and `DIR/b/`, the chosen
/// head's difference as `DIR/difference.npy` (`[P_q, P_k]`, B − A over the lined-up cells) and how the
/// tokens line up in `DIR/alignment.json`, written last.
///
/// DIR must not exist, be empty, or hold an earlier comparison (an `alignment.json` with
/// `"format": "explorer-compare/1"`); each of `a/` and `b/` follows the export's own rules.
public enum ComparisonExport {
    public static let format = "explorer-compare/1"
    public static let alignmentName = "alignment.json"

    /// What `alignment.json` holds.
    public struct Alignment: Codable, Equatable, Sendable {
        public struct Side: Codable, Equatable, Sendable {
            public var text: String
            public var target: String?
            public var tokens: [String]
            public var decoderTokens: [String]?
        }
        public struct Axis: Codable, Equatable, Sendable {
            /// `[a, b]` position pairs, in order.
            public var pairs: [[Int]]
            public var onlyA: [Int]
            public var onlyB: [Int]

            init(_ alignment: TokenAlignment) {
                pairs = alignment.pairs.map { [$0.a, $0.b] }
                onlyA = alignment.onlyInA
                onlyB = alignment.onlyInB
            }
        }
        public var format: String
        public var model: String
        public var hook: String
        public var head: Int
        /// Always `"b - a"`.
        public var difference: String
        /// `difference.npy`'s shape: `[P_q, P_k]`.
        public var shape: [Int]
        public var a: Side
        public var b: Side
        /// How the rows (queries) and the columns (keys) line up.
        public var queries: Axis
        public var keys: Axis
        public var files: [String]
    }

    /// Writes the comparison of `hook`'s head `head` between the runs `a` and `b` of `loaded` into `directory`.
    public static func write(_ comparison: PatternComparison, hook: Hook, head: Int, a: Inspection, b: Inspection,
                             loaded: LoadedModel, to directory: String) throws {
        try prepare(directory)
        let display = loaded.tokenizer.display
        func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
        try Exporter.write(a, loaded: loaded, to: path("a"), display: display)
        try Exporter.write(b, loaded: loaded, to: path("b"), display: display)
        try NPY.write(comparison.difference, to: path("difference.npy"))
        func side(_ run: Inspection) -> Alignment.Side {
            Alignment.Side(text: run.text, target: run.target, tokens: run.tokens.map(\.text),
                           decoderTokens: run.decoderTokens?.map(\.text))
        }
        let alignment = Alignment(
            format: format, model: loaded.bundled ? loaded.name : loaded.path, hook: hook.name, head: head,
            difference: "b - a", shape: comparison.difference.shape, a: side(a), b: side(b),
            queries: .init(comparison.queries), keys: .init(comparison.keys),
            files: ["a", "b", "difference.npy", alignmentName])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        do { try encoder.encode(alignment).write(to: URL(fileURLWithPath: path(alignmentName)), options: .atomic) } catch {
            throw ModelError.badInput("cannot write \(path(alignmentName)): \(error.localizedDescription)")
        }
    }

    /// Creates `directory` when absent; refuses a file, or a folder that is neither empty nor an
    /// earlier comparison.
    static func prepare(_ directory: String) throws {
        var isDirectory: ObjCBool = false
        let manager = FileManager.default
        if !manager.fileExists(atPath: directory, isDirectory: &isDirectory) {
            do { try manager.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
                throw ModelError.badInput("cannot create export directory \(directory): \(error.localizedDescription)")
            }
            return
        }
        guard isDirectory.boolValue else { throw ModelError.badInput("export path \(directory) is not a directory") }
        let entries = (try? manager.contentsOfDirectory(atPath: directory)) ?? []
        guard !entries.isEmpty else { return }
        let marker = (directory as NSString).appendingPathComponent(alignmentName)
        guard let data = manager.contents(atPath: marker), data.count < 16 << 20,
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              object["format"] as? String == format else {
            throw ModelError.badInput("export directory \(directory) is not empty and holds no earlier comparison (no alignment.json): refusing to write there")
        }
    }
}
