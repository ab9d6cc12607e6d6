import Lessons

/// The lesson screen's own state: which lesson and step, the step as last evaluated on the live run,
/// the quiz the keyboard is in, the learner's answers, and how far the page is scrolled.
public struct LessonState: Equatable, Codable, Sendable {
    public var id: String
    public var title: String
    public var stepCount: Int
    /// 0-based.
    public var step: Int
    /// The step evaluated on the run on screen (nil until the first evaluation lands).
    public var evaluated: EvaluatedStep?
    /// The newest evaluation asked for and not landed yet.
    public var pendingEvaluation: Int?
    /// Whether the step was entered and its evaluation with the step's `@select` has not landed yet.
    public var entering = true
    /// The parts of the selection the learner chose on this step (kept across edits of the
    /// sentence; the others follow the step's `@select`).
    public var learnerParts: Set<SelectionPart> = []
    /// Which quiz of the step has the keyboard (nil: the page does).
    public var focusedQuiz: Int?
    /// The option under the cursor in a focused choice quiz.
    public var choiceCursor = 0
    /// The answer being typed into a focused number quiz.
    public var answerEditor: LineEditor?
    /// The learner's answers given in this session, by quiz id (`"2.1"`).
    public var answers: [String: String] = [:]
    /// Lines scrolled off the top of the page.
    public var scroll = 0
    /// A quiz whose first line the next frame scrolls to.
    public var scrollToQuiz: Int?

    /// The lesson's sentence as the learner left it (steps without `@input` run on it).
    public var sentence = ""
    /// Each step's own sentence (`@input`), nil for a step on the lesson's sentence.
    public var stepInputs: [String?] = []
    /// The learner's edits of steps' own sentences, by step.
    public var stepSentences: [Int: String] = [:]

    public init(id: String, title: String, stepCount: Int, step: Int) {
        self.id = id; self.title = title; self.stepCount = stepCount; self.step = step
    }

    /// The sentence step `index` runs on: its own (as the learner edited it) or the lesson's.
    public func sentence(forStep index: Int) -> String {
        guard stepInputs.indices.contains(index), let own = stepInputs[index] else { return sentence }
        return stepSentences[index] ?? own
    }

    /// Keeps `text`, the sentence on screen, as the current step's: its own sentence's edit, or the lesson's.
    public mutating func keep(sentence text: String) {
        if stepInputs.indices.contains(step), stepInputs[step] != nil { stepSentences[step] = text } else { sentence = text }
    }

    /// What the learner may change on this step.
    public var controls: [Control] { evaluated?.controls ?? [] }
    public func allows(_ control: Control) -> Bool { controls.contains(control) }

    /// The step's quizzes, in order.
    public var quizzes: [EvaluatedQuiz] {
        (evaluated?.blocks ?? []).compactMap { if case .quiz(let quiz) = $0 { return quiz } else { return nil } }
    }

    /// The answer given to `quiz`: in this session, else the one saved in `progress`.
    public func given(_ quiz: EvaluatedQuiz, progress: Progress?) -> String? {
        answers[quiz.id] ?? progress?.lessons[id]?.answers[quiz.id]?.answer
    }

    /// The answer given to `quiz` checked against the quiz as evaluated now, on the live sentence:
    /// an answer right on one sentence is checked again when the sentence changes.
    public func feedback(_ quiz: EvaluatedQuiz, progress: Progress?) -> QuizFeedback? {
        given(quiz, progress: progress).map { quiz.check(answer: $0) }
    }

    /// The keys' context: the step's controls and quizzes.
    var bindingContext: BindingContext { BindingContext(controls: controls, quizzes: quizzes.count) }
}
