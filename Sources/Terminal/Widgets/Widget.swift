/// Something that draws itself into a rectangle of a canvas. Widgets are plain values built from
/// plain data every frame (as in ratatui); what outlives a frame (a cursor, a scroll origin) lives
/// in the app's state and is passed in. A widget draws only inside `area`.
public protocol Widget {
    /// Draws into `area` of `canvas` (clipped to the canvas).
    func render(into canvas: inout Canvas, area: Rect)
}

extension Canvas {
    /// Draws `widget` into `area`.
    public mutating func render(_ widget: some Widget, in area: Rect) {
        widget.render(into: &self, area: area)
    }
}

/// Keeping a cursor inside a scrolled window.
public enum Scroll {
    /// The first visible index of a window of `visible` items out of `total` that shows `target`,
    /// moved from `offset` as little as possible, and never past either end.
    public static func follow(_ target: Int?, offset: Int, visible: Int, total: Int) -> Int {
        guard visible > 0, total > visible else { return 0 }
        var first = min(max(0, offset), total - visible)
        if let t = target {
            if t < first { first = max(0, t) } else if t >= first + visible { first = min(t, total - 1) - visible + 1 }
        }
        return min(max(0, first), total - visible)
    }

    /// The line that says which part of a larger table shows, e.g. `↓ rows 1–20 of 80 · cols 5–40 of 64 →`,
    /// counting from 1 as a reader does; only the axes that do not fit are named. Empty when all fits.
    public static func indicator(rows: Range<Int>, of totalRows: Int, columns: Range<Int>, of totalColumns: Int) -> String {
        var parts: [String] = []
        if rows.count < totalRows {
            let arrows = (rows.lowerBound > 0 ? "↑" : "") + (rows.upperBound < totalRows ? "↓" : "")
            parts.append("\(arrows) rows \(rows.lowerBound + 1)–\(rows.upperBound) of \(totalRows)")
        }
        if columns.count < totalColumns {
            let arrows = (columns.lowerBound > 0 ? "←" : "") + (columns.upperBound < totalColumns ? "→" : "")
            parts.append("cols \(columns.lowerBound + 1)–\(columns.upperBound) of \(totalColumns) \(arrows)")
        }
        return parts.joined(separator: " · ")
    }
}
