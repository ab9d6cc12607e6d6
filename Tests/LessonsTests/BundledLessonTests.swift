import Foundation
import Testing
@testable import Lessons
import Transformer

/// Every lesson in `Lessons/` is checked against a run of its model, and every step evaluated as a
/// learner would see it, so no lesson names a hook, parameter or token that does not exist.
@Suite struct BundledLessons {
    static let library = LessonLibrary.load(directory: Repository.lessons)

    @Test func thereAreLessonsAndNoMistakes() throws {
        #expect(!Self.library.lessons.isEmpty)
        #expect(Self.library.lessons.count == Self.library.files.count)
        #expect(Self.library.diagnostics.isEmpty, "\(Self.library.diagnostics)")
        let mistakes = Self.library.check(catalog: Repository.catalog)
        #expect(mistakes.isEmpty, "\(mistakes.map(\.description).joined(separator: "\n"))")
    }

    @Test func theReadmeIsNotALesson() {
        #expect(!Self.library.files.contains { $0.hasSuffix("README.md") })
    }

    @Test func everyStepEvaluatesOnItsModel() throws {
        for lesson in Self.library.lessons {
            let lessonContext = try LessonContext(loaded: try Repository.catalog.load(lesson.model), text: lesson.input, target: lesson.target)
            var selection: Selection?
            for index in lesson.steps.indices {
                // The run the UI makes for the step: its @model, its @mask.
                let context = try LessonRuntime.context(for: lesson.steps[index], from: lessonContext) { try Repository.catalog.load($0) }
                let (start, selectProblems) = LessonRuntime.startingSelection(for: lesson.steps[index], in: context, current: selection)
                selection = start
                #expect(selectProblems.isEmpty, "\(lesson.id) step \(index + 1): \(selectProblems)")
                let step = LessonRuntime.evaluate(lesson, step: index, in: context, selection: start)
                #expect(step.problems.isEmpty, "\(lesson.id) step \(index + 1): \(step.problems)")
                #expect(!step.blocks.isEmpty)
                for block in step.blocks {
                    switch block {
                    case .text(let text):
                        #expect(!text.contains("{{") && !text.contains("}}"), "\(lesson.id) step \(index + 1): \(text)")
                    case .show(let shown):
                        if case .unavailable(let why) = shown.content { Issue.record("\(lesson.id) line \(shown.line): \(why)") }
                    case .quiz(let quiz):
                        try checkQuiz(quiz, lesson: lesson, step: lesson.steps[index], context: context, selection: start)
                    }
                }
            }
        }
    }

    /// A number quiz's answer is the live model's value (its own expected answer is right, a far one
    /// wrong); a choice quiz has a right option.
    func checkQuiz(_ quiz: EvaluatedQuiz, lesson: Lesson, step: LessonStep, context: LessonContext, selection: Selection) throws {
        switch quiz.kind {
        case .number(let answer, let tolerance, _):
            let source = try #require(step.quizzes.first { $0.line == quiz.line })
            guard case .number(let expression, _, _, _) = source.kind else { Issue.record("kind changed"); return }
            let live = try Evaluator(context: context, selection: selection).number(expression)
            #expect(answer == live)
            #expect(quiz.check(answer: try #require(quiz.expected)).correct || tolerance < 0.005)
            #expect(quiz.check(answer: String(answer)).correct)
            #expect(!quiz.check(answer: String(answer + 10 * tolerance + 1)).correct)
        case .token(let answer, let position):
            #expect(context.labels(.input)[position] == answer)
            #expect(quiz.check(answer: answer).correct && quiz.check(answer: String(position)).correct)
        case .choice(let options, let correct):
            #expect(options.count >= 2)
            #expect(!correct.isEmpty)
            #expect(quiz.check(choice: correct[0]).correct)
        case .unanswerable(let why):
            Issue.record("\(lesson.id) line \(quiz.line): \(why)")
        }
    }

    @Test func sixStepsTellsItsStory() throws {
        let lesson = try #require(Self.library.lesson(id: "six-steps"))
        #expect(lesson.model == "tiny-gpt")
        #expect(lesson.input == "the animal didn't cross the street because it was too tired")
        #expect(lesson.steps.count == 6)
        for (n, step) in lesson.steps.enumerated() { #expect(step.title.hasPrefix("Step \(n + 1)")) }
        let quizzes = lesson.steps.flatMap(\.quizzes)
        #expect(quizzes.contains { if case .number = $0.kind { return true } else { return false } })
        #expect(quizzes.contains { if case .choice = $0.kind { return true } else { return false } })
        // The pronoun head: "it" looks at "animal".
        let context = try LessonContext(loaded: try Repository.model("tiny-gpt"), text: lesson.input)
        let (start, _) = LessonRuntime.startingSelection(for: lesson.steps[0], in: context)
        #expect(start == Selection(layer: 0, head: 1, query: 9, key: 1))
        #expect(try #require(context.cache["blocks.0.attn.pattern"])[1, 9, 1] > 0.99)
        let all = LessonRuntime.evaluate(lesson, step: 5, in: context, selection: start)
        #expect(all.blocks.contains { if case .show(let s) = $0, case .steps = s.content { return true } else { return false } })
    }

    @Test func sixStepsOnAnotherSentence() throws {
        // The learner's own sentence without "animal" or "street": quoted tokens are said, not crashed on.
        let lesson = try #require(Self.library.lesson(id: "six-steps"))
        let context = try LessonContext(loaded: try Repository.model("tiny-gpt"), text: "the dog ran because it was hungry")
        var selection: Selection?
        for index in lesson.steps.indices {
            let (start, _) = LessonRuntime.startingSelection(for: lesson.steps[index], in: context, current: selection)
            selection = start
            let step = LessonRuntime.evaluate(lesson, step: index, in: context, selection: start)
            for problem in step.problems { #expect(problem.learnerMessage.contains("in your sentence"), "\(problem)") }
        }
        #expect(selection?.query == 4)
    }

    @Test func theReadmeExampleIsAGoodLesson() throws {
        let readme = try String(contentsOfFile: Repository.path("Lessons/README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "```markdown\n"))
        let end = try #require(readme.range(of: "\n```\n", range: start.upperBound..<readme.endIndex))
        let example = String(readme[start.upperBound..<end.lowerBound])
        let directory = try TemporaryDirectory()
        let path = try directory.write("first-look.md", example)
        let library = LessonLibrary.load(files: [path], names: ["first-look.md"], alongside: Self.library.parsed)
        #expect(library.diagnostics.isEmpty, "\(library.diagnostics)")
        #expect(library.check(catalog: Repository.catalog).isEmpty, "\(library.check(catalog: Repository.catalog))")
        #expect(library.lessons.first?.steps.count == 2)
    }
}
