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

/// The sampling lesson's temperature and k, turned with keys where the step's `@controls` allow.
@Suite struct LessonSamplingKeys {
    /// The sampling lesson opened at step `n` (1-based).
    static func sampling(step n: Int, width: Int = 120, height: Int = 40) throws -> AppState {
        var state = try LessonRunner.lessonState("sampling", width: width, height: height)
        for _ in 1..<n { update(&state, .key(.character("n"))) }
        return state
    }

    static func press(_ state: inout AppState, _ keys: String) {
        for c in keys { update(&state, .key(.character(c))) }
    }

    /// The line under the sentence: the step's title, and the settings the step lets the learner turn.
    static func titleLine(_ state: AppState) -> String {
        String(view(state).text.split(separator: "\n", omittingEmptySubsequences: false)[3])
    }

    static func statusLine(_ state: AppState) -> String {
        String(view(state).text.split(separator: "\n", omittingEmptySubsequences: false)[state.height - 1])
    }

    /// The page's text with its lines joined and runs of spaces made one, so wrapped prose reads on.
    static func page(_ state: AppState) -> String {
        LessonPage(state: state, run: state.lessonRun!).page.canvas.text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The answer of the step's first number quiz, as the runner evaluated it.
    static func quizAnswer(_ state: AppState) throws -> Double {
        let quiz = try #require(state.lessonRun?.quizzes.first)
        guard case .number(let answer, _, _) = quiz.kind else { throw EvaluationError("not a number quiz") }
        return answer
    }

    /// The next-token logits after the selected query, from the session's run.
    static func logits(_ state: AppState) -> [Double] {
        state.session.cache!["logits"]!.slice(state.lessonRun!.selection.query).scalars.map(Double.init)
    }

    @Test func tAndShiftTTurnTheTemperatureOnTheTemperatureStep() throws {
        var state = try Self.sampling(step: 3)
        #expect(state.lessonRun!.evaluated!.title == "Step 3: Temperature")
        #expect(state.lessonRun!.selection.temperature == 0.5, "the step's @select")
        #expect(Self.titleLine(state).contains("T = 0.5 (t/T)"))
        #expect(!Self.titleLine(state).contains("k ="))
        let sorted = Self.logits(state).sorted(by: >)
        let gap = sorted[0] - sorted[1]
        #expect(abs(try Self.quizAnswer(state) - exp(gap / 0.5)) < 1e-4)

        Self.press(&state, "T")
        #expect(state.lessonRun!.selection.temperature == 0.7)
        #expect(Self.titleLine(state).contains("T = 0.7 (t/T)"))
        #expect(Self.page(state).contains("Here T = 0.7:"))
        #expect(abs(try Self.quizAnswer(state) - exp(gap / 0.7)) < 1e-4, "the quiz is checked at the new temperature")
        let peak = Self.logits(state).max()!
        let top = 1 / Self.logits(state).reduce(0) { $0 + exp(($1 - peak) / 0.7) }
        #expect(Self.page(state).contains("gets \(NumberText.format(top, decimals: 3)) of the probability at T = 0.7"))

        Self.press(&state, "ttt")
        #expect(state.lessonRun!.selection.temperature == 0.2)
        Self.press(&state, "tttt")
        #expect(state.lessonRun!.selection.temperature == 0.1, "the bottom of the ladder")
        Self.press(&state, String(repeating: "T", count: 12))
        #expect(state.lessonRun!.selection.temperature == 5, "the top of the ladder")
        #expect(Self.titleLine(state).contains("T = 5 (t/T)"))

        // k is not this step's to change.
        let page = Self.page(state)
        Self.press(&state, "-+=")
        #expect(state.lessonRun!.selection.k == 10)
        #expect(Self.page(state) == page)
    }

    @Test func minusAndPlusChangeKOnTheTopKStep() throws {
        var state = try Self.sampling(step: 4)
        #expect(state.lessonRun!.evaluated!.title == "Step 4: Top-k")
        #expect(state.lessonRun!.selection.k == 6)
        #expect(Self.titleLine(state).contains("k = 6 (-/+)"))
        #expect(!Self.titleLine(state).contains("T ="))
        func keptBars() throws -> Int {
            let shows = state.lessonRun!.evaluated!.blocks.compactMap { block -> LessonBars? in
                if case .show(let shown) = block, case .bars(let bars) = shown.content { return bars } else { return nil }
            }
            return try #require(shows.last).bars.count
        }
        let probs = state.session.cache!["probs"]!.slice(state.lessonRun!.selection.query).scalars.map(Double.init)
            .sorted(by: >)
        func share(_ k: Int) -> Double { probs[0] / probs.prefix(k).reduce(0, +) }
        #expect(try keptBars() == 6)
        #expect(abs(try Self.quizAnswer(state) - share(6)) < 1e-5)

        Self.press(&state, "-")
        #expect(state.lessonRun!.selection.k == 5)
        #expect(try keptBars() == 5)
        #expect(abs(try Self.quizAnswer(state) - share(5)) < 1e-5)
        #expect(Self.page(state).contains("Here k = 5:"))
        Self.press(&state, "+=")
        #expect(state.lessonRun!.selection.k == 7)
        #expect(Self.titleLine(state).contains("k = 7 (-/+)"))
        #expect(Self.page(state).contains("The 7 kept hold \(NumberText.format(probs.prefix(7).reduce(0, +), decimals: 3))"))

        Self.press(&state, String(repeating: "-", count: 10))
        #expect(state.lessonRun!.selection.k == 1, "k stops at 1")
        #expect(try keptBars() == 1)
        #expect(try Self.quizAnswer(state) == 1, "top-k with k = 1 is greedy")

        // The temperature is not this step's to change.
        Self.press(&state, "tT")
        #expect(state.lessonRun!.selection.temperature == 0.5, "step 3's, kept")
    }

    @Test func aFocusedNumberQuizTakesTheMinusSign() throws {
        var state = try Self.sampling(step: 4)
        update(&state, .key(.tab))
        Self.press(&state, "-")
        #expect(state.lessonRun!.answerEditor?.text == "-")
        #expect(state.lessonRun!.selection.k == 6)
    }

    @Test func stepsThatDoNotAllowThemIgnoreTheKeys() throws {
        var state = try LessonRunner.lessonState()
        let selection = state.lessonRun!.selection
        let page = Self.page(state)
        Self.press(&state, "tT-+=")
        #expect(state.lessonRun!.selection == selection)
        #expect(Self.page(state) == page)
        #expect(!Self.titleLine(state).contains("T ="))
        #expect(!Self.statusLine(state).contains("temperature"))
    }

    @Test func hintsAndHelpNameTheKeysTheStepAllows() throws {
        var state = try Self.sampling(step: 3)
        #expect(Self.statusLine(state).contains("t T temperature"))
        #expect(!Self.statusLine(state).contains("- + k"))
        update(&state, .key(.character("?")))
        var help = view(state).text
        #expect(help.contains("lower / raise the temperature (0.1 to 5)"))
        #expect(!help.contains("top-k"))
        #expect(!help.contains("previous / next head"))
        update(&state, .key(.escape))
        update(&state, .key(.character("n")))
        #expect(Self.statusLine(state).contains("- + k"))
        update(&state, .key(.character("?")))
        help = view(state).text
        #expect(help.contains("one token fewer / more kept by top-k (k)"))
        #expect(!help.contains("temperature"))

        // A step that lets the learner pick the head says so too.
        var heads = try LessonRunner.lessonState()
        for _ in 0..<5 { update(&heads, .key(.character("n"))) }
        #expect(heads.lessonRun!.allows(.head))
        #expect(Self.statusLine(heads).contains("{ } head"))
        update(&heads, .key(.character("?")))
        #expect(view(heads).text.contains("previous / next head"))
    }

    @Test func samplingStepsAtBothSizes() throws {
        for (w, h) in Screens.sizes {
            var state = try Self.sampling(step: 3, width: w, height: h)
            assertSnapshot(view(state), named: "sampling-step3-\(w)x\(h)")
            update(&state, .key(.character("n")))
            assertSnapshot(view(state), named: "sampling-step4-\(w)x\(h)")
        }
        var help = try Self.sampling(step: 3, width: 80, height: 24)
        update(&help, .key(.character("?")))
        assertSnapshot(view(help), named: "sampling-step3-help-80x24")
    }
}

@Suite struct LessonBlockTitles {
    /// A shown block's title longer than the page wraps onto the next line instead of being cut.
    @Test func longTitlesWrap() throws {
        var state = try LessonRunner.lessonState("model-files", width: 80, height: 24)
        update(&state, .key(.character("n")))
        let lines = view(state).text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let first = try #require(lines.firstIndex { $0.hasPrefix("model.safetensors: 8 bytes of length") })
        // Cut between words: the first line ends with a whole number, the next goes on.
        #expect(lines[first].last?.isNumber == true, "\(lines[first])")
        #expect((lines[first] + " " + lines[first + 1]).contains("bytes of tensors"))
    }
}
