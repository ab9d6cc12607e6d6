/// A piece of text in one style.
public struct StyledRun: Hashable, Sendable {
    public var text: String
    public var style: Style
    public init(_ text: String, style: Style) { self.text = text; self.style = style }
}

/// Prose with the little markup lesson text uses: `**bold**`, `*italic*` and `` `code` ``.
public enum StyledText {
    /// `text` (one paragraph) as runs: `**…**` in `base` made bold, `*…*` italic, `` `…` `` in `code`,
    /// the rest in `base`. Markers without a partner stay as written, and so does a `*` with a space
    /// after it (`2 * 3`); inside code nothing else is markup.
    /// The text is sanitised (tabs become spaces first).
    public static func parse(_ text: String, base: Style, code: Style) -> [StyledRun] {
        let characters = Array(Sanitizer.sanitize(text.replacingTabs))
        var runs: [StyledRun] = []
        var current = "", bold = false, italic = false, i = 0
        func flush(_ style: Style) { if !current.isEmpty { runs.append(StyledRun(current, style: style)); current = "" } }
        func find(_ marker: [Character], from start: Int) -> Int? {
            var j = start
            while j + marker.count <= characters.count {
                if Array(characters[j..<(j + marker.count)]) == marker { return j }
                j += 1
            }
            return nil
        }
        func styled() -> Style {
            var style = bold ? base.adding(.bold) : base
            if italic { style = style.adding(.italic) }
            return style
        }
        /// A single `*` that opens emphasis: a word character follows it, and a closing `*` (not `**`) comes later.
        func opensItalic(_ j: Int) -> Bool {
            guard j + 1 < characters.count, !characters[j + 1].isWhitespace, characters[j + 1] != "*" else { return false }
            var k = j + 2
            while k < characters.count {
                if characters[k] == "*" && !characters[k - 1].isWhitespace && (k + 1 >= characters.count || characters[k + 1] != "*") {
                    return true
                }
                k += 1
            }
            return false
        }
        while i < characters.count {
            let style = styled()
            if characters[i] == "`", let end = find(["`"], from: i + 1), end > i + 1 {
                flush(style)
                runs.append(StyledRun(String(characters[(i + 1)..<end]), style: code))
                i = end + 1
            } else if characters[i] == "*", i + 1 < characters.count, characters[i + 1] == "*",
                      bold || find(["*", "*"], from: i + 2) != nil {
                flush(style)
                bold.toggle()
                i += 2
            } else if characters[i] == "*", italic ? !(i > 0 && characters[i - 1].isWhitespace) : opensItalic(i) {
                flush(style)
                italic.toggle()
                i += 1
            } else {
                current.append(characters[i]); i += 1
            }
        }
        flush(styled())
        return runs
    }
}

extension String {
    var replacingTabs: String { String(map { $0 == "\t" ? " " : $0 }) }
}
