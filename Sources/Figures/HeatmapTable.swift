import Terminal

/// A `HeatmapFigure`'s numbers as text: CSV with every value exactly as stored (the shortest
/// decimal that reads back as the same float32, `-inf` for a masked score), and an aligned plain-text
/// table with four decimals for reading and pasting.
public enum HeatmapTable {
    /// A header row (`query \ key`, then the column labels) and one row per row label; labels are
    /// quoted when they hold a comma, a quote or a line break (RFC 4180).
    public static func csv(_ figure: HeatmapFigure) -> String {
        var lines = [([figure.rowAxis + " \\ " + figure.columnAxis] + (0..<figure.values.columns).map { label(figure.columnLabels, $0) })
            .map(quoted).joined(separator: ",")]
        for row in 0..<figure.values.rows {
            let values = figure.values.row(row).map(exact)
            lines.append(([quoted(label(figure.rowLabels, row))] + values).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The title, the sentence, then the table: row labels down the left, column labels across the
    /// top, values with 4 decimals (`−∞` for a masked score), columns aligned by display width.
    public static func text(_ figure: HeatmapFigure) -> String {
        let columns = figure.values.columns
        let columnLabels = (0..<columns).map(figure.columnLabel)
        let rowLabels = (0..<figure.values.rows).map(figure.rowLabel)
        let cells = (0..<figure.values.rows).map { r in figure.values.row(r).map { NumberFormat.fixed($0, decimals: 4) } }
        let width = max(7, TextFit.maxWidth(columnLabels), cells.joined().map(\.count).max() ?? 0)
        let labelWidth = max(TextFit.maxWidth(rowLabels), DisplayWidth.of(figure.rowAxis))
        var lines = [Sanitizer.sanitize(figure.title), Sanitizer.sanitize(figure.subtitle), ""]
        lines.append(TextFit.pad(figure.rowAxis, to: labelWidth) + columnLabels.map { " " + TextFit.pad($0, to: width, alignment: .right) }.joined())
        for (row, label) in rowLabels.enumerated() {
            lines.append(TextFit.pad(label, to: labelWidth) + cells[row].map { " " + TextFit.pad($0, to: width, alignment: .right) }.joined())
        }
        lines.append("")
        lines.append(figure.footnote)
        return lines.map { $0.replacingTrailingSpaces() }.joined(separator: "\n") + "\n"
    }

    /// The shortest decimal that reads back as `value` (`0.87343216`, `1e-05`, `-inf`, `nan`).
    static func exact(_ value: Float) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return "\(value)"
    }

    static func label(_ labels: [String], _ index: Int) -> String {
        Sanitizer.sanitize(index < labels.count ? labels[index] : String(index))
    }

    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.map { $0 == "\"" ? "\"\"" : String($0) }.joined() + "\""
    }
}

extension String {
    func replacingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
