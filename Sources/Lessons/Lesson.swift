import Transformer

/// A lesson as read from a `Lessons/*.md` file: what it is about, which model it runs on which
/// sentence, and its steps. Plain data; `LessonRuntime` evaluates a step on a live model run.
public struct Lesson: Sendable, Equatable {
    /// A short name in lower-case words joined by hyphens (`six-steps`), unique among the lessons.
    public var id: String
    public var title: String
    /// One or two sentences for a list of lessons.
    public var summary: String
    /// The model it runs on (a name from `explorer models`).
    public var model: String
    /// The sentence the lesson starts with; the learner may change it where a step allows.
    public var input: String
    /// The decoder's input, for an encoder–decoder model.
    public var target: String?
    /// Ids of lessons a learner should take first.
    public var buildsOn: [String]
    /// Where the lesson comes in the curriculum (smaller first); lessons without one come last.
    public var order: Double?
    public var steps: [LessonStep]
    /// The file it was read from, as named to the parser (for messages).
    public var file: String
    /// The line of each front-matter field, for messages about it (`model` → 5).
    public var fieldLines: [String: Int]

    public init(id: String, title: String, summary: String, model: String, input: String, target: String? = nil,
                buildsOn: [String] = [], order: Double? = nil, steps: [LessonStep] = [], file: String = "",
                fieldLines: [String: Int] = [:]) {
        self.id = id; self.title = title; self.summary = summary; self.model = model; self.input = input
        self.target = target; self.buildsOn = buildsOn; self.order = order; self.steps = steps
        self.file = file; self.fieldLines = fieldLines
    }

    /// The line of a front-matter field (1, the opening `---`, when it is absent).
    public func line(of field: String) -> Int { fieldLines[field] ?? 1 }
}

/// One step of a lesson: a `# ` heading, its prose, what it shows and asks, and what the learner
/// may change while on it.
public struct LessonStep: Sendable, Equatable {
    /// The heading's text (`Step 1: Q, K and V`).
    public var title: String
    /// The heading's line in the file.
    public var line: Int
    /// The selection the step starts with (`@select`); nil keeps the learner's current one.
    public var selection: SelectionSpec?
    /// What the learner may change on this step (`@controls`, or the previous step's).
    public var controls: [Control]
    /// Prose, shows and quizzes in the order written.
    public var blocks: [LessonBlock]
    /// The self-attention mask the step runs the model with (`@mask`: the decoder's, in an
    /// encoder–decoder); nil runs it with the model's own mask. Not carried to the next step.
    public var mask: MaskSpec?
    /// Another model the step runs on (`@model tiny-bert`), with the learner's same sentence; nil runs
    /// it on the lesson's model. Not carried to the next step.
    public var model: ModelSpec?
    /// The step's own sentence (`@input …`), in place of the lesson's; on such a step the learner
    /// edits this sentence. Not carried to the next step.
    public var input: SentenceSpec?
    /// A second sentence the step runs beside its own (`@compare …`), for `@show compare` and
    /// `compared(…)` in expressions.
    public var compare: SentenceSpec?
    /// Claims the step's text relies on (`@expect weight('it', 'animal') > 0.5`), which `lessons check`
    /// tests on the lesson's sentence and on sentences made from it.
    public var expectations: [Expectation] = []

    public init(title: String, line: Int, selection: SelectionSpec? = nil, controls: [Control] = Control.defaults,
                blocks: [LessonBlock] = [], mask: MaskSpec? = nil, model: ModelSpec? = nil) {
        self.title = title; self.line = line; self.selection = selection; self.controls = controls; self.blocks = blocks
        self.mask = mask; self.model = model
    }

    /// The step's quizzes, in order.
    public var quizzes: [Quiz] {
        blocks.compactMap { if case .quiz(let quiz) = $0 { return quiz } else { return nil } }
    }
}

/// What a step shows, in order.
public enum LessonBlock: Sendable, Equatable {
    /// Consecutive lines of text (paragraphs separated by blank lines) with live values.
    case prose(Prose)
    /// A picture of numbers: `@show KIND NAME …`.
    case show(ShowDirective)
    /// A question: `@quiz choice` or `@quiz number …`, up to `@end`.
    case quiz(Quiz)
    /// Text and pictures shown only when a condition holds on the learner's sentence:
    /// `@if CONDITION` … (`@else` …) `@end`.
    case conditional(Conditional)

