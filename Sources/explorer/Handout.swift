import Explorer
import Figures
import Foundation
import Lessons
import Terminal

/// A lesson evaluated on a sentence as a Markdown handout: each step's prose with its live numbers,
/// each picture as an SVG file (drawn as the lesson screen draws it, on a light page), the quiz
/// questions in place and their answers in a key at the end. Pure: the files are returned, not written.
struct Handout {
    /// The Markdown, and each figure's path relative to the Markdown file with its SVG text.
    var markdown: String
    var figures: [(path: String, svg: String)]

    /// `figureFolder` is the figures' folder's name as the Markdown links to it (`FILE-figures`).
    init(lesson: Lesson, sentence: String, steps: [EvaluatedStep], figureFolder: String) {
        var lines = ["# \(lesson.title)", "", "*Model: \(lesson.model) · sentence: \"\(sentence)\"*", ""]
        var figures: [(String, String)] = []
        var answers: [String] = []
        var questionNumber = 0
        for step in steps {
            let n = step.index + 1
            // Lessons often number their steps' titles themselves.
            let numbered = step.title.lowercased().hasPrefix("step ")
            lines += [numbered ? "## \(step.title)" : "## Step \(n): \(step.title)", ""]
            var figureNumber = 0
            for block in step.blocks {
                switch block {
                case .text(let text):
                    lines += [text, ""]
                case .show(let shown):
                    figureNumber += 1
                    let name = "step-\(n)-\(figureNumber)-\(Self.slug(shown.title)).svg"
                    let canvas = LessonBlocks.show(shown, width: LessonPreview.width, theme: .light)
                    figures.append((figureFolder + "/" + name,
                                    ScreenSVG.render(canvas, lightBackground: true, title: "\(lesson.title), step \(n): \(shown.title)")))
                    lines += ["![\(Self.escapeAlt(shown.title))](\(figureFolder)/\(name))", ""]
                case .quiz(let quiz):
                    questionNumber += 1
                    lines += ["**Question \(questionNumber).** \(quiz.question)", ""]
                    lines += quiz.options.enumerated().map { "\($0.offset + 1). \($0.element)" }
                    if !quiz.options.isEmpty { lines.append("") }
                    var answer = "\(questionNumber). (step \(n)) \(quiz.expected ?? "no answer on this sentence")"
                    if case .number(_, let tolerance, _) = quiz.kind { answer += " (± \(tolerance))" }
                    if let explanation = quiz.explanation { answer += " — \(explanation)" }
                    answers.append(answer)
                }
            }
            for problem in step.problems { lines += ["> \(problem.learnerMessage)", ""] }
        }
        if !answers.isEmpty {
            lines += ["## Answer key", ""] + answers
        }
        markdown = lines.map { Sanitizer.sanitize($0, keepingLineBreaks: true) }.joined(separator: "\n") + "\n"
        self.figures = figures
    }

    /// A file-name part from a title: lower-case letters and digits, words joined by `-`, at most 40.
    static func slug(_ title: String) -> String {
        var out = ""
        for scalar in title.lowercased().unicodeScalars {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) { out.unicodeScalars.append(scalar) }
            else if !out.isEmpty, out.last != "-" { out.append("-") }
        }
        while out.last == "-" { out.removeLast() }
        return out.isEmpty ? "figure" : String(out.prefix(40))
    }

    static func escapeAlt(_ text: String) -> String {
        text.replacingOccurrences(of: "[", with: "(").replacingOccurrences(of: "]", with: ")")
    }
}
