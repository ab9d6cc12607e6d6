import Testing
@testable import Terminal

@Suite struct HeatmapTests {
    let pattern = Fixtures.causalPattern(5)
    let tokens = Fixtures.tokens

    func render(_ heatmap: Heatmap, width: Int, height: Int) -> Canvas {
        var canvas = Canvas(width: width, height: height)
        heatmap.render(into: &canvas, area: canvas.bounds)
        return canvas
    }

    @Test func causalMaskWithCursor() {
        let heatmap = Heatmap(values: pattern, rowLabels: tokens, columnLabels: tokens, range: 0...1,
                              cursor: MatrixIndex(row: 4, column: 1))
        let canvas = render(heatmap, width: 44, height: 10)
        let layout = heatmap.layout(in: canvas.bounds)
        #expect(layout.cellWidth == 5 && !layout.compact && layout.columnLabels == .staggered)
        for row in 0..<5 {
            for column in 0..<5 where MatrixIndex(row: row, column: column) != heatmap.cursor {
                let x = layout.x(ofColumn: column), y = layout.y(ofRow: row)
                let cells = (x..<(x + layout.cellWidth)).map { canvas[$0, y] }
                if column > row {
                    // Masked: a dim dot on the terminal's background, not any colour of the scale.
                    #expect(cells.map(\.text).joined() == "  ·  ")
                    #expect(cells.allSatisfy { $0.style == Theme.dark.dim })
                } else {
                    let expected = ColorScale.viridis.color(at: Double(pattern[row, column]))
                    #expect(cells.allSatisfy { $0.style.background == expected })
                }
            }
        }
        let caption = canvas.text.split(separator: "\n")[layout.captionLine!]
        #expect(caption.hasPrefix("it → animal  0.1333"))
        assertSnapshot(canvas, named: "heatmap-causal-dark")
    }

    /// Name → scale, theme, and whether it shows signed scores (else weights).
    static let palettes: [String: (ColorScale, Theme, Bool)] = [
        "viridis-dark": (.viridis, .dark, false),
        "cividis-dark": (.cividis, .dark, false),
        "viridis-light": (.viridis, .light, false),
        "monochrome-weights": (.viridis, .monochrome, false),
        "blue-red-scores": (.blueRed, .dark, true),
        "purple-orange-scores-light": (.purpleOrange, .light, true),
        "monochrome-scores": (.blueRed, .monochrome, true),
    ]

    @Test(arguments: palettes.keys.sorted())
    func everyPalette(_ name: String) {
        let (scale, theme, scores) = Self.palettes[name]!
        let values = scores ? Fixtures.causalScores(5) : pattern
        let heatmap = Heatmap(values: values, rowLabels: tokens, columnLabels: tokens, scale: scale,
                              range: scores ? nil : 0...1, theme: theme, cursor: MatrixIndex(row: 3, column: 2))
        let canvas = render(heatmap, width: 44, height: 10)
        expectAligned(canvas)
        assertSnapshot(canvas, named: "heatmap-palette-\(name)")
    }

    @Test func monochromeShadesAndNumbers() {
        let ramp = Matrix([[0, 0.25, 0.5, 0.75, 1, -.infinity]])
        var narrow = Canvas(width: 6, height: 1)
        Heatmap(values: ramp, range: 0...1, theme: .monochrome, mode: .cells(width: 1))
            .render(into: &narrow, area: narrow.bounds)
        expectText(narrow, "| ░▒▓█·|")
        var wide = Canvas(width: 30, height: 1)
        Heatmap(values: ramp, range: 0...1, theme: .monochrome, mode: .cells(width: 5))
            .render(into: &wide, area: wide.bounds)
        // One format for the whole row: two decimals, as 1.00 needs, for every cell (not .000 beside 1.00).
        expectText(wide, "| 0.00░0.25▒0.50▓0.75█1.00  ·  |")
    }

