import Foundation

/// One run to try: a model directory copied from `source` with some files replaced, or a lesson file,
/// and the `explorer` arguments (`$MODEL`, `$EXPORT`, `$LESSON` stand for the scratch paths).
struct FuzzCase {
    var name: String
    /// A model directory, relative to the repository (`Models/tiny-gpt`), to copy; nil for a lesson.
    var source: String?
    /// Files of the copy replaced by these bytes.
    var files: [String: Data] = [:]
    /// Files put in the export folder before the run (an earlier export, or a hostile one).
    var exportFiles: [String: Data] = [:]
    /// A lesson's text, written to `$LESSON`.
    var lesson: Data?
    var arguments: [String]

    /// Keeps the case's files in `directory` for a closer look.
    func save(in directory: String) {
        let target = (directory as NSString).appendingPathComponent(name.replacingOccurrences(of: " ", with: "-"))
        try? FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        for (file, data) in files { try? data.write(to: URL(fileURLWithPath: target + "/" + file)) }
        for (file, data) in exportFiles where !file.contains("/") { try? data.write(to: URL(fileURLWithPath: target + "/export-" + file)) }
        if let lesson { try? lesson.write(to: URL(fileURLWithPath: target + "/lesson.md")) }
        let description = (["source: \(source ?? "-")"] + ["arguments: " + arguments.joined(separator: " ")]).joined(separator: "\n")
        try? Data(description.utf8).write(to: URL(fileURLWithPath: target + "/case.txt"))
    }
}

/// The corpus: JSON files, each one case:
/// `{"source": "Models/tiny-gpt", "set": {"config.json": {"n_layers": 1000000000}}, "arguments": [...]}`,
/// with optional `"lesson"` (the text) and `"export"` (name → text, files put in the export folder).
enum Corpus {
    static func load(_ directory: String) -> [FuzzCase] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        return names.compactMap { name in
            guard let data = FileManager.default.contents(atPath: directory + "/" + name),
                  let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
                  let arguments = object["arguments"] as? [String] else {
                print("explorer-fuzz: corpus file \(name) is not a case; skipped")
                return nil
            }
            var fuzzCase = FuzzCase(name: "corpus \(name)", source: object["source"] as? String, arguments: arguments)
            let repository = Options.repository
            for (file, changes) in (object["set"] as? [String: [String: Any]]) ?? [:] {
                guard let source = fuzzCase.source,
                      let original = FileManager.default.contents(atPath: "\(repository)/\(source)/\(file)"),
                      var json = (try? JSONSerialization.jsonObject(with: original)) as? [String: Any] else { continue }
                for (key, value) in changes { json[key] = value }
                fuzzCase.files[file] = try? JSONSerialization.data(withJSONObject: json)
            }
            for (file, text) in (object["replace"] as? [String: String]) ?? [:] { fuzzCase.files[file] = Data(text.utf8) }
            for (file, text) in (object["export"] as? [String: String]) ?? [:] { fuzzCase.exportFiles[file] = Data(text.utf8) }
            fuzzCase.lesson = (object["lesson"] as? String).map { Data($0.utf8) }
            return fuzzCase
        }
    }
}
