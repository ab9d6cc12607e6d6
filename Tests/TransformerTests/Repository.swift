import Foundation
import Testing
@testable import Transformer

/// Paths of the repository these tests were built from, and the shared tools beside it.
enum Repository {
    /// The repository root (this file is `Tests/TransformerTests/Repository.swift`).
    static let root: String = {
        var path = "\(#filePath)" as NSString
        for _ in 0..<3 { path = path.deletingLastPathComponent as NSString }
        return path as String
    }()

    static func path(_ relative: String) -> String { (root as NSString).appendingPathComponent(relative) }

    /// The bundled model `name`, loaded.
    static func model(_ name: String) throws -> LoadedModel {
        try ModelDirectory.load(path: path("Models/\(name)"), name: name, bundled: true)
    }

    static let bundledModels = ["tiny-gpt", "tiny-bert", "tiny-llama", "tiny-transformer"]

    /// `../shared/tools/check-export.py`, when present.
    static var checkExportTool: String? {
        let tool = path("../shared/tools/check-export.py")
        return FileManager.default.fileExists(atPath: tool) ? tool : nil
    }

    /// CI sets EXPLORER_REQUIRE_EXTERNAL_CHECKS=1: a check that needs python3, NumPy or tmux must then
    /// run rather than skip.
    static var externalChecksRequired: Bool {
        ProcessInfo.processInfo.environment["EXPLORER_REQUIRE_EXTERNAL_CHECKS"] == "1"
    }

    /// Says that a check was skipped, and fails the test when CI requires it.
    static func skipped(_ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        if externalChecksRequired {
            Issue.record("\(what) was required (EXPLORER_REQUIRE_EXTERNAL_CHECKS=1) but could not run",
                         sourceLocation: sourceLocation)
        } else {
            print("skipped: \(what)")
        }
    }
}