    /// In the overview (one-column cells) a column label shows whole or not at all: cut labels side by
    /// side read across as one nonsense word.
    @Test func overviewLabelsShowWholeOrNotAtAll() {
        let labels = ["the", "animal", "it", "was", "because"]
        var heatmap = Heatmap(values: Fixtures.causalPattern(labels.count), rowLabels: labels, columnLabels: labels,
                              range: 0...1, mode: .compact)
        heatmap.maxColumnLabelLines = 3
        let canvas = render(heatmap, width: 30, height: 12)
        let layout = heatmap.layout(in: canvas.bounds)
        let column = { (index: Int) -> String in
            String((0..<layout.columnLabelLines).map { canvas[layout.grid.x + index, layout.grid.y - layout.columnLabelLines + $0].text.first ?? " " })
        }
        #expect(layout.cellWidth == 1 && layout.columnLabelLines == 3)
        #expect(column(0) == "the" && column(2) == "it " && column(3) == "was", "short labels show whole")
        #expect(column(1) == "   " && column(4) == "   ", "animal and because would be cut: left out")
    }

    @Test func compactHalfBlocksFor40Tokens() {
        let n = 40
        let labels = (0..<n).map { "t\($0)" }
        let heatmap = Heatmap(values: Fixtures.causalPattern(n), rowLabels: labels, columnLabels: labels,
                              range: 0...1, cursor: MatrixIndex(row: 21, column: 10))
        let canvas = render(heatmap, width: 60, height: 30)
        let layout = heatmap.layout(in: canvas.bounds)
        #expect(layout.compact && layout.cellWidth == 1)
        #expect(layout.rows == 0..<40 && layout.columns == 0..<40 && layout.grid.height == 20)
        #expect(layout.scrollLine == nil)
        let scale = ColorScale.viridis
        func color(_ row: Int, _ column: Int) -> Color { scale.color(at: Double(Fixtures.causalPattern(n)[row, column])) }
        // Rows 2 and 3, key 1: both attend, the upper half is row 2's colour, the lower row 3's.
        let both = canvas[layout.x(ofColumn: 1), layout.y(ofRow: 2)]
        #expect(both.text == "▀" && both.style == Style(foreground: color(2, 1), background: color(3, 1)))
        // Rows 2 and 3, key 3: row 2 cannot see key 3 (masked), row 3 can.
        let lower = canvas[layout.x(ofColumn: 3), layout.y(ofRow: 2)]
        #expect(lower.text == "▄" && lower.style == Style(foreground: color(3, 3)))
        // Rows 2 and 3, key 30: both masked.
        #expect(canvas[layout.x(ofColumn: 30), layout.y(ofRow: 2)].text == "·")
        // The cursor (row 21, the lower half of its line) is the cursor colour.
        let cursor = canvas[layout.x(ofColumn: 10), layout.y(ofRow: 21)]
        #expect(cursor.text == "▀" && cursor.style.background == Theme.dark.cursorColor)
        assertSnapshot(canvas, named: "heatmap-compact-40")
    }

    @Test func scrolls80TokensToKeepTheCursorVisible() {
        let n = 80
        let labels = (0..<n).map { "w\($0)" }
        var heatmap = Heatmap(values: Fixtures.causalPattern(n), rowLabels: labels, columnLabels: labels,
                              range: 0...1, cursor: MatrixIndex(row: 70, column: 65))
        let canvas = render(heatmap, width: 50, height: 20)
        let layout = heatmap.layout(in: canvas.bounds)
        #expect(layout.rows.contains(70) && layout.columns.contains(65))
        #expect(layout.rows.count < n && layout.columns.count < n)
        let lines = canvas.text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[layout.scrollLine!].hasPrefix("↑↓ rows \(layout.rows.lowerBound + 1)–\(layout.rows.upperBound) of 80 · cols \(layout.columns.lowerBound + 1)–\(layout.columns.upperBound) of 80 ←→"))
        // Row 70 is the upper half of its line: the cursor colour is the foreground of `▀`.
        let cursor = canvas[layout.x(ofColumn: 65), layout.y(ofRow: 70)]
        #expect(cursor.text == "▀" && cursor.style.foreground == Theme.dark.cursorColor)
        assertSnapshot(canvas, named: "heatmap-scrolled-80")

