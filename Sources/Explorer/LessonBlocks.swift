import Lessons
import Terminal
import Transformer

/// Draws each kind of lesson block into its own canvas, as tall as it needs: the lesson screen and
/// `explorer lessons preview` both draw pictures with it.
public enum LessonBlocks {
    /// Wrapped prose: paragraphs separated by blank lines, list items kept apart.
    static func text(_ text: String, width: Int, theme: Theme) -> Canvas {
        draw(TextWrap.lines(text, width: width, theme: theme), width: width)
    }

    /// Each line wrapped on its own: nothing joins the next line (steps' arithmetic, a quiz's parts).
    static func separateLines(_ lines: [String], width: Int, theme: Theme) -> Canvas {
        draw(lines.flatMap { $0.isEmpty ? [[]] : TextWrap.lines($0, width: width, theme: theme) }, width: width)
    }

    static func draw(_ lines: [[StyledRun]], width: Int) -> Canvas {
        var canvas = Canvas(width: width, height: max(1, lines.count))
        for (y, runs) in lines.enumerated() {
            var x = 0
            for run in runs { x += canvas.write(run.text, x: x, y: y, style: run.style, maxWidth: width - x) }
        }
        return canvas
    }

    public static func show(_ shown: Shown, width: Int, theme: Theme) -> Canvas {
        let decimals = shown.decimals ?? 2
        var body: Canvas
        switch shown.content {
        case .heatmap(let grid):
            let height = min(grid.rows + 8, 24)
            body = Canvas(width: width, height: height)
            heatmap(grid, theme: theme).render(into: &body, area: Rect(x: 0, y: 0, width: min(width, 90), height: height))
            body = trimmed(body)
        case .comparison(let comparison):
            body = Self.comparison(comparison, width: width, theme: theme)
        case .matrix(let grid):
            let height = min(grid.rows + 3, 14)
            body = Canvas(width: width, height: height)
            MatrixView(values: Matrix(grid.values), rowLabels: grid.rowLabels, columnLabels: grid.columnLabels,
                       decimals: decimals, selectedRow: grid.highlightedRow, selectedColumn: grid.highlightedColumn,
                       theme: theme).render(into: &body, area: body.bounds)
            body = trimmed(body)
        case .vector(let vector):
            body = Canvas(width: width, height: 3)
            MatrixView(values: Matrix([vector.values]), rowLabels: [" "], columnLabels: vector.labels, decimals: decimals,
                       selectedColumn: vector.highlighted, theme: theme).render(into: &body, area: body.bounds)
            body = trimmed(body)
        case .bars(let bars):
            // At most 14 rows: a longer list shows the window around the selected bar, and says so.
            let limit = 14
            let highlighted = bars.bars.firstIndex { $0.index == bars.highlighted }
            let cut = bars.bars.count > limit
            let rows = cut ? limit - 1 : max(1, bars.bars.count)
            body = Canvas(width: width, height: cut ? limit : rows)
            let first = cut ? min(max(0, (highlighted ?? 0) - rows / 2), bars.bars.count - rows) : 0
            BarChart(bars: bars.bars.map { BarChart.Bar($0.label, $0.value) }, decimals: max(3, decimals),
                     highlighted: highlighted, offset: first, theme: theme)
                .render(into: &body, area: Rect(x: 0, y: 0, width: min(width, 72), height: rows))
            if cut {
                body.write("rows \(first + 1)–\(first + rows) of \(bars.bars.count): the other \(bars.bars.count - rows) are not shown (they follow the selection)",
                           x: 0, y: rows, style: theme.dim, maxWidth: width)
            }
        case .plot(let plot):
            body = Canvas(width: width, height: 12)
            let series = plot.series.enumerated().map { n, s in
                LinePlot.Series(name: s.name, values: s.values.map(Double.init), color: theme.seriesColor(n))
            }
            LinePlot(series: series, theme: theme).render(into: &body, area: Rect(x: 0, y: 0, width: min(width, 90), height: 12))
        case .steps(let steps):
            body = separateLines(StepsText.lines(steps, width: width), width: width, theme: theme)
        case .tokens(let tokens):
            body = text(tokenLine(tokens), width: width, theme: theme)
        case .table(let table):
            body = Self.table(table, width: width, theme: theme)
        case .unavailable(let reason):
            body = Canvas(width: width, height: 1)
            body.write("(" + reason + ")", x: 0, y: 0, style: theme.dim, maxWidth: width)
        }
        // The title wraps rather than being cut at the edge, all of it dim.
        let title = TextWrap.lines(shown.title, width: width, theme: theme)
            .map { runs in runs.map { StyledRun($0.text, style: theme.dim) } }
        var out = Canvas(width: width, height: body.height + max(1, title.count))
        out.draw(draw(title, width: width), x: 0, y: 0)
        out.draw(body, x: 0, y: max(1, title.count))
        return out
    }

