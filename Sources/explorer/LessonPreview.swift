import Foundation
import Lessons
import Terminal

/// A lesson evaluated on a sentence, as plain text: each step's prose with the values filled in,
/// each picture as rows of numbers, each quiz with its answer. What `explorer lessons preview` prints
/// for a teacher reading a lesson through, without the terminal UI.
enum LessonPreview {
    static func text(_ step: EvaluatedStep) -> String {
        let selection = step.selection
        var parts = "layer \(selection.layer), head \(selection.head), query \(selection.query), key \(selection.key)"
        if step.controls.contains(.temperature) { parts += ", temperature \(selection.temperatureText)" }
        if step.controls.contains(.topK) { parts += ", k \(selection.k)" }
        var lines = ["# \(step.title)", "(model: \(step.model); mask: \(step.mask); selection: \(parts))", ""]
        for block in step.blocks {
            switch block {
            case .text(let text): lines += [text, ""]
            case .show(let shown): lines += show(shown) + [""]
            case .quiz(let quiz): lines += self.quiz(quiz) + [""]
            }
        }
        for problem in step.problems { lines.append("problem at line \(problem.line): \(problem.message)") }
        return lines.flatMap { $0.split(separator: "\n", omittingEmptySubsequences: false) }
            .map { Sanitizer.sanitize(String($0)) }.joined(separator: "\n")
    }

    static func number(_ value: Float, _ decimals: Int?) -> String { NumberText.format(value, decimals: decimals ?? 2) }

    static func show(_ shown: Shown) -> [String] {
        var lines = ["[\(shown.title)]"]
        let d = shown.decimals
        switch shown.content {
        case .vector(let vector):
            lines.append(zip(vector.labels, vector.values).map { "\($0)=\(number($1, d))" }.joined(separator: "  "))
        case .bars(let bars):
            let top = max(1e-9, bars.bars.map(\.value).max() ?? 1)
            for bar in bars.bars {
                let length = max(0, Int((Double(bar.value) / Double(top) * 30).rounded()))
                lines.append("  " + bar.label.padded(to: 10) + number(bar.value, d).padded(to: 9) + String(repeating: "█", count: length))
            }
        case .heatmap(let grid), .matrix(let grid):
            lines.append("".padded(to: 10) + grid.columnLabels.map { $0.padded(to: 8) }.joined())
            for (label, row) in zip(grid.rowLabels, grid.values) {
                lines.append(label.padded(to: 10) + row.map { number($0, d).padded(to: 8) }.joined())
            }
        case .plot(let plot):
            for series in plot.series {
                lines.append("  \(series.name): " + series.values.map { number($0, d) }.joined(separator: " "))
            }
        case .table(let table):
            var widths = table.headers.map(\.count)
            for row in table.rows { for (n, cell) in row.enumerated() where n < widths.count { widths[n] = max(widths[n], cell.count) } }
            for row in [table.headers] + table.rows {
                lines.append("  " + row.enumerated().map { $0.element.padded(to: widths[$0.offset] + 2) }.joined())
            }
        case .tokens(let tokens):
            lines.append(tokens.tokens.map { "\($0.position):\($0.display)#\($0.id)" }.joined(separator: "  "))
            if let decoder = tokens.decoderTokens {
                lines.append("decoder: " + decoder.map { "\($0.position):\($0.display)#\($0.id)" }.joined(separator: "  "))
            }
        case .steps(let steps):
            lines.append("\(steps.queryToken) → \(steps.keyToken): score \(number(steps.score, 3)), scaled \(number(steps.scaled, 3)), weight \(number(steps.weight, 3))")
        case .unavailable(let why):
            lines.append(why)
        }
        return lines
    }

    static func quiz(_ quiz: EvaluatedQuiz) -> [String] {
        var lines = ["QUIZ \(quiz.id): \(quiz.question)"]
        for (n, option) in quiz.options.enumerated() { lines.append("  \(n + 1). \(option)") }
        lines.append("  answer: \(quiz.expected ?? "(none)")")
        if case .number(_, let tolerance, _) = quiz.kind { lines[lines.count - 1] += " (± \(tolerance))" }
        if let explanation = quiz.explanation { lines.append("  > \(explanation)") }
        return lines
    }
}
