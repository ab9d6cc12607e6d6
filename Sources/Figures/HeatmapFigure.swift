import Terminal

/// What a heatmap figure shows: one matrix (one head of an attention hook: rows are queries,
/// columns are keys), its labels, its colour scale and range, and a title. The SVG, PNG and
/// table renderers all draw this one value, so they show the same numbers.
public struct HeatmapFigure: Hashable, Sendable {
    /// First line: what this is (model, hook, layer, head).
    public var title: String
    /// Second line: the sentence.
    public var subtitle: String
    /// `rows × columns` values, e.g. `pattern[h]` `[T_q, T_k]`.
    public var values: Matrix
    /// Cells shown as masked whatever their value (row-major; empty: only -inf cells are masked).
    public var hidden: [Bool]
    public var rowLabels: [String]
    public var columnLabels: [String]
    /// What the rows and the columns are, for the footnote (`query`, `key`).
    public var rowAxis: String
    public var columnAxis: String
    public var scale: ColorScale
    /// The values at the two ends of the scale.
    public var range: ClosedRange<Float>

    public init(title: String, subtitle: String, values: Matrix, hidden: [Bool] = [], rowLabels: [String],
                columnLabels: [String], rowAxis: String = "query", columnAxis: String = "key",
                scale: ColorScale, range: ClosedRange<Float>? = nil) {
        self.title = title; self.subtitle = subtitle; self.values = values; self.hidden = hidden
        self.rowLabels = rowLabels; self.columnLabels = columnLabels
        self.rowAxis = rowAxis; self.columnAxis = columnAxis
        self.scale = scale
        self.range = range ?? scale.range(of: values.values)
    }

    /// Whether cell (row, column) is masked: its value is -inf or NaN, or `hidden` says so.
    public func isMasked(row: Int, column: Int) -> Bool {
        let v = values[row, column]
        return v == -.infinity || v.isNaN || (hidden.count == values.values.count && hidden[row * values.columns + column])
    }

    /// Whether any cell is masked (the legend then explains the mark).
    public var hasMaskedCells: Bool {
        (0..<values.rows).contains { r in (0..<values.columns).contains { isMasked(row: r, column: $0) } }
    }

    /// The fill of cell (row, column): its colour on the scale, nil when masked.
    public func color(row: Int, column: Int) -> RGB? {
        guard !isMasked(row: row, column: column),
              let t = scale.position(of: values[row, column], in: range) else { return nil }
        return scale.rgb(at: t)
    }

    /// The longest a label is drawn, in characters; a longer one ends in `…`.
    public static let maxLabelLength = 14

    /// `label` sanitised and cut to `maxLabelLength` characters.
    public static func fitted(_ label: String) -> String {
        let safe = Sanitizer.sanitize(label)
        return safe.count <= maxLabelLength ? safe : String(safe.prefix(maxLabelLength - 1)) + "…"
    }

    /// The label of row `row` (its index when there is none), fitted.
    public func rowLabel(_ row: Int) -> String { Self.fitted(row < rowLabels.count ? rowLabels[row] : String(row)) }
    /// The label of column `column` (its index when there is none), fitted.
    public func columnLabel(_ column: Int) -> String {
        Self.fitted(column < columnLabels.count ? columnLabels[column] : String(column))
    }

    /// Characters a cell's value takes: `0.87`, `-1.3`, `12.5`.
    public static let valueLength = 4

    /// How every value is written (one format for the whole matrix), nil when not even whole
    /// numbers fit in `valueLength` characters (the cells then show colour only).
    public var valueFormat: TableFormat? { NumberFormat.common(values.values, width: Self.valueLength) }

    /// The legend's ends, `0.00` and `1.00`.
    public var legendLabels: (low: String, high: String) {
        (NumberFormat.fixed(range.lowerBound, decimals: 2), NumberFormat.fixed(range.upperBound, decimals: 2))
    }

    /// The line under the legend: what rows and columns are.
    public var footnote: String { "rows: \(rowAxis) tokens, columns: \(columnAxis) tokens" }
}
