import Foundation
import Testing
@testable import Terminal

/// Snapshot testing for canvases.
///
/// A snapshot file `__Snapshots__/<name>.txt` beside this file holds the canvas's text, each line
/// between `|` bars so trailing spaces show, then `--- styles ---` and `Canvas.styleDump`.
/// A missing file is written and the test fails (read it, then run again); `SNAPSHOT_RECORD=1`
/// rewrites every snapshot a run touches. A mismatch prints both versions and the first differing line.
func assertSnapshot(_ canvas: Canvas, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let actual = snapshotText(canvas)
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("__Snapshots__").appendingPathComponent(name + ".txt")
    let record = ProcessInfo.processInfo.environment["SNAPSHOT_RECORD"] == "1"
    guard !record, let expected = try? String(contentsOf: url, encoding: .utf8) else {
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? actual.write(to: url, atomically: true, encoding: .utf8)
        Issue.record("snapshot \(name) \(record ? "re" : "")recorded; check it and run again:\n\(actual)", sourceLocation: sourceLocation)
        return
    }
    if expected != actual {
        Issue.record("snapshot \(name) differs\n\(difference(expected: expected, actual: actual))", sourceLocation: sourceLocation)
    }
}

/// Compares `canvas.text` with `expected`, given as lines between `|` bars (as in the snapshot files).
func expectText(_ canvas: Canvas, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let actual = bars(canvas.text)
    if actual != expected {
        Issue.record("canvas text differs\n\(difference(expected: expected, actual: actual))", sourceLocation: sourceLocation)
    }
}

func snapshotText(_ canvas: Canvas) -> String { canvas.snapshot }

func bars(_ text: String) -> String { CanvasSnapshot.bars(text) }

func difference(expected: String, actual: String) -> String {
    CanvasSnapshot.difference(expected: expected, actual: actual)
}

/// Every line of `canvas.text` is exactly `canvas.width` columns: no wide character lost its
/// right half or spilled over (which would shift everything after it).
func expectAligned(_ canvas: Canvas, sourceLocation: SourceLocation = #_sourceLocation) {
    for (y, line) in canvas.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        #expect(DisplayWidth.of(String(line)) == canvas.width, "line \(y) is misaligned: |\(line)|", sourceLocation: sourceLocation)
    }
}
