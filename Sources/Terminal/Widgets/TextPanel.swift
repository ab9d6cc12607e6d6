/// Prose wrapped to its width (see `TextWrap`): lesson text, explanations. Scrolls by whole lines
/// from `offset`; with a border its title sits in the top edge and `▲`/`▼` in the right edge say
/// there is more above or below.
public struct TextPanel: Widget, Sendable {
    public var text: String
    public var title: String?
    public var bordered: Bool
    /// The first line shown (clamped so the last page stays full).
    public var offset: Int
    public var theme: Theme

    public init(text: String, title: String? = nil, bordered: Bool = false, offset: Int = 0, theme: Theme = .dark) {
        self.text = text; self.title = title; self.bordered = bordered; self.offset = offset; self.theme = theme
    }

    /// Where the wrapped text goes inside `area`.
    public func textArea(in area: Rect) -> Rect {
        if bordered { return Box.inner(area) }
        if title != nil { return Rect(x: area.x, y: area.y + 1, width: area.width, height: area.height - 1) }
        return area
    }

    /// The wrapped lines for `area`, so the app can bound its scrolling.
    public func lines(in area: Rect) -> [[StyledRun]] {
        TextWrap.lines(text, width: textArea(in: area).width, theme: theme)
    }

    /// The offset actually used in `area`: at most the number of lines minus a page.
    public func clampedOffset(in area: Rect) -> Int {
        min(max(0, offset), max(0, lines(in: area).count - textArea(in: area).height))
    }

    public func render(into canvas: inout Canvas, area: Rect) {
        let area = area.intersection(canvas.bounds)
        guard !area.isEmpty else { return }
        canvas.fill(area, with: Cell(" ", style: theme.text))
        let inner = textArea(in: area)
        let lines = TextWrap.lines(text, width: inner.width, theme: theme)
        let first = min(max(0, offset), max(0, lines.count - inner.height))
        if bordered {
            Box(title: title, theme: theme).render(into: &canvas, area: area)
            if first > 0 && area.height >= 3 { canvas.write("▲", x: area.maxX - 1, y: area.y + 1, style: theme.accent) }
            if first + inner.height < lines.count && area.height >= 3 { canvas.write("▼", x: area.maxX - 1, y: area.maxY - 2, style: theme.accent) }
        } else if let title {
            canvas.writeFitted(title, x: area.x, y: area.y, width: area.width, style: theme.accent)
        }
        for (row, line) in lines.dropFirst(first).prefix(inner.height).enumerated() {
            var x = inner.x
            for run in line { x += canvas.write(run.text, x: x, y: inner.y + row, style: run.style, maxWidth: inner.maxX - x) }
        }
    }
}
