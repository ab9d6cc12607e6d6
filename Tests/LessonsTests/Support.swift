import Foundation
import Testing
@testable import Lessons
import Transformer

/// Paths of the repository these tests were built from, its bundled models and lessons.
enum Repository {
    /// The repository root (this file is `Tests/LessonsTests/Support.swift`).
    static let root: String = {
        var path = "\(#filePath)" as NSString
        for _ in 0..<3 { path = path.deletingLastPathComponent as NSString }
        return path as String
    }()

    static func path(_ relative: String) -> String { (root as NSString).appendingPathComponent(relative) }

    static var lessons: String { path("Lessons") }

    /// The catalog of the repository's bundled models, whatever the environment says.
    static var catalog: ModelCatalog {
        ModelCatalog(locator: ResourceLocator(environment: ["EXPLORER_HOME": root, "XDG_DATA_HOME": "/nonexistent"]))
    }

    /// The bundled model `name`, loaded once per process.
    static func model(_ name: String) throws -> LoadedModel {
        try ModelDirectory.load(path: path("Models/\(name)"), name: name, bundled: true)
    }

    static let sentence = "the animal didn't cross the street because it was too tired"
}

/// A fresh directory for one test's files, removed when the value is released.
final class TemporaryDirectory {
    let path: String

    init() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lessons-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.path
    }

    /// Writes `text` to `name` and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let target = path + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: target))
        return target
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Parses lesson text that must have no mistakes.
func parseClean(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Lesson {
    let (lesson, diagnostics) = LessonParser.parse(text, file: "test.md")
    #expect(diagnostics.isEmpty, "\(diagnostics)", sourceLocation: sourceLocation)
    return try #require(lesson, sourceLocation: sourceLocation)
}

/// The messages the parser gives for `text`, as `line: message`.
func parseErrors(_ text: String) -> [String] {
    LessonParser.parse(text, file: "test.md").diagnostics.map { "\($0.line): \($0.message)" }
}