        // Next frame: the cursor moves within the view, the view stays.
        heatmap.origin = layout.origin
        heatmap.cursor = MatrixIndex(row: layout.rows.lowerBound + 2, column: layout.columns.lowerBound + 1)
        #expect(heatmap.layout(in: canvas.bounds).origin == layout.origin)
        // It moves out of view at the top left: the view follows it there.
        heatmap.cursor = MatrixIndex(row: 3, column: 0)
        #expect(heatmap.layout(in: canvas.bounds).origin == MatrixIndex(row: 2, column: 0))
    }

    @Test func scrolledMonochromeKeepsTheCursorVisible() {
        let n = 80
        let labels = (0..<n).map { "w\($0)" }
        let heatmap = Heatmap(values: Fixtures.causalPattern(n), rowLabels: labels, columnLabels: labels,
                              range: 0...1, theme: .monochrome, cursor: MatrixIndex(row: 70, column: 65))
        let canvas = render(heatmap, width: 50, height: 20)
        let layout = heatmap.layout(in: canvas.bounds)
        #expect(!layout.compact)
        let cursor = canvas[layout.x(ofColumn: 65), layout.y(ofRow: 70)]
        #expect(cursor.text == "◆" && cursor.style == Theme.monochrome.cursor)
        assertSnapshot(canvas, named: "heatmap-scrolled-80-monochrome")
    }

    @Test func nonSquareCrossAttention() {
        for (name, theme) in [("dark", Theme.dark), ("monochrome", Theme.monochrome)] {
            let heatmap = Heatmap(values: Fixtures.cross, rowLabels: Fixtures.crossQueries, columnLabels: Fixtures.crossKeys,
                                  range: 0...1, theme: theme, cursor: MatrixIndex(row: 1, column: 3))
            let canvas = render(heatmap, width: 48, height: 8)
            let layout = heatmap.layout(in: canvas.bounds)
            #expect(layout.rows == 0..<3 && layout.columns == 0..<7)
            #expect(canvas.text.contains("chat → cat  0.7000"))
            assertSnapshot(canvas, named: "heatmap-cross-3x7-\(name)")
        }
    }

    @Test func wideAndCombiningLabelsKeepColumnsAligned() {
        let labels = ["東京", "🙂", "e\u{301}te\u{301}", "tokyo", "x"]
        for (name, mode, width) in [("cells-2", Heatmap.Mode.cells(width: 2), 30), ("automatic", .automatic, 40)] {
            let heatmap = Heatmap(values: pattern, rowLabels: labels, columnLabels: labels, range: 0...1,
                                  cursor: MatrixIndex(row: 2, column: 0), mode: mode)
            let canvas = render(heatmap, width: width, height: 12)
            expectAligned(canvas)
            // Every row's cells start at the same columns whatever its label.
            let layout = heatmap.layout(in: canvas.bounds)
            for row in 0..<5 {
                let y = layout.y(ofRow: row)
                #expect(canvas[layout.x(ofColumn: 0) - 1, y].style.background == .terminalDefault)
                #expect(canvas[layout.x(ofColumn: 0), y].style.background != .terminalDefault)
            }
            assertSnapshot(canvas, named: "heatmap-wide-labels-\(name)")
        }
    }

    @Test func mouseHitTesting() {
        let heatmap = Heatmap(values: pattern, rowLabels: tokens, columnLabels: tokens, range: 0...1)
        let layout = heatmap.layout(in: Rect(x: 0, y: 0, width: 44, height: 10))
        #expect(layout.index(atX: layout.x(ofColumn: 3) + 2, y: layout.y(ofRow: 4)) == MatrixIndex(row: 4, column: 3))
        #expect(layout.index(atX: 0, y: layout.y(ofRow: 4)) == nil)
        #expect(layout.index(atX: layout.grid.maxX, y: layout.grid.y) == nil)
    }

    @Test func tinyAreasAndOddValuesDoNotCrash() {
        let odd = Matrix([[Float.nan, .infinity], [-.infinity, 0]])
        for (w, h) in [(0, 0), (1, 1), (3, 2), (6, 3), (10, 1)] {
            for theme in [Theme.dark, .monochrome] {
                var canvas = Canvas(width: w, height: h)
                Heatmap(values: odd, rowLabels: ["a"], theme: theme, cursor: MatrixIndex(row: 9, column: 9))
                    .render(into: &canvas, area: canvas.bounds)
                Heatmap(values: Matrix(rows: 0, columns: 0, values: []), cursor: .zero).render(into: &canvas, area: canvas.bounds)
            }
        }
        var canvas = Canvas(width: 30, height: 6)
        Heatmap(values: odd, scale: .blueRed, theme: .dark, cursor: MatrixIndex(row: 0, column: 0))
            .render(into: &canvas, area: canvas.bounds)
        #expect(canvas.text.contains("0 → 0  nan"))
    }
}
