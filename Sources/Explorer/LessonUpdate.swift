import Lessons
import Terminal
import Transformer

/// Opens a lesson on its own model and sentence, at its saved step unless `step` is given.
public func openLesson(_ state: inout AppState, _ entry: LessonEntry, step: Int? = nil) -> [Effect] {
    let saved = state.progress?.lessons[entry.id]?.current ?? 0
    let start = min(max(0, step ?? saved), max(0, entry.steps - 1))
    var lesson = LessonState(id: entry.id, title: entry.title, stepCount: entry.steps, step: start)
    lesson.sentence = entry.input
    lesson.stepInputs = entry.stepInputs
    state.lesson = lesson
    state.screen = .lesson
    state.message = nil
    state.selection = Selection()
    state.input = RunInput(model: entry.model, text: lesson.sentence(forStep: start), target: entry.target)
    return requestRun(&state) + [.saveStep(lesson: entry.id, step: start)]
}

func updateLesson(_ state: inout AppState, _ event: Event) -> [Effect] {
    guard var lesson = state.lesson else { state.screen = .home; return [] }
    defer { if state.lesson != nil { state.lesson = lesson } }
    // A number quiz being answered takes the keys.
    if let editor = lesson.answerEditor {
        switch event {
        case .key(.enter):
            lesson.answerEditor = nil
            return answer(&lesson, editor.text, progress: state.progress)
        case .key(.escape):
            lesson.answerEditor = nil
        default:
            var edited = editor
            edited.apply(event)
            lesson.answerEditor = edited
        }
        return []
    }
    if let focused = lesson.focusedQuiz, lesson.quizzes.indices.contains(focused) {
        let quiz = lesson.quizzes[focused]
        switch (event, quiz.kind) {
        case (.key(.up), .choice), (.key(.character("k")), .choice):
            lesson.choiceCursor = max(0, lesson.choiceCursor - 1); return []
        case (.key(.down), .choice), (.key(.character("j")), .choice):
            lesson.choiceCursor = min(quiz.options.count - 1, lesson.choiceCursor + 1); return []
        case (.key(.enter), .choice), (.key(.character(" ")), .choice):
            let options = quiz.options
            return answer(&lesson, options.indices.contains(lesson.choiceCursor) ? options[lesson.choiceCursor] : "", progress: state.progress)
        case (.key(.character(let c)), .number) where c.isNumber || c == "-" || c == "." || c == "−":
            var editor = LineEditor("")
            editor.apply(event)
            lesson.answerEditor = editor
            return []
        case (.key(.character(let c)), .token) where c != " " && c != "q" && c != "?":
            // Any letter starts a token answer (q and ? keep quitting and helping; Enter opens an empty one).
            var editor = LineEditor("")
            editor.apply(event)
            lesson.answerEditor = editor
            return []
        case (.key(.enter), .number), (.key(.enter), .token):
            lesson.answerEditor = LineEditor(""); return []
        case (.key(.escape), _):
            lesson.focusedQuiz = nil; return []
        default: break
        }
    }
    switch event {
    case .mouse(let mouse) where mouse.action == .scrollUp:
        lesson.scroll = max(0, lesson.scroll - 3)
        return []
    case .mouse(let mouse) where mouse.action == .scrollDown:
        lesson.scroll = min(lesson.scroll + 3, state.layout.lessonMaxScroll)
        return []
    case .key(let key):
        guard let action = KeyTable.lesson.action(for: key, in: lesson.bindingContext) else { return [] }
        return perform(action, lesson: &lesson, &state)
    default:
        return []
    }
}

