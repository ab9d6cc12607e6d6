/// Where text goes in a field wider than itself.
public enum TextAlignment: Hashable, Sendable { case left, center, right }

/// Fitting text into a number of terminal columns, by display width (wide CJK and emoji count two,
/// combining marks none), after sanitising it.
public enum TextFit {
    /// `text`, sanitised, cut to at most `width` columns; a cut text ends in `…`.
    public static func truncate(_ text: String, to width: Int) -> String {
        let safe = Sanitizer.sanitize(text)
        guard width > 0 else { return "" }
        if DisplayWidth.of(safe) <= width { return safe }
        var out = "", used = 0
        for character in safe {
            let w = DisplayWidth.of(character)
            if used + w > width - 1 { break }
            out.append(character); used += w
        }
        return out + "…"
    }

    /// `text` truncated to `width` columns and padded with spaces to exactly `width`.
    public static func pad(_ text: String, to width: Int, alignment: TextAlignment = .left) -> String {
        let cut = truncate(text, to: width)
        let gap = max(0, width - DisplayWidth.of(cut))
        switch alignment {
        case .left: return cut + String(repeating: " ", count: gap)
        case .right: return String(repeating: " ", count: gap) + cut
        case .center: return String(repeating: " ", count: gap / 2) + cut + String(repeating: " ", count: gap - gap / 2)
        }
    }

    /// The widest of `texts` once sanitised, in columns.
    public static func maxWidth(_ texts: [String]) -> Int {
        texts.reduce(0) { max($0, DisplayWidth.of(Sanitizer.sanitize($1))) }
    }
}

extension Canvas {
    /// Writes `text` into exactly `width` columns from (x, y): sanitised, cut with `…` if too long,
    /// padded with spaces in `style`. Clipped to the canvas.
    public mutating func writeFitted(_ text: String, x: Int, y: Int, width: Int,
                                     alignment: TextAlignment = .left, style: Style = .plain) {
        guard width > 0 else { return }
        write(TextFit.pad(text, to: width, alignment: alignment), x: x, y: y, style: style, maxWidth: width)
    }
}
