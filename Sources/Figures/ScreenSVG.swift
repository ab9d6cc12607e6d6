import Terminal

/// A screen (a `Canvas`) as an SVG picture of the same grid: one background `<rect>` per run of
/// cells sharing a background on a row, one `<text>` per visible character at its cell, with the
/// cell's colours and attributes (bold, dim, italic, underline, reverse). Palette colours are xterm's
/// (`XtermPalette`); the terminal's default colours are those of a dark or a light terminal.
public enum ScreenSVG {
    /// Pixels of one cell: 10 wide, 20 high, a 16-pixel monospace font.
    public static let cellWidth = 10, cellHeight = 20, fontSize = 16

    /// The default foreground and background of a dark or light terminal.
    public static func defaults(lightBackground: Bool) -> (foreground: RGB, background: RGB) {
        lightBackground ? (RGB(hex: 0x1C1C1C), RGB(hex: 0xFFFFFF)) : (RGB(hex: 0xD0D0D0), RGB(hex: 0x121212))
    }

    /// The colours a cell is painted with: its own, the defaults for `terminalDefault`, swapped by reverse.
    public static func colors(of style: Style, lightBackground: Bool) -> (foreground: RGB, background: RGB) {
        let base = defaults(lightBackground: lightBackground)
        func resolve(_ color: Color, _ fallback: RGB) -> RGB {
            switch color {
            case .terminalDefault: fallback
            case .ansi(let index): XtermPalette.rgb(index)
            case .rgb(let r, let g, let b): RGB(r, g, b)
            }
        }
        let fg = resolve(style.foreground, base.foreground), bg = resolve(style.background, base.background)
        return style.attributes.contains(.reverse) ? (bg, fg) : (fg, bg)
    }

    public static func render(_ canvas: Canvas, lightBackground: Bool, title: String) -> String {
        let width = canvas.width * cellWidth, height = canvas.height * cellHeight
        var svg = SVGWriter(width: width, height: height, fontSize: fontSize, title: title)
        let base = defaults(lightBackground: lightBackground)
        svg.element("rect", [("class", "background"), ("width", "\(width)"), ("height", "\(height)"), ("fill", base.background.hexString)])
        svg.open("g", [("class", "backgrounds")])
        for y in 0..<canvas.height {
            var x = 0
            while x < canvas.width {
                let color = colors(of: canvas[x, y].style, lightBackground: lightBackground).background
                var end = x + 1
                while end < canvas.width, colors(of: canvas[end, y].style, lightBackground: lightBackground).background == color { end += 1 }
                if color != base.background {
                    svg.element("rect", [("x", "\(x * cellWidth)"), ("y", "\(y * cellHeight)"), ("width", "\((end - x) * cellWidth)"),
                                         ("height", "\(cellHeight)"), ("fill", color.hexString)])
                }
                x = end
            }
        }
        svg.close("g")
        svg.open("g", [("class", "characters"), ("xml:space", "preserve")])
        for y in 0..<canvas.height {
            for x in 0..<canvas.width {
                let cell = canvas[x, y]
                guard !cell.isContinuation, cell.text != " ", !cell.text.isEmpty else { continue }
                let style = cell.style
                var attributes = [("x", "\(x * cellWidth)"), ("y", "\(y * cellHeight + cellHeight * 3 / 4)"),
                                  ("fill", colors(of: style, lightBackground: lightBackground).foreground.hexString)]
                if style.attributes.contains(.bold) { attributes.append(("font-weight", "bold")) }
                if style.attributes.contains(.dim) { attributes.append(("opacity", "0.6")) }
                if style.attributes.contains(.italic) { attributes.append(("font-style", "italic")) }
                if style.attributes.contains(.underline) { attributes.append(("text-decoration", "underline")) }
                // A wide character spans two cells; the text is squeezed into them so the grid holds.
                let columns = x + 1 < canvas.width && canvas[x + 1, y].isContinuation ? 2 : 1
                attributes.append(("textLength", "\(columns * cellWidth)"))
                attributes.append(("lengthAdjust", "spacingAndGlyphs"))
                svg.element("text", attributes, text: cell.text)
            }
        }
        svg.close("g")
        return svg.finished()
    }
}
