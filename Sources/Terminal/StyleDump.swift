extension Canvas {
    /// The styles as text, for snapshot tests that must catch colour changes: one code character per
    /// cell (`.` for the plain style, then `a`–`z`, `A`–`Z`, `0`–`9` in order of first appearance,
    /// row by row), then one legend line per code, e.g. `a fg=#440154 bg=default bold`.
    public var styleDump: String {
        let codes = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var assigned: [Style: Character] = [.plain: "."]
        var order: [Style] = []
        var lines: [String] = []
        for y in 0..<height {
            var line = ""
            for x in 0..<width {
                let style = self[x, y].style
                if assigned[style] == nil {
                    assigned[style] = order.count < codes.count ? codes[order.count] : "?"
                    order.append(style)
                }
                line.append(assigned[style]!)
            }
            lines.append(line)
        }
        for style in order { lines.append("\(assigned[style]!) \(Self.describe(style))") }
        return lines.joined(separator: "\n")
    }

    /// `fg=… bg=… attributes`, colours as `default`, `ansi9` or `#RRGGBB`.
    public static func describe(_ style: Style) -> String {
        func name(_ color: Color) -> String {
            switch color {
            case .terminalDefault: "default"
            case .ansi(let i): "ansi\(i)"
            case .rgb(let r, let g, let b): RGB(r, g, b).hexString
            }
        }
        let attributes: [(Attributes, String)] = [(.bold, "bold"), (.dim, "dim"), (.underline, "underline"),
                                                   (.reverse, "reverse"), (.italic, "italic")]
        let names = attributes.filter { style.attributes.contains($0.0) }.map(\.1)
        return (["fg=\(name(style.foreground))", "bg=\(name(style.background))"] + names).joined(separator: " ")
    }
}
