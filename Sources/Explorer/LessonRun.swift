import Lessons
import Transformer

/// A lesson being followed: which step, the learner's selection, their quiz answers, and the
/// step evaluated on the live model (recomputed whenever the step, the selection or the sentence changes).
public struct LessonRun: Sendable {
    public let lesson: Lesson
    public private(set) var step = 0
    /// The learner's layer, head, query and key, temperature and k.
    public private(set) var selection = Selection()
    /// The current step evaluated on the learner's sentence.
    public private(set) var evaluated: EvaluatedStep?
    /// Which quiz of the step has the keyboard (nil: the page does).
    public var focusedQuiz: Int?
    /// The option under the cursor in a focused choice quiz.
    public var choiceCursor = 0
    /// The answer being typed into a focused number quiz.
    public var answerEditor: LineEditor?
    /// The learner's answer and its feedback by quiz id (`"2.1"`), from this session or saved before.
    public var feedback: [String: (given: String, feedback: QuizFeedback)] = [:]
    /// Lines scrolled off the top of the page.
    public var scroll = 0
    /// Where progress is saved (nil: not saved, e.g. in tests).
    public let progress: ProgressStore?
    /// A problem saving progress, shown once in the status line.
    public var saveProblem: String?
    /// Loads the models steps name with `@model` (nil: such a step says it cannot run).
    let loadModel: (@Sendable (String) throws -> LoadedModel)?
    /// The run the current step was evaluated on, for its step and sentence: the session's own, or
    /// the sentence run again on the step's `@model` or with its `@mask`.
    var stepRun: (key: String, context: LessonContext)?

    public init(lesson: Lesson, session: ModelSession, progress: ProgressStore?, startStep: Int? = nil,
                loadModel: (@Sendable (String) throws -> LoadedModel)? = nil) {
        self.lesson = lesson
        self.progress = progress
        self.loadModel = loadModel
        let saved = (try? progress?.progress(of: lesson.id)) ?? nil
        step = min(max(0, startStep ?? saved?.current ?? 0), max(0, lesson.steps.count - 1))
        selection = Selection(layer: 0, head: 0, query: max(0, (session.inspection?.tokens.count ?? 1) - 1), key: 0)
        // A step inherits the selection the steps before it set: replay their `@select`s.
        if let context = Self.context(session) {
            for earlier in lesson.steps.prefix(step) {
                // On the step's own run: a quoted token is found where that step's model puts it.
                let run = earlier.model == nil ? context
                    : (try? LessonRuntime.context(for: earlier, from: context, load: loadModel)) ?? context
                selection = LessonRuntime.startingSelection(for: earlier, in: run, current: selection).0
            }
        }
        enterStep(session: session)
    }

    public var stepCount: Int { lesson.steps.count }
    public var controls: [Control] { evaluated?.controls ?? [] }
    public func allows(_ control: Control) -> Bool { controls.contains(control) }

    /// The live context for the lesson runtime, when the sentence ran.
    static func context(_ session: ModelSession) -> LessonContext? {
        session.inspection.map { LessonContext(loaded: session.loaded, inspection: $0) }
    }

    /// Moves to `index` (clamped), applying the step's `@select`, saving progress.
    public mutating func go(to index: Int, session: ModelSession) {
        let target = min(max(0, index), max(0, stepCount - 1))
        guard target != step || evaluated == nil else { return }
        step = target
        enterStep(session: session)
    }

    mutating func enterStep(session: ModelSession) {
        scroll = 0
        focusedQuiz = nil
        answerEditor = nil
        if let base = Self.context(session), lesson.steps.indices.contains(step) {
            let context = stepContext(base)
            selection = LessonRuntime.startingSelection(for: lesson.steps[step], in: context, current: selection).0
        }
        reevaluate(session: session)
        if let progress {
            do { _ = try progress.record(lesson: lesson.id, step: step) } catch { saveProblem = "\(error)" }
        }
    }

    /// Changes the selection (clamped to the run) and re-evaluates.
    public mutating func select(_ change: (inout Selection) -> Void, session: ModelSession) {
        change(&selection)
        reevaluate(session: session)
    }

    /// Evaluates the current step on the session's latest run.
    public mutating func reevaluate(session: ModelSession) {
        guard let base = Self.context(session), lesson.steps.indices.contains(step) else { return }
        let context = stepContext(base)
        selection = selection.clamped(in: context)
        evaluated = LessonRuntime.evaluate(lesson, step: step, in: context, selection: selection)
        if let saved = (try? progress?.progress(of: lesson.id)) ?? nil {
            for quiz in quizzes where feedback[quiz.id] == nil {
                if let answer = saved.answers[quiz.id] {
                    feedback[quiz.id] = (answer.answer, quiz.check(answer: answer.answer))
                }
            }
        }
    }

    /// The run for the current step (`LessonRuntime.context(for:from:load:)`), kept until the step or
    /// the sentence changes. When it cannot be made, the session's run, on which the step says why.
    mutating func stepContext(_ base: LessonContext) -> LessonContext {
        let current = lesson.steps[step]
        guard current.model != nil || current.mask != nil else { stepRun = nil; return base }
        let key = "\(step)\u{0}\(base.inspection.text)\u{0}\(base.inspection.target ?? "")\u{0}\(base.loaded.name)"
        if let kept = stepRun, kept.key == key { return kept.context }
        guard let context = try? LessonRuntime.context(for: current, from: base, load: loadModel) else { return base }
        stepRun = (key, context)
        return context
    }

    /// The step's quizzes, in order.
    public var quizzes: [EvaluatedQuiz] {
        (evaluated?.blocks ?? []).compactMap { if case .quiz(let quiz) = $0 { return quiz } else { return nil } }
    }

    /// Checks an answer to the focused quiz, records it, and keeps the feedback.
    public mutating func answer(_ text: String?, choice: Int?) {
        guard let index = focusedQuiz, quizzes.indices.contains(index) else { return }
        let quiz = quizzes[index]
        let result: QuizFeedback
        let given: String
        if let choice {
            result = quiz.check(choice: choice)
            given = quiz.options.indices.contains(choice) ? quiz.options[choice] : "\(choice)"
        } else {
            given = text ?? ""
            result = quiz.check(answer: given)
        }
        feedback[quiz.id] = (given, result)
        guard result.understood, let progress else { return }
        do { _ = try progress.record(lesson: lesson.id, quiz: quiz.id, answer: given, correct: result.correct) } catch {
            saveProblem = "\(error)"
        }
    }
}
