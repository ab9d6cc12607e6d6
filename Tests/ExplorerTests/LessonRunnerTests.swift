import Foundation
import Lessons
import Testing
@testable import Explorer
import Terminal
import Transformer

@Suite struct LessonRunner {
    static func library() -> LessonLibrary { LessonLibrary.load(directory: Fixtures.root + "/Lessons") }

    static func lessonState(_ id: String = "six-steps", width: Int = 120, height: Int = 40,
                            progress: ProgressStore? = nil) throws -> AppState {
        var state = try Fixtures.state(screen: .home, width: width, height: height)
        state.lessons = library().lessons
        state.progressStore = progress
        openLesson(&state, try library().find(id))
        return state
    }

    @Test func nextAndPreviousWalkTheSteps() throws {
        var state = try Self.lessonState()
        #expect(state.screen == .lesson)
        let count = state.lessonRun!.stepCount
        #expect(count == 6)
        for n in 1..<count {
            update(&state, .key(.character("n")))
            #expect(state.lessonRun!.step == n)
            #expect(state.lessonRun!.evaluated!.title.hasPrefix("Step \(n + 1)"))
        }
        update(&state, .key(.pageDown))
        #expect(state.lessonRun!.step == count - 1, "the last step stays the last")
        update(&state, .key(.character("p")))
        update(&state, .key(.pageUp))
        #expect(state.lessonRun!.step == count - 3)
        update(&state, .key(.character("q")))
        #expect(state.quit)
    }

    /// Every step of every bundled lesson opens and evaluates without a problem: steps on another
    /// model (`@model`) or with another mask (`@mask`) run on their own run, and tables draw.
    @Test func everyBundledLessonStepOpens() throws {
        for lesson in Self.library().lessons {
            var state = try Self.lessonState(lesson.id)
            for n in 0..<state.lessonRun!.stepCount {
                let run = try #require(state.lessonRun)
                let evaluated = try #require(run.evaluated)
                #expect(evaluated.problems.isEmpty, "\(lesson.id) step \(n + 1): \(evaluated.problems)")
                let step = lesson.steps[n]
                #expect(evaluated.model == (step.model?.name ?? lesson.model), "\(lesson.id) step \(n + 1)")
                if let mask = step.mask { #expect(evaluated.mask == mask.mask) }
                let title = view(state).text.split(separator: "\n").first.map(String.init) ?? ""
                if step.model != nil { #expect(title.contains("on \(evaluated.model)"), "\(title)") }
                // The step's @select is read on the step's own run (tiny-bert puts [CLS] first).
                if case .token(let text)? = step.selection?.query {
                    let context = try LessonRuntime.context(for: step, from: LessonContext(loaded: state.session.loaded,
                        inspection: try #require(state.session.inspection))) { try Fixtures.model($0) }
                    #expect(context.position(of: text) == run.selection.query, "\(lesson.id) step \(n + 1)")
                }
                update(&state, .key(.character("n")))
            }
        }
    }

    @Test func aTableOfParameters() throws {
        var state = try Self.lessonState("parameter-counts")
        update(&state, .key(.character("n")))
        let page = LessonPage(state: state, run: state.lessonRun!).page.canvas.text
        #expect(page.contains("feed-forward   56,669,184   45.5%  L × (2·D·F + F + D)"), "\(page)")
        #expect(page.contains("total         124,439,808  100.0%"))
    }

    @Test func everySixStepsStepAt120x40() throws {
        var state = try Self.lessonState()
        for n in 0..<state.lessonRun!.stepCount {
            assertSnapshot(view(state), named: "six-steps-step\(n + 1)-120x40")
            update(&state, .key(.character("n")))
        }
    }

    /// The numbers `@show steps` puts on screen are the cache's (the last step shows them).
    @Test func shownStepsNumbersAreTheCaches() throws {
        var state = try Self.lessonState()
        for _ in 0..<5 { update(&state, .key(.character("n"))) }
        let run = try #require(state.lessonRun)
        let selection = run.selection
        let cache = state.session.cache!
        let site = "blocks.\(selection.layer).attn"
        var page = LessonPage(state: state, run: run).page.canvas.text
        page = page.replacingOccurrences(of: "\n", with: " ")
        let weight = cache[site + ".pattern"]![selection.head, selection.query, selection.key]
        let score = cache[site + ".scores"]![selection.head, selection.query, selection.key]
        #expect(page.contains("= " + NumberText.format(score, decimals: 4)))
        #expect(page.contains("= " + NumberText.format(weight, decimals: 4)))
    }

    @Test func quizzesAreAnsweredAndSaved() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("progress-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = ProgressStore(path: directory + "/progress.json")
        var state = try Self.lessonState(progress: store)
        update(&state, .key(.character("n")))
        let quiz = try #require(state.lessonRun!.quizzes.first)
        guard case .number(let answer, _, _) = quiz.kind else { Issue.record("step 2's first quiz is numeric"); return }
        update(&state, .key(.tab))
        for c in NumberText.format(answer, decimals: 2) { update(&state, .key(.character(c))) }
        #expect(state.lessonRun!.answerEditor != nil)
        update(&state, .key(.character("q")))
        #expect(!state.quit, "q is typed into an answer, not a quit")
        update(&state, .key(.backspace))
        update(&state, .key(.enter))
        #expect(state.lessonRun!.feedback[quiz.id]?.feedback.correct == true)
        let saved = try store.progress(of: "six-steps")
        #expect(saved.answers[quiz.id]?.correct == true)
        #expect(saved.reached == 1)
        // Opening the lesson again comes back to the step reached, answers kept.
        var again = try Self.lessonState(progress: store)
        #expect(again.lessonRun!.step == 1)
        #expect(again.lessonRun!.feedback[quiz.id]?.feedback.correct == true)
        update(&again, .key(.escape))
        #expect(again.screen == .home)
        #expect(view(again).text.contains("step 2/6"))
    }

    @Test func choiceQuizWithTheKeyboard() throws {
        var state = try Self.lessonState()
        var found = false
        for _ in 0..<state.lessonRun!.stepCount {
            if let index = state.lessonRun!.quizzes.firstIndex(where: { !$0.options.isEmpty }) {
                let quiz = state.lessonRun!.quizzes[index]
                guard case .choice(_, let correct) = quiz.kind else { continue }
                for _ in 0...index { update(&state, .key(.tab)) }
                for _ in 0..<correct[0] { update(&state, .key(.down)) }
                update(&state, .key(.enter))
                #expect(state.lessonRun!.feedback[quiz.id]?.feedback.correct == true)
                found = true
                break
            }
            update(&state, .key(.character("n")))
        }
        #expect(found, "six-steps has a multiple-choice quiz")
    }

    @Test func editingTheSentenceReEvaluatesTheStep() throws {
        var state = try Self.lessonState()
        update(&state, .key(.character("e")))
        update(&state, .key(.ctrl("u")))
        for c in "the dog chased the cat because it was fast" { update(&state, .key(.character(c))) }
        update(&state, .key(.enter))
        let text = LessonPage(state: state, run: state.lessonRun!).page.canvas.text
        #expect(text.contains("0:the 1:dog 2:chased"))
    }

    @Test func homeListsLessonsWithProgress() throws {
        var state = try Fixtures.state(screen: .home)
        state.lessons = Self.library().lessons
        let text = view(state).text
        #expect(text.contains("Lessons"))
        #expect(text.contains("Attention in six steps"))
        update(&state, .key(.down))
        update(&state, .key(.enter))
        #expect(state.screen == .lesson)
    }
}