    /// A grid as a heatmap: weights (no negatives) on the sequential scale, anything else diverging.
    static func heatmap(_ grid: LessonGrid, theme: Theme, symmetric: Bool = false) -> Heatmap {
        let weights = grid.values.joined().allSatisfy { $0 >= 0 || $0 == -.infinity }
        let largest = grid.values.joined().filter(\.isFinite).map { abs($0) }.max() ?? 0
        var map = Heatmap(values: Matrix(grid.values), rowLabels: grid.rowLabels, columnLabels: grid.columnLabels,
                          scale: weights && !symmetric ? theme.sequential : theme.diverging,
                          range: symmetric ? (largest > 0 ? -largest...largest : -1...1) : nil, theme: theme,
                          cursor: grid.highlightedRow.map { MatrixIndex(row: $0, column: grid.highlightedColumn ?? 0) })
        map.maxColumnLabelLines = 4
        return map
    }

    /// Two sentences' maps and their difference side by side, the sentences above, the tokens
    /// without a partner below.
    static func comparison(_ comparison: LessonComparison, width: Int, theme: Theme) -> Canvas {
        let gap = 2
        let panelWidth = max(12, (width - 2 * gap) / 3)
        let rows = max(comparison.a.rows, comparison.b.rows)
        let height = min(rows + 8, 24)
        var canvas = Canvas(width: width, height: height + 4)
        canvas.write("A: " + comparison.sentenceA, x: 0, y: 0, style: theme.text, maxWidth: width)
        canvas.write("B: " + comparison.sentenceB, x: 0, y: 1, style: theme.text, maxWidth: width)
        let panels: [(String, Heatmap?)] = [
            ("A", heatmap(comparison.a, theme: theme)), ("B", heatmap(comparison.b, theme: theme)),
            ("B − A", comparison.difference.rows > 0 && comparison.difference.columns > 0
                ? heatmap(comparison.difference, theme: theme, symmetric: true) : nil),
        ]
        var lowest = 3
        for (n, (title, map)) in panels.enumerated() {
            let x = n * (panelWidth + gap)
            canvas.write(title, x: x, y: 2, style: theme.dim.adding(.bold), maxWidth: panelWidth)
            let area = Rect(x: x, y: 3, width: min(panelWidth, width - x), height: height)
            guard var map else {
                canvas.write("no query and key line up", x: x, y: 3, style: theme.dim, maxWidth: panelWidth)
                continue
            }
            map.maxLabelWidth = 8
            map.render(into: &canvas, area: area)
            let layout = map.layout(in: area)
            lowest = max(lowest, ([layout.captionLine, layout.legendLine, layout.scrollLine].compactMap { $0 }.max() ?? layout.grid.maxY) + 1)
        }
        func list(_ names: [String]) -> String { names.isEmpty ? "none" : names.joined(separator: " ") }
        let unpaired = comparison.onlyInA.isEmpty && comparison.onlyInB.isEmpty
            ? "every token lines up" : "only in A: \(list(comparison.onlyInA)) · only in B: \(list(comparison.onlyInB))"
        canvas.write(unpaired, x: 0, y: min(lowest, canvas.height - 1), style: theme.dim, maxWidth: width)
        return trimmed(canvas)
    }

