import Testing
@testable import Terminal

/// The frame around the data: boxes, the status bar, the help overlay.
@Suite struct ChromeTests {
    @Test func boxWithTitle() {
        var canvas = Canvas(width: 16, height: 3)
        Box(title: "attention").render(into: &canvas, area: canvas.bounds)
        expectText(canvas, """
        |┌─ attention ──┐|
        |│              │|
        |└──────────────┘|
        """)
        canvas = Canvas(width: 10, height: 3)
        Box(title: "a very long title", border: .rounded).render(into: &canvas, area: canvas.bounds)
        expectText(canvas, """
        |╭─ a v… ─╮|
        |│        │|
        |╰────────╯|
        """)
        #expect(Box.inner(canvas.bounds) == Rect(x: 1, y: 1, width: 8, height: 1))
    }

    @Test func statusBarSegmentsAndHints() {
        let bar = StatusBar(left: ["tiny-gpt", "layer 0", "head 1"], right: ["3/12"],
                            hints: [KeyHint("?", "help"), KeyHint("q", "quit")])
        var canvas = Canvas(width: 50, height: 1)
        bar.render(into: &canvas, area: canvas.bounds)
        expectText(canvas, "| tiny-gpt │ layer 0 │ head 1  ? help  q quit 3/12 |")
        assertSnapshot(canvas, named: "status-bar")
        // Narrower: the hints go first, from the last; then the right segments; then the left is cut.
        canvas = Canvas(width: 45, height: 1)
        bar.render(into: &canvas, area: canvas.bounds)
        expectText(canvas, "| tiny-gpt │ layer 0 │ head 1  ? help    3/12 |")
        canvas = Canvas(width: 40, height: 1)
        bar.render(into: &canvas, area: canvas.bounds)
        expectText(canvas, "| tiny-gpt │ layer 0 │ head 1       3/12 |")
        canvas = Canvas(width: 20, height: 1)
        bar.render(into: &canvas, area: canvas.bounds)
        expectText(canvas, "| tiny-gpt │ layer 0…|")
    }

    @Test func helpOverlayOverContent() {
        var canvas = Canvas(width: 44, height: 11)
        // 京 sits on columns 6–7, so the box's left edge at column 7 cuts it in half.
        for y in 0..<10 { canvas.write("abcd" + String(repeating: "東京·abc ", count: 5), x: 0, y: y, style: Style(foreground: .rgb(1, 2, 3))) }
        let before = canvas
        let help = HelpOverlay(bindings: [KeyHint("←→↑↓", "move the cursor"), KeyHint("tab", "next head"),
                                          KeyHint("[ ]", "previous/next layer"), KeyHint("q", "quit")],
                               footer: "any key closes")
        help.render(into: &canvas, area: Rect(x: 0, y: 0, width: 44, height: 10))
        StatusBar(left: ["help"], theme: .dark).render(into: &canvas, area: Rect(x: 0, y: 10, width: 44, height: 1))
        expectAligned(canvas)
        let box = help.frame(in: Rect(x: 0, y: 0, width: 44, height: 10))
        // Contents 4 + 2 + 19 columns ("←→↑↓", gap, "previous/next layer"), a border and a space each side.
        #expect(box == Rect(x: 7, y: 1, width: 29, height: 8))
        for y in box.y..<box.maxY { #expect(canvas[6, y] == Cell(" ", style: Style(foreground: .rgb(1, 2, 3)))) }
        // Outside the box (and the cells beside it, where a cut wide character became a space) nothing changed.
        for y in 0..<10 {
            for x in 0..<44 where !Rect(x: box.x - 1, y: box.y, width: box.width + 2, height: box.height).contains(x: x, y: y) {
                #expect(canvas[x, y] == before[x, y], "cell \(x),\(y) changed")
            }
        }
        assertSnapshot(canvas, named: "help-overlay")
    }

    @Test func helpOverlayTooSmallShowsWhatFits() {
        var canvas = Canvas(width: 24, height: 5)
        HelpOverlay(bindings: (1...9).map { KeyHint("\($0)", "action number \($0)") }, theme: .light)
            .render(into: &canvas, area: canvas.bounds)
        assertSnapshot(canvas, named: "help-overlay-small")
    }
}
