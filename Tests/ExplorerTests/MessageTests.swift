import Foundation
import Lessons
import Testing
@testable import Explorer
import Terminal
import Transformer

/// `update` as a pure function: a message in, the next state and the effects it asks for out.
@Suite struct PureUpdate {
    @Test func typingAsksForADebouncedRunAndDoesNotRunAnything() throws {
        let app = try Fixtures.app(text: "the cat")
        var state = app.state
        let shown = try #require(state.run)
        #expect(update(&state, .event(.key(.character("e")))).isEmpty)
        let effects = update(&state, .event(.key(.character("s"))))
        guard case .run(let request)? = effects.first, effects.count == 1 else {
            Issue.record("one run asked for, got \(effects)"); return
        }
        #expect(request.input.text == "the cats")
        #expect(request.delayMilliseconds == editDebounceMilliseconds)
        #expect(state.pendingRun == request.id && state.isRunning)
        #expect(state.run == shown, "the last run stays on screen until the new one lands")
        // Enter asks for the same text at once, under a newer id.
        let enter = update(&state, .event(.key(.enter)))
        guard case .run(let now)? = enter.first else { Issue.record("Enter runs at once"); return }
        #expect(now.delayMilliseconds == 0 && now.id > request.id && now.input.text == "the cats")
    }

    @Test func aStaleResultNeverReplacesANewerRequest() throws {
        let app = try Fixtures.app(text: "the cat")
        var state = app.state
        _ = update(&state, .event(.key(.character("e"))))
        let first = update(&state, .event(.key(.character("s"))))
        let second = update(&state, .event(.key(.character("!"))))
        guard case .run(let old)? = first.first, case .run(let new)? = second.first else { Issue.record("runs"); return }
        let performer = EffectPerformer(store: app.program.store, environment: ExplorerEnvironment(load: { try Fixtures.model($0) }))
        let oldAnswer = performer.perform(.run(old))
        let before = state
        for message in oldAnswer { _ = update(&state, message) }
        #expect(state == before, "the answer to an older request changes nothing")
        for message in performer.perform(.run(new)) { _ = update(&state, message) }
        #expect(state.run?.id == new.id && state.run?.input.text == "the cats!" && !state.isRunning)
    }

    @Test func keysAreHandledWhileARunIsOnItsWay() throws {
        let app = try Fixtures.app()
        var state = app.state
        _ = update(&state, .event(.key(.character("e"))))
        _ = update(&state, .event(.key(.character("x"))))
        _ = update(&state, .event(.key(.enter)))
        #expect(state.isRunning)
        let column = state.selection.key
        #expect(update(&state, .event(.key(.right))).isEmpty)
        #expect(state.selection.key == column + 1, "the key moved without waiting for the run")
        #expect(view(state, store: app.program.store).canvas.text.contains("running…"))
    }

    @Test func aFailedModelKeepsTheOneOnScreen() throws {
        let app = try Fixtures.app()
        var state = app.state
        let effects = switchModel(&state, to: "no-such-model")
        let performer = EffectPerformer(store: app.program.store, environment: ExplorerEnvironment(load: { try Fixtures.model($0) }))
        for effect in effects { for message in performer.perform(effect) { _ = update(&state, message) } }
        #expect(state.message?.hasPrefix("cannot open no-such-model") == true)
        #expect(state.run?.model == "tiny-gpt" && state.input.model == "tiny-gpt")
    }

    @Test func theStateIsAValueThatRoundTripsThroughJSON() throws {
        let app = try Fixtures.app(screen: .home, lessons: LessonRunner.library().lessons)
        app.press(.down)
        app.press(.enter)
        let state = app.state
        #expect(state.screen == .lesson && state.lesson?.evaluated != nil)
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let decoded = try decoder.decode(AppState.self, from: encoder.encode(state))
        #expect(decoded == state)
        #expect(view(decoded, store: app.program.store).canvas == view(state, store: app.program.store).canvas)
    }
}

/// The runner performs effects off the calling thread; a model that takes long never holds up a key.
@Suite struct Runner {
    /// A model run that waits until the test lets it finish, and says which texts it ran.
    final class GatedModel: @unchecked Sendable {
        let started = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        private let lock = NSLock()
        private var texts: [String] = []
        var ran: [String] { lock.withLock { texts } }

        func inspect(_ loaded: LoadedModel, _ input: RunInput) throws -> Inspection {
            lock.withLock { texts.append(input.text) }
            started.signal()
            release.wait()
            return try ExplorerEnvironment.inspect(loaded, input)
        }
    }

