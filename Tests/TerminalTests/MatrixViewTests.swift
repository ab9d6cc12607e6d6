import Testing
@testable import Terminal

@Suite struct MatrixViewTests {
    /// Queries [5, 4]: the kind of matrix a lesson shows beside its heatmap.
    let queries = Matrix([
        [0.125, -1.5, 2.25, 0],
        [-0.0625, 3.5, -.infinity, 1],
        [10.5, -2, 0.5, -0.25],
        [1, 2, 3, 4],
        [-1, -2, -3, -4],
    ])

    @Test func selectionHighlightsRowColumnAndTheirCrossing() {
        let view = MatrixView(values: queries, rowLabels: Fixtures.tokens, columnLabels: ["d0", "d1", "d2", "d3"],
                              decimals: 2, selectedRow: 1, selectedColumn: 2)
        var canvas = Canvas(width: 34, height: 6)
        view.render(into: &canvas, area: canvas.bounds)
        expectText(canvas, """
        |          d0    d1    d2    d3    |
        |   The  0.13 -1.50  2.25  0.00    |
        |animal -0.06  3.50    −∞  1.00    |
        |didn't 10.50 -2.00  0.50 -0.25    |
        | cross  1.00  2.00  3.00  4.00    |
        |    it -1.00 -2.00 -3.00 -4.00    |
        """)
        let layout = view.layout(in: canvas.bounds)
        #expect(layout.labelWidth == 6 && layout.columnWidth == 5)   // "10.50" and "-4.00" are 5 wide
        let dark = Theme.dark
        #expect(canvas[0, 2].style == dark.highlight.adding(.bold))        // the selected row's header
        #expect(canvas[10, 2].style == dark.highlight)                     // a cell of the selected row
        #expect(canvas[20, 1].style == dark.highlight)                     // a cell of the selected column
        #expect(canvas[20, 2].style == dark.cursor)                        // their crossing
        #expect(canvas[22, 2].text == "−")
        #expect(canvas[10, 3].style == dark.text)
        assertSnapshot(canvas, named: "matrix-selection")
    }

    @Test func scrollsToKeepTheSelectionVisible() {
        let big = Matrix(rows: 30, columns: 64, values: (0..<(30 * 64)).map { Float($0 % 97) / 8 - 6 })
        var view = MatrixView(values: big, decimals: 3, selectedRow: 25, selectedColumn: 50)
        let area = Rect(x: 0, y: 0, width: 44, height: 8)
        var canvas = Canvas(width: 44, height: 8)
        view.render(into: &canvas, area: area)
        let layout = view.layout(in: area)
        #expect(layout.rows.contains(25) && layout.columns.contains(50))
        // 8 lines: the header, 6 rows, the scroll line; columns: "-6.000" is 6 wide, plus a space, after a 2-wide gutter.
        #expect(layout.rows == 20..<26 && layout.columns == 45..<51)
        #expect(canvas.text.split(separator: "\n").last == "↑↓ rows 21–26 of 30 · cols 46–51 of 64 ←→   ")
        assertSnapshot(canvas, named: "matrix-scrolled")

        // Moving the selection inside the view keeps it; moving past the edge moves it by as little as needed.
        view.origin = layout.origin
        view.selectedRow = 21
        #expect(view.layout(in: area).origin == layout.origin)
        view.selectedColumn = 52
        #expect(view.layout(in: area).origin == MatrixIndex(row: 20, column: 47))
        view.selectedRow = 3
        #expect(view.layout(in: area).origin == MatrixIndex(row: 3, column: 47))
    }

    @Test func monochromeSelection() {
        let view = MatrixView(values: queries, decimals: 1, selectedRow: 3, selectedColumn: 0, theme: .monochrome)
        var canvas = Canvas(width: 24, height: 6)
        view.render(into: &canvas, area: canvas.bounds)
        assertSnapshot(canvas, named: "matrix-monochrome")
    }
}