    /// The line the block starts on.
    public var line: Int {
        switch self {
        case .prose(let prose): return prose.lines.first?.line ?? 0
        case .show(let show): return show.line
        case .quiz(let quiz): return quiz.line
        case .conditional(let conditional): return conditional.line
        }
    }
}

/// `@expect CONDITION`: a claim the step's text makes, checked by `lessons check` on the lesson's
/// sentence and on variants of it (`LessonExpectations.variants`).
public struct Expectation: Sendable, Equatable {
    public var condition: Expression
    public var source: String
    public var line: Int

    public init(condition: Expression, source: String, line: Int) {
        self.condition = condition; self.source = source; self.line = line
    }
}

/// `@if CONDITION` … `@else` … `@end`: prose and pictures that keep a step's claims true on any
/// sentence. The condition is an expression (`weight('it', 'animal') > 0.5`); what follows `@else`
/// shows when it does not hold, or cannot be computed on the learner's sentence.
public struct Conditional: Sendable, Equatable {
    public var condition: Expression
    /// The condition as written, for messages.
    public var source: String
    public var then: [LessonBlock]
    public var otherwise: [LessonBlock]
    /// The `@if` line.
    public var line: Int

    public init(condition: Expression, source: String, then: [LessonBlock], otherwise: [LessonBlock], line: Int) {
        self.condition = condition; self.source = source; self.then = then; self.otherwise = otherwise; self.line = line
    }
}

/// Lines of Markdown-ish text (`**bold**`, `` `code` ``, `- ` lists) with `{{ … }}` placeholders.
public struct Prose: Sendable, Equatable {
    public var lines: [ProseLine]
    public init(lines: [ProseLine]) { self.lines = lines }
}

/// One line of prose, cut into literal text and placeholders.
public struct ProseLine: Sendable, Equatable {
    public var line: Int
    public var segments: [ProseSegment]
    public init(line: Int, segments: [ProseSegment]) { self.line = line; self.segments = segments }

    /// The placeholders on the line.
    public var placeholders: [Placeholder] {
        segments.compactMap { if case .placeholder(let p) = $0 { return p } else { return nil } }
    }
}

/// A piece of a prose line.
public enum ProseSegment: Sendable, Equatable {
    case text(String)
    case placeholder(Placeholder)
}

/// `{{ expression | decimals }}`: a live value written into the prose.
public struct Placeholder: Sendable, Equatable {
    public var expression: Expression
    /// Digits after the point for numbers; nil for the default (2, none for whole numbers).
    public var decimals: Int?
    /// The text between the braces, as written.
    public var source: String
    public var line: Int

    public init(expression: Expression, decimals: Int?, source: String, line: Int) {
        self.expression = expression; self.decimals = decimals; self.source = source; self.line = line
    }
}

/// `@select layer=0 head=1 query='it' key='animal' temperature=0.5 k=6`: where a step puts the
/// cursor. Layer, head, query and key are index expressions (a number, `last`, or a quoted token);
/// the temperature and k are numbers. Parts left out keep the learner's.
public struct SelectionSpec: Sendable, Equatable {
    public var layer: Expression?
    public var head: Expression?
    public var query: Expression?
    public var key: Expression?
    /// The sampling temperature, within `Selection.temperatureRange`.
    public var temperature: Double?
    /// Top-k's k, 1 or more.
    public var k: Int?
    public var line: Int

    public init(layer: Expression? = nil, head: Expression? = nil, query: Expression? = nil, key: Expression? = nil,
                temperature: Double? = nil, k: Int? = nil, line: Int) {
        self.layer = layer; self.head = head; self.query = query; self.key = key
        self.temperature = temperature; self.k = k; self.line = line
    }
}

/// `@mask prefix:3`: the mask a step runs the model with, in place of the model's own.
public struct MaskSpec: Sendable, Equatable {
    public var mask: AttentionMask
    /// The `@mask` line.
    public var line: Int

    public init(mask: AttentionMask, line: Int) { self.mask = mask; self.line = line }
}

/// `@input …` or `@compare …`: a sentence a step runs on.
public struct SentenceSpec: Sendable, Equatable {
    public var text: String
    /// The directive's line.
    public var line: Int

    public init(text: String, line: Int) { self.text = text; self.line = line }
}

/// `@model tiny-bert`: the model a step runs on, in place of the lesson's.
public struct ModelSpec: Sendable, Equatable {
    /// A name from `explorer models`.
    public var name: String
    /// The `@model` line.
    public var line: Int