/// Performs an action of the lesson screen.
func perform(_ action: Action, lesson: inout LessonState, _ state: inout AppState) -> [Effect] {
    /// Changes one part of the selection as the learner asked, and evaluates the step again.
    func choose(_ part: SelectionPart, _ change: (inout Selection) -> Void) -> [Effect] {
        change(&state.selection)
        lesson.learnerParts.insert(part)
        return onState(&lesson, &state) { evaluateLessonStep(&$0) }
    }
    switch action {
    case .help: state.showHelp = true
    case .quit: state.quit = true
    case .saveScreen: return [.saveScreen(state)]
    case .back:
        state.screen = .home
        state.lesson = nil
        lesson.focusedQuiz = nil
    case .nextStep(let delta):
        // Past the last step: the next lesson in the curriculum, if there is one.
        if delta > 0, lesson.step == lesson.stepCount - 1, let next = state.nextLesson(after: lesson.id) {
            return onState(&lesson, &state) { openLesson(&$0, next, step: 0) }
        }
        let target = min(max(0, lesson.step + delta), max(0, lesson.stepCount - 1))
        guard target != lesson.step else { return [] }
        // A step with its own sentence (`@input`) runs on it; leaving it, the lesson's comes back.
        lesson.keep(sentence: state.input.text)
        lesson.step = target
        lesson.entering = true
        lesson.scroll = 0
        lesson.focusedQuiz = nil
        lesson.answerEditor = nil
        let save = Effect.saveStep(lesson: lesson.id, step: target)
        let wanted = lesson.sentence(forStep: target)
        if wanted != state.input.text {
            state.input.text = wanted
            return onState(&lesson, &state) { requestRun(&$0) } + [save]
        }
        return onState(&lesson, &state) { evaluateLessonStep(&$0) } + [save]
    case .pageOrStep(let direction):
        // As a pager does: a page at a time, and past the end (or the top) on to the next (or previous) step.
        let page = max(1, state.layout.lessonPageHeight - 1)
        if direction > 0 && lesson.scroll < state.layout.lessonMaxScroll {
            lesson.scroll = min(lesson.scroll + page, state.layout.lessonMaxScroll)
        } else if direction < 0 && lesson.scroll > 0 {
            lesson.scroll = max(0, lesson.scroll - page)
        } else {
            return perform(.nextStep(direction), lesson: &lesson, &state)
        }
    case .nextQuiz:
        let count = lesson.quizzes.count
        guard count > 0 else { return [] }
        lesson.focusedQuiz = lesson.focusedQuiz.map { $0 + 1 < count ? $0 + 1 : nil } ?? 0
        lesson.choiceCursor = 0
        lesson.scrollToQuiz = lesson.focusedQuiz
    case .scrollPage(let delta): lesson.scroll = min(max(0, lesson.scroll + delta), state.layout.lessonMaxScroll)
    case .pageTop: lesson.scroll = 0
    case .edit: state.editor = LineEditor(state.input.text)
    case .moveQuery(let delta): return choose(.query) { $0.query += delta }
    case .moveKey(let delta): return choose(.key) { $0.key += delta }
    case .nextSite(let delta): return choose(.layer) { $0.layer += delta }
    case .nextHead(let delta): return choose(.head) { $0.head += delta }
    case .temperature(let steps): return choose(.temperature) { $0.temperature = $0.temperature(steppedBy: steps) }
    case .topK(let delta): return choose(.k) { $0.k += delta }
    default: break
    }
    return []
}

/// Runs `change` on the whole state with the lesson being edited in place written into it first, and
/// takes the lesson back afterwards (what `change` made of it, e.g. a new evaluation's id).
func onState(_ lesson: inout LessonState, _ state: inout AppState, _ change: (inout AppState) -> [Effect]) -> [Effect] {
    state.lesson = lesson
    let effects = change(&state)
    lesson = state.lesson ?? lesson
    return effects
}

extension AppState {
    /// The lesson after `id` in the home screen's (curriculum) order.
    func nextLesson(after id: String) -> LessonEntry? {
        guard let index = lessons.firstIndex(where: { $0.id == id }), index + 1 < lessons.count else { return nil }
        return lessons[index + 1]
    }
}

/// Checks an answer to the focused quiz against its live value, keeps it, and saves it when it
/// could be read.
func answer(_ lesson: inout LessonState, _ given: String, progress: Progress?) -> [Effect] {
    guard let index = lesson.focusedQuiz, lesson.quizzes.indices.contains(index) else { return [] }
    let quiz = lesson.quizzes[index]
    lesson.answers[quiz.id] = given
    let result = quiz.check(answer: given)
    guard result.understood else { return [] }
    return [.saveAnswer(lesson: lesson.id, quiz: quiz.id, answer: given, correct: result.correct)]
}
