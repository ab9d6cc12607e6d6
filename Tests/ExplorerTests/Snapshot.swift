import Foundation
import Testing
import Terminal

/// Compares `canvas.snapshot` with `__Snapshots__/<name>.txt` beside this file; a missing file is
/// written and the test fails (read it, then run again); `SNAPSHOT_RECORD=1` rewrites them.
func assertSnapshot(_ canvas: Canvas, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let actual = canvas.snapshot
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("__Snapshots__").appendingPathComponent(name + ".txt")
    let record = ProcessInfo.processInfo.environment["SNAPSHOT_RECORD"] == "1"
    guard !record, let expected = try? String(contentsOf: url, encoding: .utf8) else {
        try? actual.write(to: url, atomically: true, encoding: .utf8)
        Issue.record("snapshot \(name) \(record ? "re" : "")recorded; check it and run again", sourceLocation: sourceLocation)
        return
    }
    if expected != actual {
        Issue.record("snapshot \(name) differs\n\(CanvasSnapshot.difference(expected: expected, actual: actual))",
                     sourceLocation: sourceLocation)
    }
}