    /// Columns padded to their widest cell, numbers right-aligned, the header dim; cut at `width`.
    static func table(_ table: LessonTable, width: Int, theme: Theme) -> Canvas {
        let columns = table.headers.count
        var widths = table.headers.map { DisplayWidth.of($0) }
        for row in table.rows {
            for (n, cell) in row.prefix(columns).enumerated() { widths[n] = max(widths[n], DisplayWidth.of(cell)) }
        }
        let numeric = (0..<columns).map { n in
            table.rows.allSatisfy { row in
                n >= row.count || row[n].isEmpty || row[n].allSatisfy { $0.isNumber || ",.%<–- ".contains($0) }
            }
        }
        var canvas = Canvas(width: width, height: table.rows.count + 1)
        for (y, row) in ([table.headers] + table.rows).enumerated() {
            var x = 0
            for (n, cell) in row.prefix(columns).enumerated() where x < width {
                let pad = widths[n] - DisplayWidth.of(cell)
                let start = x + (numeric[n] && y > 0 ? pad : 0)
                canvas.write(cell, x: start, y: y, style: y == 0 ? theme.dim : .plain, maxWidth: max(0, width - start))
                x += widths[n] + 2
            }
        }
        return canvas
    }

    /// `0:the 1:animal …` with the query in bold and the key underlined.
    static func tokenLine(_ tokens: LessonTokens) -> String {
        func list(_ entries: [LessonTokens.Entry], marks: Bool) -> String {
            entries.map { entry in
                let text = "\(entry.position):\(entry.display)"
                if marks && entry.position == tokens.query { return "**\(text)**" }
                if marks && entry.position == tokens.key { return "`\(text)`" }
                return text
            }.joined(separator: "  ")
        }
        var out = list(tokens.tokens, marks: true)
        if let decoder = tokens.decoderTokens { out += "\n\ndecoder: " + list(decoder, marks: false) }
        return out
    }

    static func quiz(_ quiz: EvaluatedQuiz, number: Int, lesson: LessonState, progress: Progress?, width: Int,
                     theme: Theme) -> Canvas {
        let focused = lesson.focusedQuiz == number
        var lines = ["**Quiz \(number + 1).** " + quiz.question]
        switch quiz.kind {
        case .choice(let options, _):
            for (n, option) in options.enumerated() {
                let marker = focused && lesson.choiceCursor == n ? "›" : " "
                lines.append("\(marker) \(Character(UnicodeScalar(UInt8(97 + n % 26)))). \(option)")
            }
            lines.append(focused ? "↑↓ choose, Enter answers, Esc leaves the quiz" : "Tab to answer")
        case .number, .token:
            if let editor = lesson.answerEditor, focused {
                lines.append("your answer: \(editor.text)▏")
            } else if let given = lesson.given(quiz, progress: progress) {
                lines.append("your answer: \(given)" + (focused ? "  (type again to change it)" : ""))
            } else {
                var what = "type a number"
                if case .token = quiz.kind { what = "type a token or its position" }
                lines.append(focused ? "your answer: (\(what), Enter checks)" : "Tab to answer")
            }
        case .unanswerable(let reason):
            lines.append("(" + reason + ")")
        }
        if let feedback = lesson.feedback(quiz, progress: progress) {
            lines.append((feedback.correct ? "✓ " : "✗ ") + feedback.message)
            if feedback.correct, let explanation = quiz.explanation { lines.append(explanation) }
        }
        var canvas = separateLines(lines, width: width - 2, theme: theme)
        if focused {
            var framed = Canvas(width: width, height: canvas.height)
            framed.draw(canvas, x: 2, y: 0)
            for y in 0..<canvas.height { framed.write("▌", x: 0, y: y, style: theme.accent) }
            canvas = framed
        }
        return canvas
    }

    /// The canvas without its blank bottom lines.
    static func trimmed(_ canvas: Canvas) -> Canvas {
        var last = canvas.height - 1
        while last > 0, (0..<canvas.width).allSatisfy({ canvas[$0, last].text == " " && canvas[$0, last].style == .plain }) {
            last -= 1
        }
        var out = Canvas(width: canvas.width, height: last + 1)
        out.draw(canvas, x: 0, y: 0)
        return out
    }
}
