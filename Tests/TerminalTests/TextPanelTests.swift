import Testing
@testable import Terminal

@Suite struct TextPanelTests {
    func plain(_ lines: [[StyledRun]]) -> [String] { lines.map { $0.map(\.text).joined() } }

    @Test func wrapsByWords() {
        let lines = TextWrap.lines("The cat sat on the mat because it was tired.", width: 12, theme: .dark)
        #expect(plain(lines) == ["The cat sat", "on the mat", "because it", "was tired."])
    }

    @Test func cutsWordsLongerThanALine() {
        let lines = TextWrap.lines("a supercalifragilistic word", width: 8, theme: .dark)
        #expect(plain(lines) == ["a", "supercal", "ifragili", "stic", "word"])
    }

    @Test func wrapsCJKBetweenCharactersAndKeepsClosingPunctuation() {
        let lines = TextWrap.lines("東京は日本の首都です。とても大きい。", width: 12, theme: .dark)
        // 12 columns hold 6 wide characters; 。 may not start a line, so it stays with す.
        #expect(plain(lines) == ["東京は日本の", "首都です。と", "ても大きい。"])
        for line in plain(lines) { #expect(DisplayWidth.of(line) <= 12) }
        // Ideographs may break between any two of them, as Japanese and Chinese text does.
        let mixed = TextWrap.lines("token 東京 and 🙂 emoji", width: 9, theme: .dark)
        #expect(plain(mixed) == ["token 東", "京 and 🙂", "emoji"])
    }

    @Test func emphasisAndCode() {
        let theme = Theme.dark
        let runs = StyledText.parse("a **bold** and `x**y` then **open", base: theme.text, code: theme.code)
        #expect(runs == [
            StyledRun("a ", style: theme.text),
            StyledRun("bold", style: theme.text.adding(.bold)),
            StyledRun(" and ", style: theme.text),
            StyledRun("x**y", style: theme.code),
            StyledRun(" then **open", style: theme.text),
        ])
        // Single stars: italic with a partner, literal in arithmetic or alone.
        #expect(StyledText.parse("keys *after* the query, 2 * 3 = 6, a *lone star", base: theme.text, code: theme.code) == [
            StyledRun("keys ", style: theme.text),
            StyledRun("after", style: theme.text.adding(.italic)),
            StyledRun(" the query, 2 * 3 = 6, a *lone star", style: theme.text),
        ])
        #expect(StyledText.parse("**bold *both***", base: .plain, code: .plain) == [
            StyledRun("bold ", style: Style.plain.adding(.bold)),
            StyledRun("both", style: Style.plain.adding(.bold).adding(.italic)),
        ])
        // Control characters from a lesson file cannot reach the terminal.
        #expect(StyledText.parse("x\u{1B}[2J\ty", base: .plain, code: .plain) == [StyledRun("x\\e[2J y", style: .plain)])
    }

    @Test func paragraphsListsAndHeadings() {
        let text = """
        # Attention
        Each query
        asks every key.

        - rows are queries
        - columns are keys, and this line wraps
        1. numbered
        #not a heading
        """
        #expect(plain(TextWrap.lines(text, width: 20, theme: .dark)) == [
            "Attention", "Each query asks", "every key.", "", "- rows are queries",
            "- columns are keys,", "  and this line", "  wraps", "1. numbered #not a", "   heading",
        ])
    }

    @Test func borderedPanelScrolls() {
        let text = "# Softmax\nEach row of **scores** becomes weights that sum to 1: `exp(s) / sum(exp(s))`.\n\n注意力の重みは合計が１になります。"
        var panel = TextPanel(text: text, title: "Lesson 2 · 東京", bordered: true)
        var canvas = Canvas(width: 24, height: 8)
        panel.render(into: &canvas, area: canvas.bounds)
        expectAligned(canvas)
        assertSnapshot(canvas, named: "text-panel-top")
        let total = panel.lines(in: canvas.bounds).count
        #expect(total == 8)
        panel.offset = 100
        #expect(panel.clampedOffset(in: canvas.bounds) == total - 6)
        canvas = Canvas(width: 24, height: 8)
        panel.render(into: &canvas, area: canvas.bounds)
        expectAligned(canvas)
        assertSnapshot(canvas, named: "text-panel-bottom")
    }

    @Test func monochromeCodeIsUnderlined() {
        var canvas = Canvas(width: 20, height: 3)
        TextPanel(text: "call `softmax` **now**", title: "Note", theme: .monochrome).render(into: &canvas, area: canvas.bounds)
        assertSnapshot(canvas, named: "text-panel-monochrome")
    }
}
