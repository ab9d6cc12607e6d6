import Terminal

/// A `HeatmapFigure` as an SVG document: one `<rect class="cell">` per cell (with `data-row` and
/// `data-column`), the values as `<text class="value">`, token labels as `<text>` (column labels
/// turned to read upward), the title, the sentence, a colour legend and a footnote.
public enum HeatmapSVG {
    public static func render(_ figure: HeatmapFigure, theme: FigureTheme) -> String {
        let layout = FigureLayout(figure, theme: theme)
        let glyph = layout.glyph
        let weight = theme.boldLabels ? "bold" : "normal"
        var svg = SVGWriter(width: layout.width, height: layout.height, fontSize: glyph, title: figure.title)
        svg.element("rect", [("class", "background"), ("width", "\(layout.width)"), ("height", "\(layout.height)"),
                             ("fill", theme.background.hexString)])
        func baseline(_ top: Int) -> String { "\(top + glyph * 4 / 5)" }
        svg.element("text", [("class", "title"), ("x", "\(layout.margin)"), ("y", baseline(layout.titleY)),
                             ("fill", theme.text.hexString), ("font-weight", "bold")], text: figure.title)
        svg.element("text", [("class", "subtitle"), ("x", "\(layout.margin)"), ("y", baseline(layout.subtitleY)),
                             ("fill", theme.dim.hexString), ("font-weight", weight)], text: figure.subtitle)

        let format = figure.valueFormat
        let gap = theme.cellGap
        svg.open("g", [("class", "cells")])
        for row in 0..<layout.rows {
            for column in 0..<layout.columns {
                let (x, y) = layout.origin(row: row, column: column)
                let fill = figure.color(row: row, column: column)
                svg.element("rect", [("class", "cell"), ("data-row", "\(row)"), ("data-column", "\(column)"),
                                     ("x", "\(x + gap)"), ("y", "\(y + gap)"), ("width", "\(layout.cell - 2 * gap)"),
                                     ("height", "\(layout.cell - 2 * gap)"), ("fill", (fill ?? theme.masked).hexString)])
                let text: String, color: RGB
                if let fill {
                    guard let format else { continue }
                    text = format.string(figure.values[row, column])
                    color = fill.contrastingText
                } else {
                    text = "·"
                    color = theme.dim
                }
                svg.element("text", [("class", "value"), ("x", "\(x + layout.cell / 2)"), ("y", baseline(y + (layout.cell - glyph) / 2)),
                                     ("text-anchor", "middle"), ("fill", color.hexString)], text: text)
            }
        }
        svg.close("g")

        svg.open("g", [("class", "row-labels"), ("fill", theme.text.hexString), ("font-weight", weight)])
        for row in 0..<layout.rows {
            let y = layout.origin(row: row, column: 0).y + (layout.cell - glyph) / 2
            svg.element("text", [("class", "row-label"), ("x", "\(layout.gridX - glyph / 2)"), ("y", baseline(y)),
                                 ("text-anchor", "end")], text: figure.rowLabel(row))
        }
        svg.close("g")
        svg.open("g", [("class", "column-labels"), ("fill", theme.text.hexString), ("font-weight", weight)])
        for column in 0..<layout.columns {
            // Turned a quarter left about its start, the text reads upward from just above the grid.
            let x = layout.origin(row: 0, column: column).x + layout.cell / 2 + glyph * 3 / 10
            let y = layout.gridY - glyph / 2
            svg.element("text", [("class", "column-label"), ("x", "\(x)"), ("y", "\(y)"),
                                 ("transform", "rotate(-90 \(x) \(y))")], text: figure.columnLabel(column))
        }
        svg.close("g")

        let (low, high) = figure.legendLabels
        let bar = layout.legendBar(lowLabel: low)
        svg.open("g", [("class", "legend"), ("fill", theme.text.hexString)])
        svg.open("linearGradient", [("id", "scale"), ("x1", "0"), ("x2", "1"), ("y1", "0"), ("y2", "0")])
        for (i, stop) in figure.scale.stops.enumerated() {
            let offset = figure.scale.stops.count > 1 ? Double(i) / Double(figure.scale.stops.count - 1) : 0
            svg.element("stop", [("offset", NumberFormat.fixed(offset, decimals: 4)), ("stop-color", stop.hexString)])
        }
        svg.close("linearGradient")
        svg.element("text", [("class", "legend-low"), ("x", "\(layout.gridX)"), ("y", baseline(layout.legendY))], text: low)
        svg.element("rect", [("class", "legend-bar"), ("x", "\(bar.x)"), ("y", "\(layout.legendY)"), ("width", "\(bar.width)"),
                             ("height", "\(glyph)"), ("fill", "url(#scale)")])
        let highX = bar.x + bar.width + glyph
        svg.element("text", [("class", "legend-high"), ("x", "\(highX)"), ("y", baseline(layout.legendY))], text: high)
        if figure.hasMaskedCells {
            let x = highX + (high.count + 2) * glyph
            svg.element("rect", [("class", "legend-masked"), ("x", "\(x)"), ("y", "\(layout.legendY)"), ("width", "\(glyph)"),
                                 ("height", "\(glyph)"), ("fill", theme.masked.hexString)])
            svg.element("text", [("x", "\(x + glyph * 3 / 2)"), ("y", baseline(layout.legendY))], text: "masked")
        }
        svg.close("g")
        svg.element("text", [("class", "footnote"), ("x", "\(layout.margin)"), ("y", baseline(layout.footnoteY)),
                             ("fill", theme.dim.hexString)], text: figure.footnote)
        return svg.finished()
    }
}
