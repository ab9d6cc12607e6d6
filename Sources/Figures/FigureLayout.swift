/// Where everything of a `HeatmapFigure` goes, in pixels from the top left: the same geometry for
/// the SVG and the PNG, so the two pictures agree cell for cell.
public struct FigureLayout: Hashable, Sendable {
    public let glyph: Int
    public let margin: Int
    public let titleY: Int
    public let subtitleY: Int
    /// The left edge of the grid (right of the row labels) and its top (under the column labels).
    public let gridX: Int
    public let gridY: Int
    public let cell: Int
    public let rows: Int
    public let columns: Int
    public let legendY: Int
    public let footnoteY: Int
    public let width: Int
    public let height: Int

    /// The narrowest a figure is: wide enough for a slide.
    public static let minimumWidth = 800

    public init(_ figure: HeatmapFigure, theme: FigureTheme) {
        glyph = theme.glyph
        margin = 2 * glyph
        rows = figure.values.rows
        columns = figure.values.columns
        titleY = margin
        subtitleY = titleY + glyph * 3 / 2
        let rowLabelWidth = ((0..<rows).map { figure.rowLabel($0).count }.max() ?? 0) * glyph + glyph
        let columnLabelHeight = ((0..<columns).map { figure.columnLabel($0).count }.max() ?? 0) * glyph + glyph
        gridX = margin + rowLabelWidth
        gridY = subtitleY + glyph * 2 + columnLabelHeight
        var cell = HeatmapFigure.valueLength * glyph + glyph
        // Wider cells, up to twice as wide, when the picture would be narrower than a slide wants.
        let textWidth = max(figure.title.count, figure.subtitle.count, figure.footnote.count) * glyph
        let wanted = max(Self.minimumWidth, textWidth + 2 * margin)
        if columns > 0, gridX + columns * cell + margin < wanted {
            cell = min(2 * cell, (wanted - gridX - margin + columns - 1) / columns)
        }
        self.cell = cell
        legendY = gridY + rows * cell + glyph
        footnoteY = legendY + glyph * 2
        width = max(wanted, gridX + columns * cell + margin)
        height = footnoteY + glyph + margin
    }

    /// The top left of cell (row, column); the cell is `cell` pixels square, a gap included.
    public func origin(row: Int, column: Int) -> (x: Int, y: Int) { (gridX + column * cell, gridY + row * cell) }

    /// The legend's colour bar: from the end of the low label, 10 glyphs long, a glyph high.
    public func legendBar(lowLabel: String) -> (x: Int, width: Int) {
        (gridX + (lowLabel.count + 1) * glyph, 10 * glyph)
    }
}
