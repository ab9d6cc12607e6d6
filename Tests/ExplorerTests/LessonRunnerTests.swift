import Foundation
import Lessons
import Testing
@testable import Explorer
import Terminal
import Transformer

@Suite struct LessonRunner {
    static func library() -> LessonLibrary { LessonLibrary.load(directory: Fixtures.root + "/Lessons") }

    static func lessonState(_ id: String = "six-steps", width: Int = 120, height: Int = 40,
                            progress: ProgressStore? = nil) throws -> TestApp {
        let app = try Fixtures.app(screen: .home, width: width, height: height, lessons: library().lessons, progress: progress)
        let lesson = try library().find(id)
        app.apply { openLesson(&$0, LessonEntry(lesson)) }
        return app
    }

    /// The lesson page's whole text (all of it, not only what fits on screen).
    static func pageText(_ app: TestApp) -> String {
        LessonPage(state: Scene(app: app.state, session: app.session), lesson: app.state.lesson!).page.canvas.text
    }

    @Test func nextAndPreviousWalkTheSteps() throws {
        let state = try Self.lessonState()
        #expect(state.state.screen == .lesson)
        let count = state.state.lesson!.stepCount
        #expect(count == 6)
        for n in 1..<count {
            state.send(.key(.character("n")))
            #expect(state.state.lesson!.step == n)
            #expect(state.state.lesson!.evaluated!.title.hasPrefix("Step \(n + 1)"))
        }
        state.send(.key(.pageDown))
        #expect(state.state.lesson!.step == count - 1, "the last step stays the last")
        state.send(.key(.character("p")))
        state.send(.key(.pageUp))
        #expect(state.state.lesson!.step == count - 3)
        state.send(.key(.character("q")))
        #expect(state.state.quit)
    }

