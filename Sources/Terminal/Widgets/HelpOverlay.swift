/// A centred, bordered box listing keys and what they do, drawn over whatever is beneath it
/// (only the box's own cells change). Keys line up in one column, in the accent style.
public struct HelpOverlay: Widget, Sendable {
    public var title: String
    public var bindings: [KeyHint]
    /// A line under the list, e.g. `press any key to close`.
    public var footer: String?
    public var theme: Theme

    public init(title: String = "Keys", bindings: [KeyHint], footer: String? = nil, theme: Theme = .dark) {
        self.title = title; self.bindings = bindings; self.footer = footer; self.theme = theme
    }

    var keyWidth: Int { TextFit.maxWidth(bindings.map(\.key)) }

    /// The box's rectangle in `area`: as large as its contents (plus a column of padding on each
    /// side), at most `area`, centred.
    public func frame(in area: Rect) -> Rect {
        let actions = TextFit.maxWidth(bindings.map(\.action))
        let footerWidth = footer.map { DisplayWidth.of(Sanitizer.sanitize($0)) } ?? 0
        let content = max(keyWidth + 2 + actions, footerWidth, DisplayWidth.of(Sanitizer.sanitize(title)) + 4)
        let width = min(area.width, content + 4)
        let height = min(area.height, bindings.count + (footer == nil ? 0 : 2) + 2)
        return Rect(x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width: width, height: height)
    }

    public func render(into canvas: inout Canvas, area: Rect) {
        let box = frame(in: area.intersection(canvas.bounds))
        guard box.width >= 4, box.height >= 3 else { return }
        Box(title: title, border: .rounded, theme: theme, fillsInterior: true).render(into: &canvas, area: box)
        let inner = Rect(x: box.x + 2, y: box.y + 1, width: box.width - 4, height: box.height - 2)
        let footerLines = footer == nil || inner.height < 3 ? 0 : 2
        let listLines = inner.height - footerLines
        let keyColumn = min(keyWidth, inner.width / 2)
        for (row, binding) in bindings.prefix(listLines).enumerated() {
            let y = inner.y + row
            if row == listLines - 1 && bindings.count > listLines {
                canvas.writeFitted("…", x: inner.x, y: y, width: inner.width, style: theme.dim)
                break
            }
            canvas.writeFitted(binding.key, x: inner.x, y: y, width: keyColumn, style: theme.accent)
            canvas.writeFitted(binding.action, x: inner.x + keyColumn + 2, y: y, width: max(0, inner.width - keyColumn - 2), style: theme.text)
        }
        if footerLines > 0, let footer {
            canvas.writeFitted(footer, x: inner.x, y: inner.maxY - 1, width: inner.width, alignment: .center, style: theme.dim)
        }
    }
}
