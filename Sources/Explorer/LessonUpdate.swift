import Lessons
import Terminal
import Transformer

/// Opens `lesson` on its own model and sentence (at its saved step unless `step` is given).
public func openLesson(_ state: inout AppState, _ lesson: Lesson, step: Int? = nil) {
    do {
        let loaded = try state.session.loaded.name == lesson.model ? state.session.loaded : state.loadModel(lesson.model)
        state.session = ModelSession(loaded: loaded, text: lesson.input, target: lesson.target)
        state.lessonRun = LessonRun(lesson: lesson, session: state.session, progress: state.progressStore, startStep: step,
                                    loadModel: state.loadModel)
        state.screen = .lesson
        state.message = nil
    } catch {
        state.message = "cannot open the lesson \(lesson.id): \(error)"
    }
}

func updateLesson(_ state: inout AppState, _ event: Event) {
    guard var run = state.lessonRun else { state.screen = .home; return }
    defer { state.lessonRun = run }
    // A number quiz being answered takes the keys.
    if var editor = run.answerEditor {
        switch event {
        case .key(.enter):
            run.answerEditor = nil
            run.answer(editor.text, choice: nil)
        case .key(.escape):
            run.answerEditor = nil
        default:
            editor.apply(event)
            run.answerEditor = editor
        }
        return
    }
    let session = state.session
    if let focused = run.focusedQuiz, run.quizzes.indices.contains(focused) {
        let quiz = run.quizzes[focused]
        switch (event, quiz.kind) {
        case (.key(.up), .choice), (.key(.character("k")), .choice):
            run.choiceCursor = max(0, run.choiceCursor - 1); return
        case (.key(.down), .choice), (.key(.character("j")), .choice):
            run.choiceCursor = min(quiz.options.count - 1, run.choiceCursor + 1); return
        case (.key(.enter), .choice), (.key(.character(" ")), .choice):
            run.answer(nil, choice: run.choiceCursor); return
        case (.key(.character(let c)), .number) where c.isNumber || c == "-" || c == "." || c == "−":
            var editor = LineEditor("")
            editor.apply(event)
            run.answerEditor = editor
            return
        case (.key(.enter), .number):
            run.answerEditor = LineEditor(""); return
        case (.key(.escape), _):
            run.focusedQuiz = nil; return
        default: break
        }
    }
    switch event {
    case .key(.character("n")), .key(.character(" ")), .key(.pageDown):
        run.go(to: run.step + 1, session: session)
    case .key(.character("p")), .key(.pageUp):
        run.go(to: run.step - 1, session: session)
    case .key(.tab):
        let count = run.quizzes.count
        guard count > 0 else { break }
        run.focusedQuiz = run.focusedQuiz.map { $0 + 1 < count ? $0 + 1 : nil } ?? 0
        run.choiceCursor = 0
        if let focused = run.focusedQuiz { run.scroll = LessonPage(state: state, run: run).top(ofQuiz: focused) }
    case .key(.escape):
        state.screen = .home
    case .key(.up) where run.allows(.query), .key(.character("k")) where run.allows(.query):
        run.select({ $0.query -= 1 }, session: session)
    case .key(.down) where run.allows(.query), .key(.character("j")) where run.allows(.query):
        run.select({ $0.query += 1 }, session: session)
    case .key(.left) where run.allows(.key), .key(.character("h")) where run.allows(.key):
        run.select({ $0.key -= 1 }, session: session)
    case .key(.right) where run.allows(.key), .key(.character("l")) where run.allows(.key):
        run.select({ $0.key += 1 }, session: session)
    case .key(.character("[")) where run.allows(.layer): run.select({ $0.layer -= 1 }, session: session)
    case .key(.character("]")) where run.allows(.layer): run.select({ $0.layer += 1 }, session: session)
    case .key(.character("{")) where run.allows(.head): run.select({ $0.head -= 1 }, session: session)
    case .key(.character("}")) where run.allows(.head): run.select({ $0.head += 1 }, session: session)
    case .key(.character("t")) where run.allows(.temperature):
        run.select({ $0.temperature = $0.temperature(steppedBy: -1) }, session: session)
    case .key(.character("T")) where run.allows(.temperature):
        run.select({ $0.temperature = $0.temperature(steppedBy: 1) }, session: session)
    case .key(.character("-")) where run.allows(.topK): run.select({ $0.k -= 1 }, session: session)
    case .key(.character("+")) where run.allows(.topK), .key(.character("=")) where run.allows(.topK):
        run.select({ $0.k += 1 }, session: session)
    case .key(.up), .key(.character("K")):
        run.scroll = max(0, run.scroll - 1)
    case .key(.down), .key(.character("J")):
        run.scroll += 1
    case .mouse(let mouse) where mouse.action == .scrollUp:
        run.scroll = max(0, run.scroll - 3)
    case .mouse(let mouse) where mouse.action == .scrollDown:
        run.scroll += 3
    case .key(.home): run.scroll = 0
    case .key(.character("e")) where run.allows(.input), .key(.character("/")) where run.allows(.input):
        state.editor = LineEditor(state.session.text)
    default: break
    }
    run.scroll = min(run.scroll, LessonPage(state: state, run: run).maxScroll)
}
