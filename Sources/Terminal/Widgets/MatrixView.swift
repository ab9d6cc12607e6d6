/// A matrix as numbers: fixed decimals, row and column headers, a selected row and/or column
/// highlighted (their crossing in the cursor style), scrolled to keep the selection in view.
/// `-inf` (a masked score) is written `-inf`, dim.
public struct MatrixView: Widget, Sendable {
    /// The numbers, `rows × columns`.
    public var values: Matrix
    /// One header per row; a missing one shows the row's index.
    public var rowLabels: [String]
    /// One header per column; a missing one shows the column's index.
    public var columnLabels: [String]
    /// Digits after the point.
    public var decimals: Int
    public var selectedRow: Int?
    public var selectedColumn: Int?
    /// The first row and column shown last frame; moved just enough to show the selection.
    public var origin: MatrixIndex
    public var theme: Theme
    /// The widest row headers get, in columns.
    public var maxLabelWidth: Int
    /// The widest a column grows to fit its header (numbers always fit).
    public var maxHeaderWidth: Int

    public init(values: Matrix, rowLabels: [String] = [], columnLabels: [String] = [], decimals: Int = 3,
                selectedRow: Int? = nil, selectedColumn: Int? = nil, origin: MatrixIndex = .zero, theme: Theme = .dark) {
        self.values = values; self.rowLabels = rowLabels; self.columnLabels = columnLabels; self.decimals = decimals
        self.selectedRow = selectedRow; self.selectedColumn = selectedColumn; self.origin = origin; self.theme = theme
        maxLabelWidth = 12; maxHeaderWidth = 8
    }

    /// Where the table goes in an area and which part of it shows.
    public struct Layout: Hashable, Sendable {
        /// Columns of the row headers.
        public var labelWidth: Int
        /// Columns of each number (a space precedes it).
        public var columnWidth: Int
        public var rows: Range<Int>
        public var columns: Range<Int>
        /// The line saying which part shows, when not all of it does.
        public var scrollLine: Int?
        /// The first row and column shown: pass it back as `origin` next frame.
        public var origin: MatrixIndex { MatrixIndex(row: rows.lowerBound, column: columns.lowerBound) }
    }

    public func layout(in area: Rect) -> Layout {
        let labelWidth = min(maxLabelWidth, TextFit.maxWidth((0..<values.rows).map(rowLabel)), area.width / 3)
        // The widest number is the largest or the smallest (its minus sign included); "nan" is 3 wide.
        var low = Float.infinity, high = -Float.infinity, hasNaN = false
        for v in values.values { if v.isNaN { hasNaN = true } else { low = min(low, v); high = max(high, v) } }
        var numberWidth = hasNaN ? 3 : 1
        if low <= high {
            numberWidth = max(numberWidth, NumberFormat.fixed(low, decimals: decimals).count, NumberFormat.fixed(high, decimals: decimals).count)
        }
        let headerWidth = min(TextFit.maxWidth((0..<values.columns).map(columnLabel)), max(numberWidth, maxHeaderWidth))
        let columnWidth = max(numberWidth, headerWidth)
        let visibleColumns = min(values.columns, max(0, area.width - labelWidth) / (columnWidth + 1))
        var lines = max(0, area.height - 1)
        let scrolls = lines < values.rows || visibleColumns < values.columns
        var scrollLine: Int? = nil
        if scrolls && lines >= 2 { lines -= 1; scrollLine = area.y + 1 + min(lines, values.rows) }
        let visibleRows = min(values.rows, lines)
        let firstRow = Scroll.follow(selectedRow, offset: origin.row, visible: visibleRows, total: values.rows)
        let firstColumn = Scroll.follow(selectedColumn, offset: origin.column, visible: visibleColumns, total: values.columns)
        return Layout(labelWidth: labelWidth, columnWidth: columnWidth, rows: firstRow..<(firstRow + visibleRows),
                      columns: firstColumn..<(firstColumn + visibleColumns), scrollLine: scrollLine)
    }

    public func render(into canvas: inout Canvas, area: Rect) {
        let area = area.intersection(canvas.bounds)
        guard !area.isEmpty else { return }
        canvas.fill(area, with: Cell(" ", style: theme.text))
        let layout = layout(in: area)
        let step = layout.columnWidth + 1
        let spanX = area.x + layout.labelWidth, spanWidth = layout.columns.count * step
        func x(_ column: Int) -> Int { spanX + (column - layout.columns.lowerBound) * step }

        // Highlights first, so the text is written over them in the same style.
        if let row = selectedRow, layout.rows.contains(row) {
            canvas.fill(Rect(x: area.x, y: area.y + 1 + row - layout.rows.lowerBound, width: layout.labelWidth + spanWidth, height: 1),
                        with: Cell(" ", style: theme.highlight))
        }
        if let column = selectedColumn, layout.columns.contains(column) {
            canvas.fill(Rect(x: x(column), y: area.y, width: step, height: 1 + layout.rows.count), with: Cell(" ", style: theme.highlight))
        }
        func style(row: Int?, column: Int?) -> Style {
            let onRow = row != nil && row == selectedRow, onColumn = column != nil && column == selectedColumn
            return onRow && onColumn ? theme.cursor : (onRow || onColumn ? theme.highlight : theme.text)
        }
        for column in layout.columns {
            canvas.writeFitted(columnLabel(column), x: x(column) + 1, y: area.y, width: layout.columnWidth, alignment: .right,
                               style: style(row: nil, column: column).adding(.bold))
        }
        for row in layout.rows {
            let y = area.y + 1 + row - layout.rows.lowerBound
            canvas.writeFitted(rowLabel(row), x: area.x, y: y, width: layout.labelWidth, alignment: .right,
                               style: style(row: row, column: nil).adding(.bold))
            for column in layout.columns {
                let value = values[row, column]
                var cellStyle = style(row: row, column: column)
                if !value.isFinite && cellStyle == theme.text { cellStyle = theme.dim }
                let cellX = x(column)
                if cellStyle == theme.cursor { canvas.fill(Rect(x: cellX, y: y, width: step, height: 1), with: Cell(" ", style: cellStyle)) }
                canvas.writeFitted(NumberFormat.fixed(value, decimals: decimals), x: cellX + 1, y: y,
                                   width: layout.columnWidth, alignment: .right, style: cellStyle)
            }
        }
        if let y = layout.scrollLine {
            let text = Scroll.indicator(rows: layout.rows, of: values.rows, columns: layout.columns, of: values.columns)
            canvas.writeFitted(text, x: area.x, y: y, width: area.width, style: theme.dim)
        }
    }

    func rowLabel(_ row: Int) -> String { row < rowLabels.count ? rowLabels[row] : String(row) }
    func columnLabel(_ column: Int) -> String { column < columnLabels.count ? columnLabels[column] : String(column) }
}
