/// Labelled horizontal bars for a distribution (next-token probabilities, one row of attention
/// weights): `label ███████▍     0.4321`. Bar ends are drawn to an eighth of a column
/// (`▏▎▍▌▋▊▉█`). One bar may be highlighted (`▶`, in the highlight style), and the list scrolls
/// to keep it in view when there are more bars than lines.
public struct BarChart: Widget, Sendable {
    /// One bar.
    public struct Bar: Hashable, Sendable {
        public var label: String
        public var value: Float
        public init(_ label: String, _ value: Float) { self.label = label; self.value = value }
    }

    public var bars: [Bar]
    /// The value of a bar as long as the space allows (1 for probabilities); `nil` takes the largest value.
    public var maximum: Float?
    /// Digits after the point of the printed values.
    public var decimals: Int
    public var highlighted: Int?
    /// The first bar shown last frame; moved just enough to show the highlighted one.
    public var offset: Int
    public var theme: Theme
    /// The widest labels get, in columns.
    public var maxLabelWidth: Int

    public init(bars: [Bar], maximum: Float? = nil, decimals: Int = 4, highlighted: Int? = nil, offset: Int = 0, theme: Theme = .dark) {
        self.bars = bars; self.maximum = maximum; self.decimals = decimals; self.highlighted = highlighted
        self.offset = offset; self.theme = theme; maxLabelWidth = 16
    }

    /// The partial blocks for 1 to 7 eighths of a column.
    public static let eighths: [String] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// A bar of `value / maximum` of `width` columns, to the nearest eighth: full blocks, then one
    /// partial block. Negative, NaN and -inf values draw nothing; values past the maximum fill the width.
    public static func bar(_ value: Float, maximum: Float, width: Int) -> String {
        guard width > 0, maximum > 0, value.isFinite || value == .infinity, value > 0 else { return "" }
        let eighthsLong = min(width * 8, Int((Double(min(value, maximum)) / Double(maximum) * Double(width * 8)).rounded()))
        let partial = eighthsLong % 8
        return String(repeating: "█", count: eighthsLong / 8) + (partial > 0 ? eighths[partial - 1] : "")
    }

    /// The first bar shown in `area`.
    public func firstBar(in area: Rect) -> Int {
        Scroll.follow(highlighted, offset: offset, visible: area.height, total: bars.count)
    }

    public func render(into canvas: inout Canvas, area: Rect) {
        let area = area.intersection(canvas.bounds)
        guard !area.isEmpty else { return }
        canvas.fill(area, with: Cell(" ", style: theme.text))
        let texts = bars.map { NumberFormat.fixed($0.value, decimals: decimals) }
        let valueWidth = texts.map(\.count).max() ?? 0
        let marker = highlighted == nil ? 0 : 2
        let labelWidth = min(maxLabelWidth, TextFit.maxWidth(bars.map(\.label)), area.width / 3)
        let barWidth = area.width - marker - labelWidth - 1 - 1 - valueWidth
        let top = bars.map(\.value).filter(\.isFinite).max() ?? 0
        let full = maximum ?? top
        let first = firstBar(in: area)
        for (line, index) in (first..<min(bars.count, first + area.height)).enumerated() {
            let y = area.y + line, isHighlighted = index == highlighted
            let textStyle = isHighlighted ? theme.highlight : theme.text
            var x = area.x
            if marker > 0 { canvas.write(isHighlighted ? "▶ " : "  ", x: x, y: y, style: isHighlighted ? theme.accent : theme.text); x += marker }
            canvas.writeFitted(bars[index].label, x: x, y: y, width: labelWidth, alignment: .right, style: textStyle)
            x += labelWidth + 1
            if barWidth > 0 {
                let color = theme.usesColor ? theme.seriesColor(isHighlighted ? 1 : 0) : .terminalDefault
                canvas.write(Self.bar(bars[index].value, maximum: full, width: barWidth), x: x, y: y,
                             style: Style(foreground: color), maxWidth: barWidth)
                x += barWidth + 1
            }
            canvas.writeFitted(texts[index], x: x, y: y, width: min(valueWidth, area.maxX - x), alignment: .right,
                               style: bars[index].value.isFinite ? textStyle : theme.dim)
        }
    }
}
