extension Heatmap {
    /// `0.00 ████████████ 1.00  · masked`: the scale between its end values (shades in monochrome);
    /// the note only when some value is masked.
    func drawLegend(into canvas: inout Canvas, x: Int, y: Int, width: Int, range: ClosedRange<Float>) {
        let low = NumberFormat.fixed(range.lowerBound, decimals: legendDecimals)
        let high = NumberFormat.fixed(range.upperBound, decimals: legendDecimals)
        let masked = hasHiddenCells
        let note = masked ? "  · masked" : ""
        var bar = min(20, width - low.count - high.count - 2 - note.count)
        let showsNote = masked && bar >= 3
        if !showsNote { bar = min(20, width - low.count - high.count - 2) }
        var column = x + canvas.write(low, x: x, y: y, style: theme.text, maxWidth: width)
        guard bar >= 3 else { return }
        column += canvas.write(" ", x: column, y: y, maxWidth: x + width - column)
        for i in 0..<bar {
            let t = (Double(i) + 0.5) / Double(bar)
            if theme.usesColor {
                canvas.write(" ", x: column + i, y: y, style: Style(background: scale.color(at: t)))
            } else {
                canvas.write(String(Shades.glyph(for: Shades.intensity(at: t, kind: scale.kind))), x: column + i, y: y, style: theme.text)
            }
        }
        column += bar
        column += canvas.write(" " + high, x: column, y: y, style: theme.text, maxWidth: x + width - column)
        if showsNote { canvas.write(note, x: column, y: y, style: theme.dim, maxWidth: x + width - column) }
    }

    /// `query → key  value` for the cursor, e.g. `it → animal  0.8734` (`-inf (masked)` when masked).
    func drawCaption(into canvas: inout Canvas, x: Int, y: Int, width: Int) {
        guard let c = clampedCursor else { return }
        let value = values[c.row, c.column]
        var text = NumberFormat.fixed(value, decimals: decimals)
        if isHidden(row: c.row, column: c.column) { text += " (masked)" }
        let parts: [(String, Style)] = [(rowLabel(c.row), theme.accent), (" → ", theme.dim),
                                        (columnLabel(c.column), theme.accent), ("  " + text, theme.text.adding(.bold))]
        var column = x
        for (part, style) in parts where column < x + width {
            column += canvas.write(part, x: column, y: y, style: style, maxWidth: x + width - column)
        }
    }
}
