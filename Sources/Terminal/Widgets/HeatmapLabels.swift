extension Heatmap {
    /// Row labels, right-aligned beside their rows; in compact mode a line's two labels as `upper/lower`.
    /// The cursor's row label is highlighted.
    func drawRowLabels(into canvas: inout Canvas, layout: HeatmapLayout) {
        guard layout.labelWidth > 0 else { return }
        let x = layout.grid.x - layout.labelWidth - 1
        let cursorRow = clampedCursor?.row
        var row = layout.rows.lowerBound
        while row < layout.rows.upperBound {
            let pair = layout.compact && row + 1 < layout.rows.upperBound
            var text = rowLabel(row)
            if layout.compact {
                let upper = (layout.labelWidth - 1) / 2, lower = layout.labelWidth - 1 - upper
                text = pair ? TextFit.truncate(rowLabel(row), to: upper) + "/" + TextFit.truncate(rowLabel(row + 1), to: lower)
                            : TextFit.truncate(rowLabel(row), to: upper)
            }
            let isCursor = cursorRow == row || (pair && cursorRow == row + 1)
            canvas.writeFitted(text, x: x, y: layout.y(ofRow: row), width: layout.labelWidth, alignment: .right,
                               style: isCursor ? theme.highlight : theme.text)
            row += layout.rowsPerLine
        }
    }

    /// Column labels above their columns, set as the layout says; the cursor's is highlighted.
    func drawColumnLabels(into canvas: inout Canvas, layout: HeatmapLayout) {
        let lines = layout.columnLabelLines, top = layout.grid.y - lines, cw = layout.cellWidth
        guard lines > 0 else { return }
        let cursorColumn = clampedCursor?.column
        let right = layout.grid.maxX
        for column in layout.columns {
            let x = layout.x(ofColumn: column)
            let style = column == cursorColumn ? theme.highlight : theme.text
            let label = columnLabel(column)
            switch layout.columnLabels {
            case .hidden:
                break
            case .horizontal:
                canvas.writeFitted(label, x: x + 1, y: top + lines - 1, width: cw - 1, style: style)
            case .staggered:
                // Even columns on the upper line, odd on the lower; each may reach the next label on its line.
                let y = top + lines - 2 + column % 2
                canvas.writeFitted(label, x: x + 1, y: y, width: min(2 * cw - 1, right - x - 1), style: style)
            case .vertical:
                let characters = Array(Sanitizer.sanitize(label))
                let at = cw >= 3 ? x + 1 : x
                // In one-column cells (the overview) the columns touch, and cut labels read across as
                // one nonsense word: there a label shows whole or not at all.
                if cw == 1 && characters.count > lines { continue }
                for line in 0..<lines {
                    guard line < characters.count else { break }
                    let more = line == lines - 1 && characters.count > lines
                    let fits = DisplayWidth.of(characters[line]) <= cw - (at - x)
                    let glyph = more || !fits ? "…" : String(characters[line])
                    canvas.write(glyph, x: at, y: top + line, style: style, maxWidth: cw - (at - x))
                    if !fits { break }
                }
            }
        }
    }
}
