extension Heatmap {
    /// One line per row, `cellWidth` columns per cell.
    func drawCells(into canvas: inout Canvas, layout: HeatmapLayout, range: ClosedRange<Float>) {
        let cursor = clampedCursor
        // One format for the whole matrix, so a column of numbers reads as one (the cursor's cell,
        // two columns narrower for its brackets, falls back to its own if it must).
        let format = showsValues ? NumberFormat.common(values.values, width: layout.cellWidth - 1) : nil
        for row in layout.rows {
            let y = layout.y(ofRow: row)
            for column in layout.columns {
                let value = values[row, column]
                let position = isHidden(row: row, column: column) ? nil : scale.position(of: value, in: range)
                let (text, style) = cell(value, position: position,
                                         isCursor: cursor == MatrixIndex(row: row, column: column), width: layout.cellWidth,
                                         format: format)
                canvas.write(text, x: layout.x(ofColumn: column), y: y, style: style, maxWidth: layout.cellWidth)
            }
        }
    }

    /// The text and style of one cell `width` columns wide.
    func cell(_ value: Float, position: Double?, isCursor: Bool, width: Int, format: TableFormat? = nil) -> (String, Style) {
        func repeated(_ s: String, _ n: Int) -> String { String(repeating: s, count: max(0, n)) }
        func number(_ columns: Int) -> String? {
            guard showsValues, columns >= 2 else { return nil }
            let shared = format.map { $0.string(value) }.flatMap { $0.count <= columns ? $0 : nil }
            guard let s = shared ?? NumberFormat.compact(value, width: columns) else { return nil }
            return repeated(" ", columns - s.count) + s
        }
        // The cursor: a diamond in a one-column cell, else brackets around the value or the fill.
        func bracketed(_ fill: String) -> String {
            width == 1 ? "◆" : "[" + (number(width - 2) ?? repeated(fill, width - 2)) + "]"
        }
        guard let t = position else {
            let mark = value.isNaN ? "?" : "·"
            // A hidden cell's value (a softmax weight of exactly 0) still shows at the cursor.
            if isCursor { return (bracketed(mark), theme.cursor) }
            return (repeated(" ", width / 2) + mark + repeated(" ", width - width / 2 - 1), theme.dim)
        }
        if theme.usesColor {
            let background = scale.rgb(at: t)
            var style = Style(foreground: background.contrastingText.color, background: background.color)
            if isCursor { style.attributes = .bold; return (bracketed(" "), style) }
            let text = width >= 4 ? " " + (number(width - 1) ?? repeated(" ", width - 1)) : repeated(" ", width)
            return (text, style)
        }
        let shade = String(Shades.glyph(for: Shades.intensity(at: t, kind: scale.kind)))
        if isCursor { return (bracketed(shade), theme.cursor) }
        if width >= 4, let n = number(width - 1) { return (shade + n, theme.text) }
        let sign = scale.kind == .diverging && value < 0 && width >= 2 ? "-" : shade
        return (width == 1 ? shade : sign + repeated(shade, width - 1), theme.text)
    }

    /// Two rows per line: `▀` in the upper row's colour over the lower row's; a masked half is the
    /// terminal's background, two masked halves a dim `·`; the cursor's half is `theme.cursorColor`.
    func drawCompactCells(into canvas: inout Canvas, layout: HeatmapLayout, range: ClosedRange<Float>) {
        let cursor = clampedCursor
        func color(_ row: Int, _ column: Int) -> Color? {
            guard row < layout.rows.upperBound else { return nil }
            if cursor == MatrixIndex(row: row, column: column) { return theme.cursorColor }
            if isHidden(row: row, column: column) { return nil }
            return scale.position(of: values[row, column], in: range).map { scale.color(at: $0) }
        }
        for upper in stride(from: layout.rows.lowerBound, to: layout.rows.upperBound, by: 2) {
            let y = layout.y(ofRow: upper)
            for column in layout.columns {
                let x = layout.x(ofColumn: column)
                switch (color(upper, column), color(upper + 1, column)) {
                case let (top?, bottom?): canvas.write("▀", x: x, y: y, style: Style(foreground: top, background: bottom))
                case let (top?, nil): canvas.write("▀", x: x, y: y, style: Style(foreground: top))
                case let (nil, bottom?): canvas.write("▄", x: x, y: y, style: Style(foreground: bottom))
                case (nil, nil): canvas.write("·", x: x, y: y, style: theme.dim)
                }
            }
        }
    }
}

extension Heatmap {
    /// Whether a cell is masked: its value is -inf, or `hidden` marks it (e.g. a softmax weight that
    /// is 0 because the mask hid the key).
    func isHidden(row: Int, column: Int) -> Bool {
        values[row, column] == -.infinity || (hidden.count == values.values.count && hidden[row * values.columns + column])
    }

    /// Whether any cell is masked.
    var hasHiddenCells: Bool { values.values.contains(-.infinity) || hidden.contains(true) }
}
