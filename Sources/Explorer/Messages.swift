import Lessons
import Terminal
import Transformer

/// What `update` reacts to: the terminal's events and the answers to the effects it asked for.
/// Every answer carries the id of the request it answers, so a stale one is recognised and dropped.
public enum Message: Equatable, Sendable {
    /// A key, a paste, a mouse action or a resize.
    case event(Event)
    /// A run finished: what the state needs of it (its tensors are in the store under `summary.id`).
    case ran(RunSummary)
    /// A run is still loading its model: how far the model file has got (large files only).
    case loading(id: Int, progress: LoadProgress)
    /// A run could not be made (the model would not load, the text has no tokens, …).
    case runFailed(id: Int, model: String, reason: String)
    /// A lesson step evaluated on a run, with the selection it starts from and which parts of it
    /// the learner chose.
    case stepEvaluated(StepResult)
    /// The progress file as read or just written.
    case progressLoaded(Progress)
    /// Reading or writing the progress file failed.
    case progressFailed(String)
    /// The frame just drawn, and where its parts went (for mouse clicks and scrolling).
    case drawn(FrameLayout)
    /// The screen was saved: the status line's note saying where.
    case screenSaved(String)
    /// The screen could not be saved, and why.
    case screenSaveFailed(String)
}

/// Work `update` asks for and does not do itself: each is performed off the UI thread by a runner,
/// whose answers come back as messages.
public enum Effect: Equatable, Sendable {
    /// Load the model (when it is not loaded yet) and run it on the text; answered by `.ran` or
    /// `.runFailed`. A newer run request replaces one that has not started yet.
    case run(RunRequest)
    /// Evaluate a lesson step on a run; answered by `.stepEvaluated`.
    case evaluateStep(StepRequest)
    /// Read the progress file; answered by `.progressLoaded` or `.progressFailed`.
    case loadProgress
    /// Record the step a learner reached; answered by `.progressLoaded` or `.progressFailed`.
    case saveStep(lesson: String, step: Int)
    /// Record a quiz answer; answered by `.progressLoaded` or `.progressFailed`.
    case saveAnswer(lesson: String, quiz: String, answer: String, correct: Bool)
    /// Keep this run's tensors in the store whatever runs come after (nil: keep none); no answer.
    case keepRun(Int?)
    /// Save the screen `state` draws as `explorer-YYYYMMDD-HHMMSS.svg` and `.txt` in the environment's
    /// folder, never over an existing file; answered by `.screenSaved` or `.screenSaveFailed`.
    case saveScreen(AppState)
}

/// A run the app wants: which model on which input, under which request id.
public struct RunRequest: Equatable, Codable, Sendable {
    public var id: Int
    public var input: RunInput
    /// How long to wait before starting (typing is debounced), in milliseconds; a newer request
    /// arriving meanwhile replaces this one.
    public var delayMilliseconds: Int

    public init(id: Int, input: RunInput, delayMilliseconds: Int = 0) {
        self.id = id; self.input = input; self.delayMilliseconds = delayMilliseconds
    }
}

/// What the state keeps of a finished run: its id in the store and the facts screens and
/// `update` need without reading tensors (tokens for anchoring the selection, attention sites).
public struct RunSummary: Equatable, Codable, Sendable {
    public var id: Int
    public var input: RunInput
    /// The model's name and architecture.
    public var model: String
    public var architecture: String
    /// The self-attention mask the run used.
    public var mask: AttentionMask
    /// The input's tokens as the vocabulary writes them (the encoder's, in an encoder–decoder).
    public var tokens: [String]
    /// The decoder's tokens in an encoder–decoder.
    public var decoderTokens: [String]?
    /// The attention sites the run recorded, in the model's order.
    public var sites: [AttentionSite]
    /// Layers of the model's stack (the larger stack in an encoder–decoder) and its vocabulary size.
    public var layers: Int
    public var vocabulary: Int

    public init(id: Int, input: RunInput, model: String, architecture: String, mask: AttentionMask, tokens: [String],
                decoderTokens: [String]?, sites: [AttentionSite], layers: Int, vocabulary: Int) {
        self.id = id; self.input = input; self.model = model; self.architecture = architecture; self.mask = mask
        self.tokens = tokens; self.decoderTokens = decoderTokens; self.sites = sites
        self.layers = layers; self.vocabulary = vocabulary
    }

    /// The tokens of one side of a site: its queries' or its keys'.
    public func tokens(_ source: TokenSource) -> [String] {
        source == .decoder ? decoderTokens ?? [] : tokens
    }
}

/// One attention site of a run (`blocks.0.attn`, `decoder.blocks.1.cross_attn`, …): the model's
/// typed site and the sizes of its pattern in this run.
public struct AttentionSite: Equatable, Codable, Sendable {
    /// Where the attention is: its stack, its block, self- or cross-attention.
    public var site: Site
    public var heads: Int
    /// Query and key counts.
    public var queries: Int
    public var keys: Int

    public init(site: Site, heads: Int, queries: Int, keys: Int) {
        self.site = site; self.heads = heads; self.queries = queries; self.keys = keys
    }

    /// The start of its hooks' names (`blocks.0.attn`).
    public var name: String { site.name }
    public var layer: Int { site.layer ?? 0 }
    /// Which token list the queries count, and which the keys (the encoder's in cross-attention).
    public var querySource: TokenSource { site.queryTokens }
    public var keySource: TokenSource { site.keyTokens }
}

/// A lesson step to evaluate on a run.
public struct StepRequest: Equatable, Codable, Sendable {
    public var id: Int
    public var lesson: String
    public var step: Int
    /// The run in the store to evaluate on.
    public var run: Int
    /// The learner's selection now, and which of its parts the learner chose (kept where the step
    /// allows them; the rest come from the step's `@select`).
    public var selection: Selection
    public var learnerParts: Set<SelectionPart>
    /// True when the learner just arrived at the step (its `@select` then takes the parts it names).
    public var entering: Bool

    public init(id: Int, lesson: String, step: Int, run: Int, selection: Selection, learnerParts: Set<SelectionPart>,
                entering: Bool) {
        self.id = id; self.lesson = lesson; self.step = step; self.run = run; self.selection = selection
        self.learnerParts = learnerParts; self.entering = entering
    }
}

/// The answer to a `StepRequest`.
public struct StepResult: Equatable, Codable, Sendable {
    public var id: Int
    public var selection: Selection
    public var learnerParts: Set<SelectionPart>
    public var evaluated: EvaluatedStep

    public init(id: Int, selection: Selection, learnerParts: Set<SelectionPart>, evaluated: EvaluatedStep) {
        self.id = id; self.selection = selection; self.learnerParts = learnerParts; self.evaluated = evaluated
    }
}

/// The parts of a selection a learner can change, each through one `Control`.
public enum SelectionPart: String, CaseIterable, Codable, Sendable {
    case layer, head, query, key, temperature, k

    /// The control that lets a learner change this part.
    public var control: Control {
        switch self {
        case .layer: return .layer
        case .head: return .head
        case .query: return .query
        case .key: return .key
        case .temperature: return .temperature
        case .k: return .topK
        }
    }
}

