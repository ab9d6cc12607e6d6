import Foundation
import Terminal

/// A canvas on the wire: the whole screen in every frame (never a difference, so a follower that
/// missed frames is right again with the next one).
///
/// ```
/// {"cols": 120, "rows": 39, "theme": "dark",
///  "styles": [[fg, bg, attrs], …],        fg, bg: "#rrggbb" or null (the page's own colour); attrs: bits
///                                          bold 1, dim 2, underline 4, reverse 8, italic 16
///  "lines": [[[text, style], …], …]}      each line: runs of cells of one style, left to right
/// ```
/// A run's text is its cells' characters; a wide character fills two columns (its right half has no
/// text of its own), so each line's runs add up to `cols` columns. Palette colours are sent as the
/// xterm palette's RGB values, so the page needs no table of its own.
public enum ScreenCoding {
    /// The JSON object for `canvas` drawn on a `dark` or light background.
    public static func encode(_ canvas: Canvas, dark: Bool) -> String {
        var styles: [Style: Int] = [:]
        var styleList: [Style] = []
        var lines: [String] = []
        lines.reserveCapacity(canvas.height)
        for y in 0..<canvas.height {
            var runs: [String] = []
            var text = ""
            var current: Int?
            for x in 0..<canvas.width {
                let cell = canvas[x, y]
                if cell.isContinuation { continue }
                let index: Int
                if let known = styles[cell.style] { index = known } else {
                    index = styleList.count
                    styles[cell.style] = index
                    styleList.append(cell.style)
                }
                if index != current {
                    if let current { runs.append("[\(JSONText.string(text)),\(current)]") }
                    text = ""
                    current = index
                }
                text += cell.text
            }
            if let current { runs.append("[\(JSONText.string(text)),\(current)]") }
            lines.append("[" + runs.joined(separator: ",") + "]")
        }
        let styleText = styleList.map { "[\(colour($0.foreground)),\(colour($0.background)),\($0.attributes.rawValue)]" }
        return "{\"cols\":\(canvas.width),\"rows\":\(canvas.height),\"theme\":\"\(dark ? "dark" : "light")\","
            + "\"styles\":[\(styleText.joined(separator: ","))],\"lines\":[\(lines.joined(separator: ","))]}"
    }

    /// A colour as `"#rrggbb"`, or `null` for the terminal's default.
    static func colour(_ color: Color) -> String {
        switch color {
        case .terminalDefault: return "null"
        case .ansi(let index): return "\"\(XtermPalette.rgb(index).hexString)\""
        case .rgb(let r, let g, let b): return "\"\(RGB(r, g, b).hexString)\""
        }
    }

    /// Why a screen object could not be read.
    public struct DecodingError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The canvas a screen object (as `JSONSerialization` reads it) describes; colours come back as RGB.
    public static func decode(_ object: Any) throws -> Canvas {
        guard let screen = object as? [String: Any], let cols = screen["cols"] as? Int, let rows = screen["rows"] as? Int,
              (0...1000).contains(cols), (0...1000).contains(rows),
              let styleList = screen["styles"] as? [[Any]], let lines = screen["lines"] as? [[[Any]]], lines.count == rows
        else { throw DecodingError(description: "the screen is not an object with cols, rows, styles and lines") }
        let styles = try styleList.map { entry -> Style in
            guard entry.count == 3, let bits = entry[2] as? Int else { throw DecodingError(description: "a style is not [fg, bg, attrs]") }
            return Style(foreground: try color(entry[0]), background: try color(entry[1]),
                         attributes: Attributes(rawValue: UInt8(truncatingIfNeeded: bits)))
        }
        var canvas = Canvas(width: cols, height: rows)
        for (y, runs) in lines.enumerated() {
            var x = 0
            for run in runs {
                guard run.count == 2, let text = run[0] as? String, let index = run[1] as? Int, styles.indices.contains(index)
                else { throw DecodingError(description: "line \(y + 1) has a run that is not [text, style]") }
                for character in Sanitizer.sanitize(text) where x < cols {
                    let width = DisplayWidth.of(String(character))
                    canvas[x, y] = Cell(String(character), style: styles[index])
                    if width == 2, x + 1 < cols { canvas[x + 1, y] = Cell("", style: styles[index]) }
                    x += max(1, width)
                }
            }
        }
        return canvas
    }

    private static func color(_ value: Any) throws -> Color {
        if value is NSNull { return .terminalDefault }
        guard let hex = value as? String, hex.count == 7, hex.first == "#", let packed = UInt32(hex.dropFirst(), radix: 16)
        else { throw DecodingError(description: "a colour is not \"#rrggbb\" or null") }
        return RGB(hex: packed).color
    }
}
