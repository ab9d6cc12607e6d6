/// The one-line bar at the bottom: segments on the left (`tiny-gpt │ layer 0 │ head 1`), key
/// hints after them (`? help  q quit`, keys in the accent style), segments on the right. When the
/// line is too short, hints go first (from the last), then the right segments are cut, then the left.
public struct StatusBar: Widget, Sendable {
    public var left: [String]
    public var right: [String]
    public var hints: [KeyHint]
    public var theme: Theme

    public init(left: [String] = [], right: [String] = [], hints: [KeyHint] = [], theme: Theme = .dark) {
        self.left = left; self.right = right; self.hints = hints; self.theme = theme
    }

    static let separator = " │ "

    public func render(into canvas: inout Canvas, area: Rect) {
        let area = area.intersection(canvas.bounds)
        guard !area.isEmpty else { return }
        let y = area.y, bar = theme.statusBar
        canvas.fill(Rect(x: area.x, y: y, width: area.width, height: 1), with: Cell(" ", style: bar))
        let leftText = " " + left.joined(separator: Self.separator)
        let rightText = right.isEmpty ? "" : right.joined(separator: Self.separator) + " "
        let leftWidth = DisplayWidth.of(Sanitizer.sanitize(leftText)), rightWidth = DisplayWidth.of(Sanitizer.sanitize(rightText))
        var shown = hints
        func hintsWidth(_ hints: [KeyHint]) -> Int {
            hints.reduce(0) { $0 + 2 + DisplayWidth.of(Sanitizer.sanitize($1.key)) + 1 + DisplayWidth.of(Sanitizer.sanitize($1.action)) }
        }
        while !shown.isEmpty && leftWidth + hintsWidth(shown) + 1 + rightWidth > area.width { shown.removeLast() }

        let rightSpace = max(0, min(rightWidth, area.width - leftWidth - 1))
        let leftSpace = area.width - rightSpace - (rightSpace > 0 ? 1 : 0)
        var x = area.x + canvas.write(TextFit.truncate(leftText, to: leftSpace), x: area.x, y: y, style: bar, maxWidth: leftSpace)
        for hint in shown {
            x += canvas.write("  ", x: x, y: y, style: bar)
            x += canvas.write(hint.key, x: x, y: y, style: bar.adding(theme.accent.attributes).with(foreground: theme.usesColor ? theme.accent.foreground : bar.foreground))
            x += canvas.write(" " + hint.action, x: x, y: y, style: bar)
        }
        if rightSpace > 0 {
            canvas.writeFitted(rightText, x: area.maxX - rightSpace, y: y, width: rightSpace, alignment: .right, style: bar)
        }
    }
}