    public init(name: String, line: Int) { self.name = name; self.line = line }
}

/// Something a learner may change on a step (`@controls`).
public enum Control: String, Sendable, Equatable, CaseIterable, Codable {
    /// Edit the sentence.
    case input
    /// Edit the decoder's input (encoder–decoder models).
    case target
    case layer
    case head
    /// Move the query (the row: the token doing the looking).
    case query
    /// Move the key (the column: the token being looked at).
    case key
    /// Turn the sampling temperature (`temperature` in an expression).
    case temperature
    /// Change top-k's k (`k` in an expression).
    case topK = "top-k"

    /// What the first step allows when it has no `@controls`.
    public static let defaults: [Control] = [.input, .query, .key]
}

/// `@show KIND [NAME] [option=value …]`.
public struct ShowDirective: Sendable, Equatable {
    public var kind: ShowKind
    /// What to show (a hook or parameter, maybe indexed); nil for `tokens` and `safetensors`, for
    /// `steps` (whose default is `blocks.{layer}.attn`) and for `params` of the lesson's model
    /// (`params gpt2-small` holds the quoted name, `'gpt2-small'`).
    public var expression: Expression?
    /// `top=10` (bars: the largest N), `columns=10,11,12` (plot), `decimals=3`, `label="…"`.
    public var top: Int?
    public var columns: [Int]?
    public var decimals: Int?
    public var label: String?
    /// The directive's text after `@show`, as written.
    public var source: String
    public var line: Int

    public init(kind: ShowKind, expression: Expression?, top: Int? = nil, columns: [Int]? = nil, decimals: Int? = nil,
                label: String? = nil, source: String, line: Int) {
        self.kind = kind; self.expression = expression; self.top = top; self.columns = columns
        self.decimals = decimals; self.label = label; self.source = source; self.line = line
    }
}

/// The kinds of picture `@show` draws.
public enum ShowKind: String, Sendable, Equatable, CaseIterable {
    /// A grid of coloured cells (an attention pattern [T,T]).
    case heatmap
    /// A grid of numbers (a weight matrix [D,dh]).
    case matrix
    /// One row of numbers (a query vector [dh]).
    case vector
    /// A distribution as horizontal bars (a row of weights, the next-token probabilities).
    case bars
    /// The columns of a matrix as curves over its rows (the position embeddings as waves).
    case plot
    /// The six steps of attention for the selected head, query and key, with every number.
    case steps
    /// The tokens as the model saw them, with positions and ids.
    case tokens
    /// A table of a model's parameter count, part by part with its formula: `@show params gpt2-small`
    /// for a preset of `explorer params`, `@show params` for the lesson's own model.
    case params
    /// A table of the entries of the model's `model.safetensors` header: name, dtype, shape, bytes.
    case safetensors
    /// The first block of a weight as a quantized file holds it: each value, its 4-bit code and what
    /// the code widens to (`@show block blocks.{layer}.attn.W_Q`). See `WeightBlock`.
    case block
    /// An attention matrix on the step's sentence and on its `@compare` sentence side by side, and
    /// their difference where the tokens line up: `@show compare blocks.{layer}.attn.pattern`.
    case compare
}

/// A question in a step.
public struct Quiz: Sendable, Equatable {
    public var kind: QuizKind
    /// The question's lines (placeholders allowed).
    public var question: Prose
    /// Lines starting `> `: shown once the learner has answered.
    public var explanation: Prose?
    /// The `@quiz` line.
    public var line: Int

    public init(kind: QuizKind, question: Prose, explanation: Prose? = nil, line: Int) {
        self.kind = kind; self.question = question; self.explanation = explanation; self.line = line
    }
}

/// The two kinds of question.
public enum QuizKind: Sendable, Equatable {
    /// Pick an option; those marked `[x]` are right.
    case choice([QuizOption])
    /// Type a number, checked against the live model's value of `answer`: right when
    /// |typed − value| ≤ tolerance.
    case number(answer: Expression, tolerance: Double, decimals: Int?, source: String)
    /// Type a token of the sentence, checked against the live model's `answer`: a position (such as
    /// `argmax(…)`) or a token's text.
    case token(answer: Expression, source: String)
}

/// `- [x] text` (right) or `- [ ] text` (wrong).
public struct QuizOption: Sendable, Equatable {
    public var text: ProseLine
    public var correct: Bool
    public var line: Int { text.line }

    public init(text: ProseLine, correct: Bool) { self.text = text; self.correct = correct }
}
