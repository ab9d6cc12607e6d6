import Foundation
import Testing
@testable import Terminal

@Suite struct LinePlotTests {
    @Test func brailleDots() {
        var grid = BrailleGrid(width: 2, height: 1)
        grid.set(x: 0, y: 0)
        #expect(grid.character(column: 0, row: 0) == "⠁")       // dot 1
        grid.set(x: 1, y: 3)
        #expect(grid.character(column: 0, row: 0) == "⢁")       // dots 1 and 8
        #expect(grid.character(column: 1, row: 0) == nil)
        grid.line(from: (x: 2, y: 0), to: (x: 2, y: 3))
        #expect(grid.character(column: 1, row: 0) == "⡇")       // dots 1 2 3 7: the left column
        grid.set(x: 9, y: 9)                                      // outside: ignored
        var full = BrailleGrid(width: 1, height: 1)
        for x in 0..<2 { for y in 0..<4 { full.set(x: x, y: y) } }
        #expect(full.character(column: 0, row: 0) == "⣿")
    }

    @Test func sineAndCosine() {
        let xs = (0...120).map { Double($0) * 2 * Double.pi / 120 }
        let plot = LinePlot(series: [LinePlot.Series(name: "sin", x: xs, y: xs.map(sin)),
                                     LinePlot.Series(name: "cos", x: xs, y: xs.map(cos))])
        var canvas = Canvas(width: 50, height: 12)
        plot.render(into: &canvas, area: canvas.bounds)
        let lines = canvas.text.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix(" 1.00┤"))
        #expect(lines[8].hasPrefix("-1.00┤"))
        #expect(lines[4].hasPrefix(" 0.00┤"))
        #expect(lines[10] == "      0.00                                    6.28")
        #expect(lines[11].hasPrefix("      ━━ sin   ━━ cos"))
        // cos starts at the top left, sin at the middle left.
        #expect(canvas[6, 0].text != " " && canvas[6, 0].style.foreground == Theme.dark.seriesColor(1))
        #expect(canvas[6, 4].text != " " && canvas[6, 4].style.foreground == Theme.dark.seriesColor(0))
        expectAligned(canvas)
        assertSnapshot(canvas, named: "plot-sin-cos")
    }

    @Test func positionalEncodingWavesInMonochrome() {
        // Two dimensions of the sinusoidal encoding, PE(pos, 2i) = sin(pos / 10000^(2i/d)), d = 16.
        let positions = (0..<64).map(Double.init)
        let series = [0, 2].map { i in
            LinePlot.Series(name: "dim \(2 * i)", x: positions, y: positions.map { sin($0 / pow(10000, Double(2 * i) / 16)) })
        }
        var canvas = Canvas(width: 40, height: 9)
        LinePlot(series: series, yRange: -1...1, decimals: 1, theme: .monochrome).render(into: &canvas, area: canvas.bounds)
        assertSnapshot(canvas, named: "plot-positional-monochrome")
    }

    /// A legend too long for the width takes the names' last words, and leaves out (with …) what
    /// still does not fit, never cutting a name.
    @Test func aLegendThatDoesNotFitShortensItsNames() {
        let series = (10..<16).map { LinePlot.Series(name: "dimension \($0)", values: [0, 1, 0]) }
        var canvas = Canvas(width: 60, height: 8)
        LinePlot(series: series, theme: .monochrome).render(into: &canvas, area: canvas.bounds)
        let legend = canvas.text.split(separator: "\n").last.map(String.init) ?? ""
        #expect(legend.contains("━━ 10") && legend.contains("━━ 15") && !legend.contains("dimension"), "\(legend)")
        var narrow = Canvas(width: 24, height: 8)
        LinePlot(series: series, theme: .monochrome).render(into: &narrow, area: narrow.bounds)
        let cut = narrow.text.split(separator: "\n").last.map(String.init) ?? ""
        #expect(cut.contains("…") && !cut.contains("dimension") && !cut.contains("━━ 1 "), "\(cut)")
    }

    @Test func lossCurveWithGapsAndTinyAreas() {
        let loss: [Double] = [4.2, 3.1, 2.5, .nan, 1.9, 1.7, 1.6, 1.55, 1.5]
        var canvas = Canvas(width: 30, height: 7)
        LinePlot(series: [LinePlot.Series(name: "loss", values: loss)], theme: .light).render(into: &canvas, area: canvas.bounds)
        assertSnapshot(canvas, named: "plot-loss-light")
        for (w, h) in [(0, 0), (3, 3), (8, 2), (10, 4)] {
            var small = Canvas(width: w, height: h)
            LinePlot(series: [LinePlot.Series(name: "x", values: [1, 2])]).render(into: &small, area: small.bounds)
        }
    }
}