    /// Every step of every bundled lesson opens and evaluates without a problem: steps on another
    /// model (`@model`) or with another mask (`@mask`) run on their own run, and tables draw.
    @Test func everyBundledLessonStepOpens() throws {
        for lesson in Self.library().lessons {
            let state = try Self.lessonState(lesson.id)
            for n in 0..<state.state.lesson!.stepCount {
                let evaluated = try #require(state.state.lesson?.evaluated)
                #expect(evaluated.problems.isEmpty, "\(lesson.id) step \(n + 1): \(evaluated.problems)")
                let step = lesson.steps[n]
                #expect(evaluated.model == (step.model?.name ?? lesson.model), "\(lesson.id) step \(n + 1)")
                if let mask = step.mask { #expect(evaluated.mask == mask.mask) }
                let title = state.view().text.split(separator: "\n").first.map(String.init) ?? ""
                if step.model != nil { #expect(title.contains("on \(evaluated.model)"), "\(title)") }
                // The step's @select is read on the step's own run (tiny-bert puts [CLS] first).
                if case .token(let text)? = step.selection?.query {
                    let context = try LessonRuntime.context(for: step, from: LessonContext(loaded: state.session.loaded,
                        inspection: try #require(state.session.inspection))) { try Fixtures.model($0) }
                    #expect(context.position(of: text) == state.state.selection.query, "\(lesson.id) step \(n + 1)")
                }
                state.send(.key(.character("n")))
            }
        }
    }

    @Test func aTableOfParameters() throws {
        let state = try Self.lessonState("parameter-counts")
        state.send(.key(.character("n")))
        let page = LessonRunner.pageText(state)
        #expect(page.contains("feed-forward   56,669,184   45.5%  L × (2·D·F + F + D)"), "\(page)")
        #expect(page.contains("total         124,439,808  100.0%"))
    }

    @Test func everySixStepsStepAt120x40() throws {
        let state = try Self.lessonState()
        for n in 0..<state.state.lesson!.stepCount {
            assertSnapshot(state.view(), named: "six-steps-step\(n + 1)-120x40")
            state.send(.key(.character("n")))
        }
    }

    /// The numbers `@show steps` puts on screen are the cache's (the last step shows them).
    @Test func shownStepsNumbersAreTheCaches() throws {
        let state = try Self.lessonState()
        for _ in 0..<5 { state.send(.key(.character("n"))) }
        let selection = state.state.selection
        let cache = state.session.cache!
        let site = "blocks.\(selection.layer).attn"
        var page = LessonRunner.pageText(state)
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
        let state = try Self.lessonState(progress: store)
        state.send(.key(.character("n")))
        let quiz = try #require(state.state.lesson!.quizzes.first)
        guard case .number(let answer, _, _) = quiz.kind else { Issue.record("step 2's first quiz is numeric"); return }
        state.send(.key(.tab))
        for c in NumberText.format(answer, decimals: 2) { state.send(.key(.character(c))) }
        #expect(state.state.lesson!.answerEditor != nil)
        state.send(.key(.character("q")))
        #expect(!state.state.quit, "q is typed into an answer, not a quit")
        state.send(.key(.backspace))
        state.send(.key(.enter))
        #expect(state.state.lesson!.feedback(quiz, progress: state.state.progress)?.correct == true)
        let saved = try store.progress(of: "six-steps")
        #expect(saved.answers[quiz.id]?.correct == true)
        #expect(saved.reached == 1)
        // Opening the lesson again comes back to the step reached, answers kept.
        let again = try Self.lessonState(progress: store)
        #expect(again.state.lesson!.step == 1)
        #expect(again.state.lesson!.feedback(quiz, progress: again.state.progress)?.correct == true)
        again.send(.key(.escape))
        #expect(again.state.screen == .home)
        #expect(again.view().text.contains("step 2/6"))
    }

    @Test func choiceQuizWithTheKeyboard() throws {
        let state = try Self.lessonState()
        var found = false
        for _ in 0..<state.state.lesson!.stepCount {
            if let index = state.state.lesson!.quizzes.firstIndex(where: { !$0.options.isEmpty }) {
                let quiz = state.state.lesson!.quizzes[index]
                guard case .choice(_, let correct) = quiz.kind else { continue }
                for _ in 0...index { state.send(.key(.tab)) }
                for _ in 0..<correct[0] { state.send(.key(.down)) }
                state.send(.key(.enter))
                #expect(state.state.lesson!.feedback(quiz, progress: state.state.progress)?.correct == true)
                found = true
                break
            }
            state.send(.key(.character("n")))
        }
        #expect(found, "six-steps has a multiple-choice quiz")
    }

    @Test func editingTheSentenceReEvaluatesTheStep() throws {
        let state = try Self.lessonState()
        state.send(.key(.character("e")))
        state.send(.key(.ctrl("u")))
        for c in "the dog chased the cat because it was fast" { state.send(.key(.character(c))) }
        state.send(.key(.enter))
        let text = LessonRunner.pageText(state)
        #expect(text.contains("0:the 1:dog 2:chased"))
    }

    @Test func homeListsLessonsWithProgress() throws {
        let state = try Fixtures.app(screen: .home, lessons: Self.library().lessons)
        let text = state.view().text
        #expect(text.contains("Lessons"))
        #expect(text.contains("Attention in six steps"))
        state.send(.key(.down))
        state.send(.key(.enter))
        #expect(state.state.screen == .lesson)
    }
}

/// The sampling lesson's temperature and k, turned with keys where the step's `@controls` allow.
@Suite struct LessonSamplingKeys {
    /// The sampling lesson opened at step `n` (1-based).
    static func sampling(step n: Int, width: Int = 120, height: Int = 40) throws -> TestApp {
        let state = try LessonRunner.lessonState("sampling", width: width, height: height)
        for _ in 1..<n { state.send(.key(.character("n"))) }
        return state
    }

    static func press(_ state: TestApp, _ keys: String) {
        for c in keys { state.send(.key(.character(c))) }
    }

    /// The line under the sentence: the step's title, and the settings the step lets the learner turn.
    static func titleLine(_ state: TestApp) -> String {
        String(state.view().text.split(separator: "\n", omittingEmptySubsequences: false)[3])
    }

    static func statusLine(_ state: TestApp) -> String {
        String(state.view().text.split(separator: "\n", omittingEmptySubsequences: false)[state.state.height - 1])
    }

    /// The page's text with its lines joined and runs of spaces made one, so wrapped prose reads on.
    static func page(_ state: TestApp) -> String {
        LessonRunner.pageText(state).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The answer of the step's first number quiz, as the runner evaluated it.
    static func quizAnswer(_ state: TestApp) throws -> Double {
        let quiz = try #require(state.state.lesson?.quizzes.first)
        guard case .number(let answer, _, _) = quiz.kind else { throw EvaluationError("not a number quiz") }
        return answer
    }

    /// The next-token logits after the selected query, from the session's run.
    static func logits(_ state: TestApp) -> [Double] {
        state.session.cache!["logits"]!.slice(state.state.selection.query).scalars.map(Double.init)
    }

    @Test func tAndShiftTTurnTheTemperatureOnTheTemperatureStep() throws {
        let state = try Self.sampling(step: 3)
        #expect(state.state.lesson!.evaluated!.title == "Step 3: Temperature")
        #expect(state.state.selection.temperature == 0.5, "the step's @select")
        #expect(Self.titleLine(state).contains("T = 0.5 (t/T)"))
        #expect(!Self.titleLine(state).contains("k ="))
        let sorted = Self.logits(state).sorted(by: >)
        let gap = sorted[0] - sorted[1]
        #expect(abs(try Self.quizAnswer(state) - exp(gap / 0.5)) < 1e-4)

        Self.press(state, "T")
        #expect(state.state.selection.temperature == 0.7)
        #expect(Self.titleLine(state).contains("T = 0.7 (t/T)"))
        #expect(Self.page(state).contains("Here T = 0.7:"))
        #expect(abs(try Self.quizAnswer(state) - exp(gap / 0.7)) < 1e-4, "the quiz is checked at the new temperature")
        let peak = Self.logits(state).max()!
        let top = 1 / Self.logits(state).reduce(0) { $0 + exp(($1 - peak) / 0.7) }
        #expect(Self.page(state).contains("gets \(NumberText.format(top, decimals: 3)) of the probability at T = 0.7"))

        Self.press(state, "ttt")
        #expect(state.state.selection.temperature == 0.2)
        Self.press(state, "tttt")
        #expect(state.state.selection.temperature == 0.1, "the bottom of the ladder")
        Self.press(state, String(repeating: "T", count: 12))
        #expect(state.state.selection.temperature == 5, "the top of the ladder")
        #expect(Self.titleLine(state).contains("T = 5 (t/T)"))

        // k is not this step's to change.
        let page = Self.page(state)
        Self.press(state, "-+=")
        #expect(state.state.selection.k == 10)
        #expect(Self.page(state) == page)
    }

    @Test func minusAndPlusChangeKOnTheTopKStep() throws {
        let state = try Self.sampling(step: 4)
        #expect(state.state.lesson!.evaluated!.title == "Step 4: Top-k")
        #expect(state.state.selection.k == 6)
        #expect(Self.titleLine(state).contains("k = 6 (-/+)"))
        #expect(!Self.titleLine(state).contains("T ="))
        func keptBars() throws -> Int {
            let shows = state.state.lesson!.evaluated!.blocks.compactMap { block -> LessonBars? in
                if case .show(let shown) = block, case .bars(let bars) = shown.content { return bars } else { return nil }
            }
            return try #require(shows.last).bars.count
        }
        let probs = state.session.cache!["probs"]!.slice(state.state.selection.query).scalars.map(Double.init)
            .sorted(by: >)
        func share(_ k: Int) -> Double { probs[0] / probs.prefix(k).reduce(0, +) }
        #expect(try keptBars() == 6)
        // The quiz asks for k = 3, which the page does not show until the learner turns k there.
        #expect(abs(try Self.quizAnswer(state) - share(3)) < 1e-5)

        Self.press(state, "-")
        #expect(state.state.selection.k == 5)
        #expect(try keptBars() == 5)
        #expect(abs(try Self.quizAnswer(state) - share(3)) < 1e-5, "the quiz's k stays 3")
        #expect(Self.page(state).contains("Here k = 5:"))
        Self.press(state, "+=")
        #expect(state.state.selection.k == 7)
        #expect(Self.titleLine(state).contains("k = 7 (-/+)"))
        #expect(Self.page(state).contains("The 7 kept hold \(NumberText.format(probs.prefix(7).reduce(0, +), decimals: 3))"))

        Self.press(state, String(repeating: "-", count: 10))
        #expect(state.state.selection.k == 1, "k stops at 1")
        #expect(try keptBars() == 1)
        #expect(state.state.lesson!.evaluated!.blocks.contains { block in
            if case .show(let shown) = block, case .bars(let bars) = shown.content { return bars.bars.count == 1 && bars.bars[0].value == 1 }
            return false
        }, "top-k with k = 1 is greedy")

        // The temperature is not this step's to change.
        Self.press(state, "tT")
        #expect(state.state.selection.temperature == 0.5, "step 3's, kept")
    }

    @Test func aFocusedNumberQuizTakesTheMinusSign() throws {
        let state = try Self.sampling(step: 4)
        state.send(.key(.tab))
        Self.press(state, "-")
        #expect(state.state.lesson!.answerEditor?.text == "-")
        #expect(state.state.selection.k == 6)
    }

    @Test func stepsThatDoNotAllowThemIgnoreTheKeys() throws {
        let state = try LessonRunner.lessonState()
        let selection = state.state.selection
        let page = Self.page(state)
        Self.press(state, "tT-+=")
        #expect(state.state.selection == selection)
        #expect(Self.page(state) == page)
        #expect(!Self.titleLine(state).contains("T ="))
        #expect(!Self.statusLine(state).contains("temperature"))
    }

    @Test func hintsAndHelpNameTheKeysTheStepAllows() throws {
        let state = try Self.sampling(step: 3)
        #expect(Self.statusLine(state).contains("t T temperature"))
        #expect(!Self.statusLine(state).contains("- + k"))
        state.send(.key(.character("?")))
        var help = state.view().text
        #expect(help.contains("lower / raise the temperature (0.1 to 5)"))
        #expect(!help.contains("top-k"))
        #expect(!help.contains("previous / next head"))
        state.send(.key(.escape))
        state.send(.key(.character("n")))
        #expect(Self.statusLine(state).contains("- + k"))
        state.send(.key(.character("?")))
        help = state.view().text
        #expect(help.contains("one token fewer / more kept by top-k (k)"))
        #expect(!help.contains("temperature"))

        // A step that lets the learner pick the head says so too.
        let heads = try LessonRunner.lessonState()
        for _ in 0..<5 { heads.send(.key(.character("n"))) }
        #expect(heads.state.lesson!.allows(.head))
        #expect(Self.statusLine(heads).contains("{ } head"))
        heads.send(.key(.character("?")))
        #expect(heads.view().text.contains("previous / next head"))
    }

    @Test func samplingStepsAtBothSizes() throws {
        for (w, h) in Screens.sizes {
            let state = try Self.sampling(step: 3, width: w, height: h)
            assertSnapshot(state.view(), named: "sampling-step3-\(w)x\(h)")
            state.send(.key(.character("n")))
            assertSnapshot(state.view(), named: "sampling-step4-\(w)x\(h)")
        }
        let help = try Self.sampling(step: 3, width: 80, height: 24)
        help.send(.key(.character("?")))
        assertSnapshot(help.view(), named: "sampling-step3-help-80x24")
    }
}

@Suite struct LessonBlockTitles {
    /// A shown block's title longer than the page wraps onto the next line instead of being cut.
    @Test func longTitlesWrap() throws {
        let state = try LessonRunner.lessonState("model-files", width: 80, height: 24)
        state.send(.key(.character("n")))
        let lines = state.view().text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let first = try #require(lines.firstIndex { $0.hasPrefix("model.safetensors: 8 bytes of length") })
        // Cut between words: the first line ends with a whole number, the next goes on.
        #expect(lines[first].last?.isNumber == true, "\(lines[first])")
        #expect((lines[first] + " " + lines[first + 1]).contains("bytes of tensors"))
    }
}

/// Space and PageDown page through a long step before going on, as a pager does; arrows never scroll.
@Suite struct LessonPaging {
    @Test func spacePagesThenGoesOnAndPageUpComesBack() throws {
        let app = try LessonRunner.lessonState(width: 80, height: 24)
        let maxScroll = app.state.layout.lessonMaxScroll
        #expect(maxScroll > 0, "step 1 is longer than a 24-line screen")
        app.press(.character(" "))
        #expect(app.state.lesson!.step == 0 && app.state.lesson!.scroll == min(maxScroll, app.state.layout.lessonPageHeight - 1))
        var presses = 1
        while app.state.lesson!.step == 0 && presses < 50 {
            app.press(.pageDown)
            presses += 1
        }
        #expect(app.state.lesson!.step == 1, "past the end, the next step")
        #expect(app.state.lesson!.scroll == 0)
        app.press(.pageUp)
        #expect(app.state.lesson!.step == 0, "at the top, PageUp goes back a step")
        // Arrows move the selection where the step allows it, and never scroll.
        let scroll = app.state.lesson!.scroll
        app.press(.down)
        #expect(app.state.lesson!.scroll == scroll)
        #expect(app.view().text.contains("↓ more: Space or J scrolls"))
    }
}

@Suite struct LessonBarLists {
    /// A bar list longer than 14 rows shows the window around the selected bar and says what it leaves out.
    @Test func aLongListSaysWhatItHidesAndFollowsTheSelection() {
        let bars = (0..<20).map { LessonBars.Bar(label: "t\($0)", value: Float($0) / 20, index: $0) }
        let shown = Shown(title: "weights", content: .bars(LessonBars(bars: bars, highlighted: 17, axis: "key")), line: 1)
        let text = LessonBlocks.show(shown, width: 80, theme: .monochrome).text
        #expect(text.contains("rows 8–20 of 20: the other 7 are not shown"), "\(text)")
        #expect(text.contains("t17") && !text.contains("t3 "), "\(text)")
        let short = Shown(title: "weights", content: .bars(LessonBars(bars: Array(bars.prefix(5)), highlighted: 0, axis: "key")), line: 1)
        #expect(!LessonBlocks.show(short, width: 80, theme: .monochrome).text.contains("not shown"))
    }
}

@Suite struct LessonEnds {
    /// `n` on a lesson's last step opens the next lesson, and the page says so first.
    @Test func nOnTheLastStepOpensTheNextLesson() throws {
        let app = try LessonRunner.lessonState()
        let entries = app.state.lessons
        let index = try #require(entries.firstIndex { $0.id == "six-steps" })
        for _ in 0..<5 { app.press(.character("n")) }
        #expect(app.state.lesson!.step == 5)
        let next = entries[index + 1]
        for _ in 0..<app.state.layout.lessonMaxScroll { app.press(.character("J")) }
        #expect(app.view().text.contains("end of the lesson: n opens \(next.title)"))
        app.press(.character("n"))
        #expect(app.state.lesson?.id == next.id && app.state.lesson?.step == 0)
        #expect(app.state.lesson?.evaluated?.title.isEmpty == false)
        // In a quiz, the status line says how to leave it.
        for _ in 0..<app.state.lesson!.stepCount where app.state.lesson!.quizzes.isEmpty { app.press(.character("n")) }
        app.press(.tab)
        #expect(app.view().text.contains("Esc leave the quiz"))
    }
}

@Suite struct LessonTokenQuiz {
    /// A focused token quiz takes letters (the word) and checks it against the live row's largest weight.
    @Test func typingTheTokenAnswersIt() throws {
        let app = try LessonRunner.lessonState()
        for _ in 0..<3 { app.press(.character("n")) }
        let quizzes = app.state.lesson!.quizzes
        let index = try #require(quizzes.firstIndex { if case .token = $0.kind { return true } else { return false } })
        guard case .token(let answer, _) = quizzes[index].kind else { return }
        for _ in 0...index { app.press(.tab) }
        let status = String(app.view().text.split(separator: "\n").last ?? "")
        #expect(status.contains("type an answer") && !status.contains("choose"), "\(status)")
        for c in answer { app.press(.character(c)) }
        #expect(app.state.lesson!.answerEditor?.text == answer)
        app.press(.enter)
        #expect(app.state.lesson!.feedback(quizzes[index], progress: app.state.progress)?.correct == true)
        #expect(app.view().text.contains("✓ Right: \(answer), token"))
    }
}
