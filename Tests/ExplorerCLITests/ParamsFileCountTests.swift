import Foundation
import Testing

/// `explorer params` counts the parameters a model's file holds: for every model directory under
/// `Tests/Fixtures/hf/` (and every bundled model) its total is the number of weights stored in
/// `model.safetensors`, read here straight from the file's header, not through the program's reader.
@Suite struct ParamsFileCount {
    static let root = ("\(#filePath)" as NSString).deletingLastPathComponent + "/../.."

    /// Every directory under `folder` (relative to the repository) with a `model.safetensors`.
    static func modelDirectories(_ folder: String) -> [String] {
        let base = root + "/" + folder
        let names = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
        return names.sorted().map { base + "/" + $0 }
            .filter { FileManager.default.fileExists(atPath: $0 + "/model.safetensors") }
    }

    static let fixtures = modelDirectories("Tests/Fixtures/hf")
    static let bundled = modelDirectories("Models")

    @Test func thereAreFixturesOfEveryFamily() {
        let names = Set(Self.fixtures.map { ($0 as NSString).lastPathComponent })
        #expect(names.isSuperset(of: ["tiny-gpt2", "tiny-bert", "tiny-roberta", "tiny-llama", "tiny-qwen2", "tiny-mistral"]))
        #expect(Self.bundled.count == 4)
    }

    @Test(arguments: fixtures + bundled)
    func totalIsWhatTheFileHolds(_ directory: String) throws {
        let expected = try StoredWeights.count(directory: directory)
        let run = try CommandLine.run(["params", "--model", directory, "--json"])
        #expect(run.status == 0, "\(directory): \(run.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        #expect((object?["total"] as? NSNumber)?.intValue == expected, "\(directory): the file holds \(expected)")
    }
}

/// The number of weights in a directory's `model.safetensors`, from its header alone: an 8-byte
/// little-endian length, then that many bytes of JSON mapping each tensor's name to its `shape`.
/// Buffers that are not parameters (`position_ids`, GPT-2's causal-mask `attn.bias` and
/// `attn.masked_bias`) are left out, and so is an `lm_head.weight` that `config.json` ties to the
/// token embeddings (a tied head is one matrix, counted once).
enum StoredWeights {
    struct BadHeader: Error, CustomStringConvertible {
        var description: String
    }

    static func count(directory: String) throws -> Int {
        let file = try FileHandle(forReadingFrom: URL(fileURLWithPath: directory + "/model.safetensors"))
        defer { try? file.close() }
        let prefix = try file.read(upToCount: 8) ?? Data()
        guard prefix.count == 8 else { throw BadHeader(description: "\(directory): no header length") }
        let length = prefix.reversed().reduce(0) { $0 << 8 | Int($1) }
        let json = try file.read(upToCount: length) ?? Data()
        guard let header = try JSONSerialization.jsonObject(with: json) as? [String: Any] else {
            throw BadHeader(description: "\(directory): the header is not a JSON object")
        }
        let config = (try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/config.json")))) as? [String: Any]
        let tied = config?["tie_word_embeddings"] as? Bool ?? true
        var total = 0
        for (name, entry) in header where name != "__metadata__" {
            if name.hasSuffix("position_ids") || name.hasSuffix(".attn.bias") || name.hasSuffix(".attn.masked_bias") { continue }
            if tied && name == "lm_head.weight" { continue }
            guard let shape = (entry as? [String: Any])?["shape"] as? [Int] else {
                throw BadHeader(description: "\(directory): \(name) has no shape")
            }
            total += shape.reduce(1, *)
        }
        return total
    }
}
