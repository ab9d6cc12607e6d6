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

    /// Runs `../shared/tools/check-export.py` on an export and expects every relation to hold; says it
    /// skipped (failing in CI) when the tool or python3 with NumPy is missing.
    static func expectExportPasses(_ directory: String, what: String,
                                   sourceLocation: SourceLocation = #_sourceLocation) {
        guard let tool = checkExportTool else {
            skipped("../shared/tools/check-export.py is not beside the repository", sourceLocation: sourceLocation)
            return
        }
        guard let (status, output) = runNumPy(
            "import runpy, sys; sys.argv = ['check', '\(directory)']; runpy.run_path('\(tool)', run_name='__main__')") else {
            skipped("python3 with NumPy is not installed: check-export.py", sourceLocation: sourceLocation)
            return
        }
        #expect(status == 0, "check-export.py failed on \(what):\n\(output)", sourceLocation: sourceLocation)
        #expect(output.contains("all relations hold"), "\(output)", sourceLocation: sourceLocation)
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
