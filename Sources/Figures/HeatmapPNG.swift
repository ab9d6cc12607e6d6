import Terminal

/// A `HeatmapFigure` drawn into a `Raster` (and so a PNG) with the same layout as its SVG: cells,
/// values, labels (column labels reading upward), title, legend and footnote, in the bitmap font.
public enum HeatmapPNG {
    public static func raster(_ figure: HeatmapFigure, theme: FigureTheme) -> Raster {
        let layout = FigureLayout(figure, theme: theme)
        let glyph = layout.glyph, scale = theme.fontScale, bold = theme.boldLabels
        var image = Raster(width: layout.width, height: layout.height, background: theme.background)
        image.draw(figure.title, x: layout.margin, y: layout.titleY, color: theme.text, scale: scale, bold: true)
        image.draw(Sanitizer.sanitize(figure.subtitle), x: layout.margin, y: layout.subtitleY, color: theme.dim, scale: scale, bold: bold)

        let format = figure.valueFormat
        let gap = theme.cellGap
        for row in 0..<layout.rows {
            for column in 0..<layout.columns {
                let (x, y) = layout.origin(row: row, column: column)
                let fill = figure.color(row: row, column: column)
                image.fill(x: x + gap, y: y + gap, width: layout.cell - 2 * gap, height: layout.cell - 2 * gap, fill ?? theme.masked)
                let text: String, color: RGB
                if let fill {
                    guard let format else { continue }
                    text = format.string(figure.values[row, column]); color = fill.contrastingText
                } else {
                    text = "·"; color = theme.dim
                }
                let length = Raster.length(of: text, scale: scale)
                image.draw(text, x: x + (layout.cell - length) / 2, y: y + (layout.cell - glyph) / 2, color: color, scale: scale)
            }
        }
        for row in 0..<layout.rows {
            let label = figure.rowLabel(row)
            let y = layout.origin(row: row, column: 0).y + (layout.cell - glyph) / 2
            image.draw(label, x: layout.gridX - glyph / 2 - Raster.length(of: label, scale: scale), y: y,
                       color: theme.text, scale: scale, bold: bold)
        }
        for column in 0..<layout.columns {
            let x = layout.origin(row: 0, column: column).x + (layout.cell - glyph) / 2
            image.draw(figure.columnLabel(column), x: x, y: layout.gridY - glyph / 2, color: theme.text, scale: scale,
                       bold: bold, direction: .upward)
        }

        let (low, high) = figure.legendLabels
        let bar = layout.legendBar(lowLabel: low)
        image.draw(low, x: layout.gridX, y: layout.legendY, color: theme.text, scale: scale)
        for i in 0..<bar.width {
            let t = (Double(i) + 0.5) / Double(bar.width)
            image.fill(x: bar.x + i, y: layout.legendY, width: 1, height: glyph, figure.scale.rgb(at: t))
        }
        let highX = bar.x + bar.width + glyph
        image.draw(high, x: highX, y: layout.legendY, color: theme.text, scale: scale)
        if figure.hasMaskedCells {
            let x = highX + (high.count + 2) * glyph
            image.fill(x: x, y: layout.legendY, width: glyph, height: glyph, theme.masked)
            image.draw("masked", x: x + glyph * 3 / 2, y: layout.legendY, color: theme.text, scale: scale)
        }
        image.draw(figure.footnote, x: layout.margin, y: layout.footnoteY, color: theme.dim, scale: scale)
        return image
    }

    /// The figure as PNG file bytes.
    public static func render(_ figure: HeatmapFigure, theme: FigureTheme) -> [UInt8] {
        PNGEncoder.encode(raster(figure, theme: theme))
    }
}
