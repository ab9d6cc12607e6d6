import Explorer
import Foundation
import Lessons
import Terminal

/// A lesson evaluated on a sentence, as plain text: each step's prose with the values filled in,
/// each picture as the lesson screen draws it (without colour), each quiz with its answer. What `explorer lessons preview` prints
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
            case .text(let text): lines += [plain(text), ""]
            case .show(let shown): lines += show(shown) + [""]
            case .quiz(let quiz): lines += self.quiz(quiz) + [""]
            }
        }
        for problem in step.problems { lines.append("problem at line \(problem.line): \(problem.message)") }
        return lines.flatMap { $0.split(separator: "\n", omittingEmptySubsequences: false) }
            .map { Sanitizer.sanitize(String($0)) }.joined(separator: "\n")
    }

    /// Lesson text without its markup (`**bold**`, `*italic*`, `` `code` ``), line by line: what the
    /// screen shows, as plain text.
    static func plain(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            StyledText.parse(String(line), base: .plain, code: .plain).map(\.text).joined()
        }.joined(separator: "\n")
    }

    /// How wide the preview draws pictures.
    static let width = 100

    /// A picture as the lesson screen draws it, without colour (shades and numbers): the title, then
    /// the picture's lines, trailing spaces removed.
    static func show(_ shown: Shown) -> [String] {
        let canvas = LessonBlocks.show(shown, width: width, theme: .monochrome)
        return canvas.text.split(separator: "\n", omittingEmptySubsequences: false).map {
            String($0.reversed().drop(while: { $0 == " " }).reversed())
        }
    }

    static func quiz(_ quiz: EvaluatedQuiz) -> [String] {
        var lines = ["QUIZ \(quiz.id): \(plain(quiz.question))"]
        for (n, option) in quiz.options.enumerated() { lines.append("  \(n + 1). \(plain(option))") }
        lines.append("  answer: \(quiz.expected ?? "(none)")")
        if case .number(_, let tolerance, _) = quiz.kind { lines[lines.count - 1] += " (± \(tolerance))" }
        if let explanation = quiz.explanation { lines.append("  > \(plain(explanation))") }
        return lines
    }
}