    @Test func aKeyDuringARunIsHandledAndOnlyTheNewestTextLands() throws {
        let gate = GatedModel()
        let loaded = try Fixtures.model("tiny-gpt")
        let store = RunStore()
        store.put(model: loaded, as: "tiny-gpt")
        let environment = ExplorerEnvironment(load: { try Fixtures.model($0) }, inspect: { try gate.inspect($0, $1) })
        let program = Program(state: AppState(input: RunInput(model: "tiny-gpt", text: "the cat"), models: [], width: 120,
                                              height: 40, screen: .explore),
                              store: store, environment: environment)
        program.apply { startingEffects(&$0) }
        gate.started.wait()
        gate.release.signal()
        program.settle()
        #expect(program.state.run?.input.text == "the cat")

        program.send(.event(.key(.character("e"))))
        program.send(.event(.key(.character("s"))))
        program.send(.event(.key(.enter)))
        gate.started.wait()   // the run of "the cats" is under way, and waits for the gate
        // Newer requests while it runs: each replaces the one before it, which never starts.
        program.send(.event(.key(.character("e"))))
        program.send(.event(.key(.character("?"))))
        program.send(.event(.key(.backspace)))
        program.send(.event(.key(.character("!"))))
        program.send(.event(.key(.enter)))
        #expect(program.state.editor == nil && program.state.input.text == "the cats!")
        let key = program.state.selection.key
        program.send(.event(.key(.right)))
        #expect(program.state.selection.key == key + 1 && program.state.isRunning, "handled while the run waits")
        gate.release.signal()
        gate.started.wait()
        gate.release.signal()
        program.settle()
        #expect(gate.ran == ["the cat", "the cats", "the cats!"], "the requests replaced before they started never ran")
        #expect(program.state.run?.input.text == "the cats!")
        #expect(program.store.session(for: program.state)?.inspection?.text == "the cats!")
        #expect(!program.state.isRunning)
    }
}

/// The selection follows tokens, not positions, when the sentence changes.
@Suite struct TokenAnchoring {
    @Test func positionsFollowTheTokens() {
        let old = ["the", "animal", "didn", "'", "t", "cross", "the", "street", "because", "it", "was", "too", "tired"]
        let new = ["so"] + old
        #expect(TokenAnchor.position(9, from: old, to: new) == 10)
        #expect(TokenAnchor.position(6, from: old, to: new) == 7, "the second 'the' stays the second")
        // Typing at the end: the last token changes, and the selection stays on the last.
        let typed = Array(old.dropLast()) + ["tire", "d"]
        #expect(TokenAnchor.position(12, from: old, to: typed, followsEnd: true) == 13)
        // A token that is gone: the nearest with the same text, else the same position.
        #expect(TokenAnchor.position(1, from: ["a", "cat", "b"], to: ["cat", "x", "y", "z"]) == 0)
        #expect(TokenAnchor.position(2, from: ["a", "b", "c"], to: ["x"]) == 0)
    }

    @Test func exploreKeepsItOnItAfterTextIsTypedBeforeIt() throws {
        let app = try Fixtures.app()
        app.press(.character("}"))
        for _ in 0..<3 { app.press(.up) }
        app.press(.right)
        #expect(app.view().text.contains("it (query 9) → animal (key 1)"))
        app.press(.character("e"))
        app.press(.home)
        for c in "so " { app.press(.character(c)) }
        app.press(.enter)
        #expect(app.session.inspection?.text == "so " + Fixtures.sentence)
        #expect(app.view().text.contains("it (query 10) → animal (key 2)"))
    }

    @Test func sixStepsKeepsItsFocusWordsAfterTextIsTypedBeforeThem() throws {
        let app = try LessonRunner.lessonState()
        app.press(.character("n"))
        let before = LessonRunner.pageText(app)
        #expect(before.contains("animal"))
        app.press(.character("e"))
        app.press(.home)
        for c in "so " { app.press(.character(c)) }
        app.press(.enter)
        let session = app.session
        let labels = session.labels(.input)
        #expect(labels[app.state.selection.query] == "it" && labels[app.state.selection.key] == "animal")
        let page = LessonRunner.pageText(app)
        #expect(!page.contains("(no 'animal"), "\(page)")
        #expect(!page.contains("Where does the look"), "\(page)")
    }

    /// A head chosen where the step lets the learner choose it does not follow them to a step that does not.
    @Test func aChoiceMadeOnOneStepDoesNotLeakIntoAStepWithoutItsKeys() throws {
        let app = try LessonRunner.lessonState()
        for _ in 0..<5 { app.press(.character("n")) }
        #expect(app.state.lesson!.allows(.head))
        let head = app.state.selection.head
        app.press(.character("{"))
        #expect(app.state.selection.head != head)
        app.press(.character("p"))
        #expect(!app.state.lesson!.allows(.head))
        #expect(app.state.selection.head == 1, "the lesson's @select layer=0 head=1 holds where { } are not offered")
    }

    /// An answer right on one sentence is checked again on the new one.
    @Test func aQuizTickIsCheckedAgainAfterAnEdit() throws {
        let app = try LessonRunner.lessonState()
        for _ in 0..<2 { app.press(.character("n")) }
        let index = try #require(app.state.lesson!.quizzes.firstIndex { if case .number = $0.kind { return true } else { return false } })
        let quiz = app.state.lesson!.quizzes[index]
        guard case .number(let answer, let tolerance, _) = quiz.kind else { return }
        for _ in 0...index { app.press(.tab) }
        for c in NumberText.format(answer, decimals: 3) { app.press(.character(c)) }
        app.press(.enter)
        #expect(app.state.lesson!.feedback(quiz, progress: app.state.progress)?.correct == true)
        app.press(.escape)
        app.press(.character("e"))
        app.press(.ctrl("u"))
        for c in "the animal didn't cross the busy street because it was too tired" { app.press(.character(c)) }
        app.press(.enter)
        let live = try #require(app.state.lesson!.quizzes.first { $0.id == quiz.id })
        guard case .number(let now, _, _) = live.kind else { return }
        #expect(abs(now - answer) > tolerance, "the edit changed the quiz's value (\(answer) → \(now))")
        #expect(app.state.lesson!.feedback(live, progress: app.state.progress)?.correct == false)
        #expect(LessonRunner.pageText(app).contains("✗"))
    }
}
