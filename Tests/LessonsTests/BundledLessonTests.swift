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

    @Test func theLessonsStateTheClaimsTheirProseMakes() {
        // Each `@expect` is a claim of the prose, tested by `lessons check` (thereAreLessonsAndNoMistakes)
        // on the lesson's sentence and its four variants.
        let claims = Self.library.lessons.flatMap { $0.steps.flatMap(\.expectations) }
        #expect(claims.count >= 25)
        #expect(Self.library.lessons.filter { $0.steps.contains { !$0.expectations.isEmpty } }.count == Self.library.lessons.count)
    }

    @Test func sixStepsSaysWhatHoldsOnASentenceWithoutAnimal() throws {
        // With "animal" removed, "it" splits its weight between street (0.47) and itself (0.41).
        let own = try prose("six-steps", on: "the animal didn't cross the street because it was too tired")
        #expect(own.contains("stays decisive after scaling") && own.contains("nearly all on one word"))
        #expect(own.contains("z is mostly its value") && !own.contains("a blend of several values"))
        let without = try prose("six-steps", on: "the didn't cross the street because it was too tired")
        #expect(!without.contains("stays decisive after scaling") && !without.contains("nearly all on one word"))
        #expect(without.contains("row is split") && without.contains("a blend of several values"))
        #expect(!without.contains("z is mostly its value"))
        // No value of the prose is missing (the quiz on it → animal says so above the text, with a ⚠).
        #expect(!without.split(separator: "\n").contains { $0.contains(LessonRuntime.missingValue) && !$0.hasPrefix("⚠") }, "\(without)")
    }

    @Test func masksSaysWhatHoldsWithANewCar() throws {
        // With " and the new car" appended, tiny-bert's block-0 head sends "it" to "new" (0.997), and
        // block 1 then picks "car": neither "forward to its adjective: tired" nor "animal" is true.
        let own = try prose("masks", on: "the animal didn't cross the street because it was too tired")
        #expect(own.contains("sends the pronoun forward to its adjective") && own.contains("Block 1 then picks the noun that fits"))
        let longer = try prose("masks", on: "the animal didn't cross the street because it was too tired and the new car")
        #expect(!longer.contains("sends the pronoun forward to its adjective") && !longer.contains("Block 1 then picks the noun that fits"))
        #expect(longer.contains("looks most at") && longer.contains("On the lesson's sentence it picks"))
    }

    /// The prose of every step of lesson `id` as a learner reads it on `sentence`, each step on its own
    /// run (`@model`, `@mask`) with the selection the steps before leave.
    func prose(_ id: String, on sentence: String) throws -> String {
        let lesson = try #require(Self.library.lesson(id: id))
        let lessonContext = try LessonContext(loaded: try Repository.catalog.load(lesson.model), text: sentence, target: lesson.target)
        var selection: Selection?
        var text = ""
        for index in lesson.steps.indices {
            let context = try LessonRuntime.context(for: lesson.steps[index], from: lessonContext) { try Repository.catalog.load($0) }
            let (start, _) = LessonRuntime.startingSelection(for: lesson.steps[index], in: context, current: selection)
            selection = start
            for case .text(let paragraph) in LessonRuntime.evaluate(lesson, step: index, in: context, selection: start).blocks {
                text += paragraph + "\n"
            }
        }
        return text
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
