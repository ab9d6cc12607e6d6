import Testing
@testable import Terminal

@Suite struct BarChartTests {
    @Test func eighthsOfAColumn() {
        #expect(BarChart.bar(1, maximum: 1, width: 4) == "████")
        #expect(BarChart.bar(0.5, maximum: 1, width: 4) == "██")
        #expect(BarChart.bar(1.0 / 32, maximum: 1, width: 4) == "▏")
        for eighths in 1...7 {
            // 2 full columns and `eighths` eighths of the third, out of 4 columns = 32 eighths.
            let value = Float(16 + eighths) / 32
            #expect(BarChart.bar(value, maximum: 1, width: 4) == "██" + BarChart.eighths[eighths - 1])
        }
        #expect(BarChart.eighths == ["▏", "▎", "▍", "▌", "▋", "▊", "▉"])
        #expect(BarChart.bar(0.01, maximum: 1, width: 4) == "")        // under half an eighth
        #expect(BarChart.bar(3, maximum: 1, width: 4) == "████")       // past the maximum: full
        #expect(BarChart.bar(-0.5, maximum: 1, width: 4) == "")
        #expect(BarChart.bar(-.infinity, maximum: 1, width: 4) == "")
        #expect(BarChart.bar(.nan, maximum: 1, width: 4) == "")
    }

    @Test func nextTokenProbabilities() {
        let chart = BarChart(bars: [.init("mat", 0.5), .init("floor", 0.25), .init("sofa", 0.125),
                                    .init("東京", 0.0625), .init("🙂", 0.0001)],
                             maximum: 0.5, highlighted: 1)
        var canvas = Canvas(width: 36, height: 5)
        chart.render(into: &canvas, area: canvas.bounds)
        // 36 columns: marker 2, labels 5, space, bar 21, space, values 6. 0.25 of 0.5 is 84 of 168 eighths.
        expectText(canvas, """
        |    mat █████████████████████ 0.5000|
        |▶ floor ██████████▌           0.2500|
        |   sofa █████▎                0.1250|
        |   東京 ██▋                   0.0625|
        |     🙂                       0.0001|
        """)
        expectAligned(canvas)
        #expect(canvas[8, 1].style.foreground == Theme.dark.seriesColor(1))
        #expect(canvas[8, 0].style.foreground == Theme.dark.seriesColor(0))
        assertSnapshot(canvas, named: "bars-probabilities")
    }

    @Test func attentionRowWithMaskedKeysAndScrolling() {
        let row: [Float] = [0.1, 0.2, 0.7, -.infinity, -.infinity]
        let chart = BarChart(bars: zip(Fixtures.tokens, row).map { BarChart.Bar($0, $1) }, maximum: 1, decimals: 2,
                             highlighted: 4, theme: .monochrome)
        var canvas = Canvas(width: 30, height: 3)
        chart.render(into: &canvas, area: canvas.bounds)
        #expect(chart.firstBar(in: canvas.bounds) == 2)
        expectText(canvas, """
        |  didn't ███████████▎     0.70|
        |   cross                    −∞|
        |▶     it                    −∞|
        """)
        assertSnapshot(canvas, named: "bars-monochrome-scrolled")
    }
}
