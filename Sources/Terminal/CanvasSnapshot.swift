/// A canvas as reviewable text: each line between `|` bars (so trailing spaces show), then
/// `--- styles ---` and the style dump. What snapshot tests compare, and what a teacher can paste
/// into a handout.
extension Canvas {
    public var snapshot: String {
        CanvasSnapshot.bars(text) + "\n--- styles ---\n" + styleDump + "\n"
    }
}

public enum CanvasSnapshot {
    /// `text` with each line between `|` bars.
    public static func bars(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "|" + $0 + "|" }.joined(separator: "\n")
    }

    /// Both versions and the first line where they differ, for a failing comparison.
    public static func difference(expected: String, actual: String) -> String {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let first = (0..<min(e.count, a.count)).first { e[$0] != a[$0] } ?? min(e.count, a.count)
        return """
        --- expected ---
        \(expected)
        --- actual ---
        \(actual)
        --- first difference at line \(first + 1) ---
        expected: \(first < e.count ? String(e[first]) : "(none)")
        actual:   \(first < a.count ? String(a[first]) : "(none)")
        """
    }
}
