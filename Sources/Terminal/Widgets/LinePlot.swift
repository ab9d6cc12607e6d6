/// One or more series as lines in braille dots (2×4 per cell): positional-encoding waves, a loss
/// curve. The y range is written at the top and bottom of the left axis (and 0 where the range
/// crosses it), the x range under the ends of the bottom axis, and a legend below in the series' colours.
public struct LinePlot: Widget, Sendable {
    /// A line through points in order; a non-finite point breaks it.
    public struct Series: Hashable, Sendable {
        public var name: String
        public var x: [Double]
        public var y: [Double]
        /// `nil` takes the theme's next series colour.
        public var color: Color?

        public init(name: String, x: [Double], y: [Double], color: Color? = nil) {
            precondition(x.count == y.count, "a series needs as many x as y values")
            self.name = name; self.x = x; self.y = y; self.color = color
        }

        /// Values at x = 0, 1, 2, …
        public init(name: String, values: [Double], color: Color? = nil) {
            self.init(name: name, x: values.indices.map(Double.init), y: values, color: color)
        }
    }

    public var series: [Series]
    /// The x values at the left and right edges; `nil` spans the data.
    public var xRange: ClosedRange<Double>?
    /// The y values at the bottom and top edges; `nil` spans the data.
    public var yRange: ClosedRange<Double>?
    /// Digits after the point of the axis labels.
    public var decimals: Int
    public var showsLegend: Bool
    public var theme: Theme

    public init(series: [Series], xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil,
                decimals: Int = 2, showsLegend: Bool = true, theme: Theme = .dark) {
        self.series = series; self.xRange = xRange; self.yRange = yRange; self.decimals = decimals
        self.showsLegend = showsLegend; self.theme = theme
    }

    /// The range of the finite values in `values`, widened to a unit when it is a single point.
    static func span(_ values: [Double]) -> ClosedRange<Double> {
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return 0...1 }
        return low < high ? low...high : (low - 0.5)...(high + 0.5)
    }

    func label(_ v: Double) -> String { NumberFormat.fixed(Float(v), decimals: decimals) }

    func color(of index: Int) -> Color {
        theme.usesColor ? (series[index].color ?? theme.seriesColor(index)) : .terminalDefault
    }

    public func render(into canvas: inout Canvas, area: Rect) {
        let area = area.intersection(canvas.bounds)
        guard !area.isEmpty else { return }
        canvas.fill(area, with: Cell(" ", style: theme.text))
        let xs = xRange ?? Self.span(series.flatMap(\.x)), ys = yRange ?? Self.span(series.flatMap(\.y))
        let legend = showsLegend && series.contains { !$0.name.isEmpty } ? 1 : 0
        let plotHeight = area.height - 2 - legend
        let yLabels = [label(ys.upperBound), label(ys.lowerBound)]
        let gutter = yLabels.map(\.count).max()!
        let plotWidth = area.width - gutter - 1
        guard plotHeight >= 1, plotWidth >= 2 else { return }
        let plotX = area.x + gutter + 1, axisY = area.y + plotHeight

        // Left axis with its labels, bottom axis, x range.
        var ticks: [Int: String] = [plotHeight - 1: yLabels[1]]
        ticks[0] = yLabels[0]   // one row high: the top label wins
        if ys.lowerBound < 0 && ys.upperBound > 0 && plotHeight >= 5 {
            let zero = Int(((ys.upperBound / (ys.upperBound - ys.lowerBound)) * Double(plotHeight * 4 - 1)).rounded()) / 4
            if ticks[zero] == nil { ticks[zero] = label(0) }
        }
        for row in 0..<plotHeight {
            if let text = ticks[row] {
                canvas.writeFitted(text, x: area.x, y: area.y + row, width: gutter, alignment: .right, style: theme.dim)
            }
            canvas.write(ticks[row] == nil ? "│" : "┤", x: plotX - 1, y: area.y + row, style: theme.border)
        }
        canvas.write("└" + String(repeating: "─", count: plotWidth), x: plotX - 1, y: axisY, style: theme.border)
        let low = label(xs.lowerBound), high = label(xs.upperBound)
        canvas.write(low, x: plotX, y: axisY + 1, style: theme.dim, maxWidth: plotWidth)
        if low.count + high.count + 1 <= plotWidth {
            canvas.write(high, x: plotX + plotWidth - high.count, y: axisY + 1, style: theme.dim)
        }

        var grid = BrailleGrid(width: plotWidth, height: plotHeight)
        func dot(_ x: Double, _ y: Double) -> (x: Int, y: Int)? {
            guard x.isFinite, y.isFinite else { return nil }
            let px = (x - xs.lowerBound) / (xs.upperBound - xs.lowerBound) * Double(grid.dotWidth - 1)
            let py = (ys.upperBound - y) / (ys.upperBound - ys.lowerBound) * Double(grid.dotHeight - 1)
            guard abs(px) < 1e6, abs(py) < 1e6 else { return nil }
            return (Int(px.rounded()), Int(py.rounded()))
        }
        for (index, s) in series.enumerated() {
            var previous: (x: Int, y: Int)? = nil
            for (x, y) in zip(s.x, s.y) {
                let point = dot(x, y)
                if let p = point { if let q = previous { grid.line(from: q, to: p, color: color(of: index)) } else { grid.set(x: p.x, y: p.y, color: color(of: index)) } }
                previous = point
            }
        }
        grid.draw(into: &canvas, x: plotX, y: area.y, style: theme.text)

        if legend > 0 {
            // Names as given if they all fit, else their last words (`dimension 13` → `13`); an entry
            // that would be cut is left out, with `…` saying so.
            let named = series.indices.filter { !series[$0].name.isEmpty }
            let full = named.map { series[$0].name }
            let short = full.map { String($0.split(separator: " ").last ?? Substring($0)) }
            func width(_ names: [String]) -> Int { names.reduce(0) { $0 + 3 + DisplayWidth.of($1) + 3 } }
            let names = width(full) <= area.maxX - plotX ? full : short
            var x = plotX
            for (n, index) in named.enumerated() {
                let entry = 3 + DisplayWidth.of(names[n])
                guard x + entry <= area.maxX else {
                    canvas.write("…", x: min(x, area.maxX - 1), y: axisY + 2, style: theme.dim)
                    break
                }
                x += canvas.write("━━ ", x: x, y: axisY + 2, style: theme.text.with(foreground: color(of: index)), maxWidth: area.maxX - x)
                x += canvas.write(names[n] + "   ", x: x, y: axisY + 2, style: theme.text, maxWidth: area.maxX - x)
            }
        }
    }
}
