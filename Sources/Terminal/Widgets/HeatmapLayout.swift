/// Where a heatmap's parts go in an area and which part of the matrix shows, from
/// `Heatmap.layout(in:)`: the app keeps `origin` for the next frame and maps a mouse click to a
/// cell with `index(atX:y:)`.
public struct HeatmapLayout: Hashable, Codable, Sendable {
    /// How the column labels are set.
    public enum ColumnLabels: String, Hashable, Codable, Sendable {
        case hidden
        /// One line, each label within its cell.
        case horizontal
        /// Two lines, alternate labels on each, so each label may be about two cells wide.
        case staggered
        /// Down the column, one character a line.
        case vertical
    }

    /// Columns of the row labels (a space follows them).
    public var labelWidth: Int
    /// Terminal columns per matrix column.
    public var cellWidth: Int
    /// Two rows per line with half blocks.
    public var compact: Bool
    public var columnLabels: ColumnLabels
    /// Lines above the cells taken by column labels.
    public var columnLabelLines: Int
    /// The cells on screen.
    public var grid: Rect
    /// The rows on screen.
    public var rows: Range<Int>
    /// The columns on screen.
    public var columns: Range<Int>
    /// The line saying which part shows, when not all of it does.
    public var scrollLine: Int?
    public var legendLine: Int?
    /// The line with the cursor's tokens and value.
    public var captionLine: Int?

    /// The first row and column on screen: pass it back as `Heatmap.origin` next frame.
    public var origin: MatrixIndex { MatrixIndex(row: rows.lowerBound, column: columns.lowerBound) }
    /// Matrix rows per line: 2 when compact.
    public var rowsPerLine: Int { compact ? 2 : 1 }

    /// The matrix cell drawn at screen position (x, y), if any (a compact line's upper row for its line).
    public func index(atX x: Int, y: Int) -> MatrixIndex? {
        guard grid.contains(x: x, y: y), cellWidth > 0 else { return nil }
        let row = rows.lowerBound + (y - grid.y) * rowsPerLine, column = columns.lowerBound + (x - grid.x) / cellWidth
        return rows.contains(row) && columns.contains(column) ? MatrixIndex(row: row, column: column) : nil
    }

    /// The screen column where matrix column `column` starts.
    func x(ofColumn column: Int) -> Int { grid.x + (column - columns.lowerBound) * cellWidth }
    /// The screen line showing matrix row `row`.
    func y(ofRow row: Int) -> Int { grid.y + (row - rows.lowerBound) / rowsPerLine }
}

extension Heatmap {
    /// Where everything goes in `area`; see `HeatmapLayout`.
    public func layout(in area: Rect) -> HeatmapLayout {
        let rowCount = values.rows, columnCount = values.columns
        let cursor = clampedCursor
        // The caption and the legend go below the cells, if a line of cells remains.
        var captionLines = cursor == nil ? 0 : 1, legendLines = showsLegend ? 1 : 0
        if area.height - captionLines - legendLines < 1 { legendLines = 0 }
        if area.height - captionLines < 1 { captionLines = 0 }
        let available = area.height - captionLines - legendLines

        let longestRowLabel = rowLabels.isEmpty ? 0 : TextFit.maxWidth((0..<rowCount).map(rowLabel))
        func gutter(_ wanted: Int) -> Int {
            let width = min(maxLabelWidth, wanted, area.width / 3)
            return area.width - width - 1 >= 1 ? width : 0
        }
        var labelWidth = gutter(longestRowLabel)
        func gridWidth() -> Int { area.width - labelWidth - (labelWidth > 0 ? 1 : 0) }

        var cellWidth: Int
        switch mode {
        case .cells(let width): cellWidth = max(1, width)
        case .compact: cellWidth = 1
        case .automatic:
            cellWidth = stride(from: max(1, maxCellWidth), through: 2, by: -1)
                .first { columnCount * $0 <= gridWidth() } ?? 1
        }

        let labelText = columnLabels.isEmpty ? [] : (0..<columnCount).map(columnLabel)
        let longestColumnLabel = TextFit.maxWidth(labelText)
        let longestInCharacters = labelText.reduce(0) { max($0, Sanitizer.sanitize($1).count) }
        var labelStyle: HeatmapLayout.ColumnLabels
        var wantedLabelLines: Int
        if longestColumnLabel == 0 { labelStyle = .hidden; wantedLabelLines = 0 }
        else if cellWidth >= 2 && longestColumnLabel <= cellWidth - 1 { labelStyle = .horizontal; wantedLabelLines = 1 }
        else if cellWidth >= 3 { labelStyle = .staggered; wantedLabelLines = 2 }
        else { labelStyle = .vertical; wantedLabelLines = min(maxColumnLabelLines, longestInCharacters) }

        // Labels give way to cells: they may take what is left once half the space (or all the rows) is cells.
        func labelLines(rowLines: Int) -> Int {
            min(wantedLabelLines, max(0, available - 1 - min(rowLines, available / 2)))
        }
        var lines = labelLines(rowLines: rowCount)
        var compact = false
        switch mode {
        case .compact: compact = theme.usesColor
        case .automatic: compact = theme.usesColor && cellWidth == 1 && rowCount > available - lines
        case .cells: compact = false
        }
        let rowLines = compact ? (rowCount + 1) / 2 : rowCount
        if compact && longestRowLabel > 0 {
            labelWidth = gutter(min(2 * longestRowLabel + 1, maxLabelWidth))
            lines = labelLines(rowLines: rowLines)
        }
        if lines < wantedLabelLines {
            if labelStyle == .staggered && lines == 1 { labelStyle = .horizontal }
            if lines == 0 { labelStyle = .hidden }
        }

        let visibleColumns = min(columnCount, max(0, gridWidth()) / cellWidth)
        var gridLines = available - lines
        let scrolls = rowLines > gridLines || visibleColumns < columnCount
        var scrollLine: Int? = nil
        if scrolls && showsScrollIndicator && gridLines >= 2 { gridLines -= 1; scrollLine = 0 }
        let shownLines = min(rowLines, max(0, gridLines))

        let firstLine = Scroll.follow(cursor.map { $0.row / (compact ? 2 : 1) }, offset: origin.row / (compact ? 2 : 1),
                                      visible: shownLines, total: rowLines)
        let firstRow = firstLine * (compact ? 2 : 1)
        let rows = firstRow..<min(rowCount, firstRow + shownLines * (compact ? 2 : 1))
        let firstColumn = Scroll.follow(cursor?.column, offset: origin.column, visible: visibleColumns, total: columnCount)
        let columns = firstColumn..<(firstColumn + visibleColumns)

        let gridX = area.x + labelWidth + (labelWidth > 0 ? 1 : 0)
        let grid = Rect(x: gridX, y: area.y + lines, width: visibleColumns * cellWidth, height: shownLines)
        var next = grid.maxY
        func take(_ wanted: Bool) -> Int? { guard wanted else { return nil }; defer { next += 1 }; return next }
        let scroll = take(scrollLine != nil), legend = take(legendLines > 0), caption = take(captionLines > 0)
        return HeatmapLayout(labelWidth: labelWidth, cellWidth: cellWidth, compact: compact, columnLabels: labelStyle,
                             columnLabelLines: lines, grid: grid, rows: rows, columns: columns,
                             scrollLine: scroll, legendLine: legend, captionLine: caption)
    }
}
