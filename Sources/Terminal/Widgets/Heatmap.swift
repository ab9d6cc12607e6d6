/// A matrix as coloured cells: an attention pattern (rows are queries, columns are keys), or any
/// scores. Row labels on the left, column labels on top, then the scroll position, a legend and a
/// caption with the cursor's exact value: `it → animal  0.8734`.
///
/// - Masked cells (-inf) are a dim `·` (NaN a `?`) in the middle of the cell on the terminal's own
///   background, never a colour of the scale.
/// - Cells are 1–`maxCellWidth` columns wide (`Mode.automatic` picks the widest that fits); from 4
///   columns they show the value too.
/// - With many rows and a colour theme the map turns compact: each line shows two rows with `▀`
///   (foreground the upper row, background the lower).
/// - Larger than its area, it shows the part around the cursor, starting from `origin` and moving it
///   as little as possible (`layout(in:)` reports the result so the app can keep it).
/// - With `Theme.monochrome` cells are shades ` ░▒▓█` (on a diverging scale, for the distance from
///   zero, with `-` marking negatives where there is room) and the cursor is reverse video.
public struct Heatmap: Widget, Sendable {
    /// How cells are sized.
    public enum Mode: Hashable, Sendable {
        /// The widest cells that fit (up to `maxCellWidth`), compact when many rows do not fit.
        case automatic
        /// Cells of this many columns, one row per line.
        case cells(width: Int)
        /// One column and half a line per cell (colour themes only; monochrome falls back to `cells(width: 1)`).
        case compact
    }

    /// The numbers, `rows × columns` (queries × keys for attention).
    public var values: Matrix
    /// Cells drawn as masked whatever their value, row-major `rows × columns` (empty: only -inf
    /// cells are masked): the softmax weights the mask forced to 0.
    public var hidden: [Bool] = []
    /// One label per row (query tokens); a missing label shows the row's index, none at all hides them.
    public var rowLabels: [String]
    /// One label per column (key tokens); a missing label shows the column's index, none at all hides them.
    public var columnLabels: [String]
    public var scale: ColorScale
    /// The values at the two ends of the scale; `nil` computes it (`ColorScale.range(of:)`).
    public var range: ClosedRange<Float>?
    public var theme: Theme
    /// The highlighted cell, whose value the caption shows.
    public var cursor: MatrixIndex?
    /// The first row and column shown last frame; moved just enough to show the cursor.
    public var origin: MatrixIndex
    public var mode: Mode
    public var maxCellWidth: Int
    /// Values inside cells 4 columns wide or more.
    public var showsValues: Bool
    public var showsLegend: Bool
    /// The `rows 1–20 of 80` line when not everything fits (a thumbnail may leave it out).
    public var showsScrollIndicator = true
    /// Decimals of the caption's value.
    public var decimals: Int
    /// Decimals of the legend's ends.
    public var legendDecimals: Int
    /// The widest the row labels get, in columns (longer ones end in `…`).
    public var maxLabelWidth: Int
    /// The most lines vertical column labels take.
    public var maxColumnLabelLines: Int

    public init(values: Matrix, rowLabels: [String] = [], columnLabels: [String] = [],
                scale: ColorScale = .viridis, range: ClosedRange<Float>? = nil, theme: Theme = .dark,
                cursor: MatrixIndex? = nil, origin: MatrixIndex = .zero, mode: Mode = .automatic) {
        self.values = values; self.rowLabels = rowLabels; self.columnLabels = columnLabels
        self.scale = scale; self.range = range; self.theme = theme; self.cursor = cursor
        self.origin = origin; self.mode = mode
        maxCellWidth = 5; showsValues = true; showsLegend = true; decimals = 4; legendDecimals = 2
        maxLabelWidth = 12; maxColumnLabelLines = 6
    }

    public func render(into canvas: inout Canvas, area: Rect) {
        let area = area.intersection(canvas.bounds)
        guard !area.isEmpty else { return }
        canvas.fill(area, with: Cell(" ", style: theme.text))
        guard !values.isEmpty else {
            canvas.writeFitted("(empty)", x: area.x, y: area.y, width: area.width, style: theme.dim)
            return
        }
        let layout = layout(in: area)
        let range = self.range ?? scale.range(of: values.values)
        drawColumnLabels(into: &canvas, layout: layout)
        drawRowLabels(into: &canvas, layout: layout)
        if layout.compact { drawCompactCells(into: &canvas, layout: layout, range: range) }
        else { drawCells(into: &canvas, layout: layout, range: range) }
        if let y = layout.scrollLine {
            let text = Scroll.indicator(rows: layout.rows, of: values.rows, columns: layout.columns, of: values.columns)
            canvas.writeFitted(text, x: area.x, y: y, width: area.width, style: theme.dim)
        }
        if let y = layout.legendLine { drawLegend(into: &canvas, x: area.x, y: y, width: area.width, range: range) }
        if let y = layout.captionLine { drawCaption(into: &canvas, x: area.x, y: y, width: area.width) }
    }

    /// The cursor, moved inside the matrix.
    var clampedCursor: MatrixIndex? {
        guard let c = cursor, !values.isEmpty else { return nil }
        return MatrixIndex(row: min(max(0, c.row), values.rows - 1), column: min(max(0, c.column), values.columns - 1))
    }

    func rowLabel(_ row: Int) -> String { row < rowLabels.count ? rowLabels[row] : String(row) }
    func columnLabel(_ column: Int) -> String { column < columnLabels.count ? columnLabels[column] : String(column) }
}
