import Lessons
import Terminal
import Transformer

/// The screens of the explorer.
public enum Screen: String, Equatable, Codable, Sendable {
    /// Choose what to do: explore a model, pick another model.
    case home
    /// One attention head as a heatmap, with the selected query's numbers beside it.
    case explore
    /// Every layer × head as a small heatmap.
    case modelGrid
    /// The residual stream: per-token norms after each stage of each block.
    case residual
    /// A lesson, step by step.
    case lesson
}

/// Which of the attention tensors the heatmap shows (DESIGN.md's steps 2–4).
public enum ScoreStage: String, CaseIterable, Codable, Sendable {
    case scores, scaled, masked, pattern

    /// A label for the learner.
    public var title: String {
        switch self {
        case .scores: return "scores q·k (step 2)"
        case .scaled: return "scaled ÷√d_k (step 3)"
        case .masked: return "masked scores"
        case .pattern: return "softmax weights (step 4)"
        }
    }

    /// The hook it is at an attention site.
    public var point: Hook.Point {
        switch self {
        case .scores: return .scores
        case .scaled: return .scaled
        case .masked: return .masked
        case .pattern: return .pattern
        }
    }

    /// A shorter label, where the title does not fit.
    public var shortTitle: String {
        switch self {
        case .scores: return "q·k"
        case .scaled: return "÷√d_k"
        case .masked: return "masked"
        case .pattern: return "softmax"
        }
    }
}

/// The panes of the explore screen that Tab moves between.
public enum Pane: String, CaseIterable, Codable, Sendable {
    case heatmap, details
}

/// What the model is asked to run on: the model, the learner's sentence, the decoder's input and
/// a mask override. The newest request is what the screen is heading for.
public struct RunInput: Equatable, Codable, Sendable {
    public var model: String
    public var text: String
    /// The decoder's input in an encoder–decoder (nil: none).
    public var target: String?
    /// A mask override (nil: the model's own).
    public var mask: AttentionMask?

    public init(model: String, text: String, target: String? = nil, mask: AttentionMask? = nil) {
        self.model = model; self.text = text; self.target = target; self.mask = mask
    }
}

/// The home screen's own state: which line is chosen.
public struct HomeState: Equatable, Codable, Sendable {
    public var chosen = 0
    public init() {}
}

/// The explore screen's own state: what the heatmap shows and where the keyboard is.
public struct ExploreState: Equatable, Codable, Sendable {
    public var stage: ScoreStage = .pattern
    public var pane: Pane = .heatmap
    /// The heatmap as an overview: one column and half a line per cell, so long inputs fit.
    public var overview = false
    /// How far the numbers pane is scrolled, in lines.
    public var detailsOffset = 0
    /// A run pinned for comparison (`p`): once the sentence changes, the screen shows the pinned and
    /// the new heatmap side by side with their difference. Its tensors stay in the store while pinned.
    public var pinned: RunSummary?
    /// The projector layout: the heatmap across the whole width with bold labels, the numbers pane
    /// below it when there is room, else left out.
    public var projector = false
    public init() {}
}

/// What the all-heads screen shows.
public struct GridState: Equatable, Codable, Sendable {
    /// One query across all heads: the selected query's row of every head's pattern, as bars over
    /// the key tokens (false: every head's whole pattern as a small tile).
    public var queryBars = false
    public init() {}
}

/// One lesson the home screen offers.
public struct LessonEntry: Equatable, Codable, Sendable {
    public var id: String
    public var title: String
    public var steps: Int
    /// The model, sentence and decoder input the lesson opens on.
    public var model: String
    public var input: String
    public var target: String?
    /// Each step's own sentence (`@input`), nil for a step on the lesson's sentence.
    public var stepInputs: [String?]

    public init(id: String, title: String, steps: Int, model: String, input: String, target: String? = nil,
                stepInputs: [String?] = []) {
        self.id = id; self.title = title; self.steps = steps; self.model = model; self.input = input; self.target = target
        self.stepInputs = stepInputs
    }

    /// The entry for a parsed lesson.
    public init(_ lesson: Lesson) {
        self.init(id: lesson.id, title: lesson.title, steps: lesson.steps.count, model: lesson.model, input: lesson.input,
                  target: lesson.target, stepInputs: lesson.steps.map { $0.input?.text })
    }
}

/// Everything the explorer shows, as one value: `update` makes the next one from a message, `view`
/// draws it with the runs the store holds. No closures, no models, no tensors: a state can be
/// compared, saved and sent to another screen. Nothing here touches the terminal.
public struct AppState: Equatable, Codable, Sendable {
    public var width: Int
    public var height: Int
    public var screen: Screen = .home
    /// What the model should run on now (the newest request).
    public var input: RunInput
    /// The run on screen: its id in the store and what the state needs of it (tokens, sites).
    public var run: RunSummary?
    /// The newest run asked for and not yet landed (the screen marks it "running…").
    public var pendingRun: Int?
    /// How far the pending run's model file has loaded, while a large one loads (the status line shows it).
    public var loading: LoadProgress?
    /// The id the next run request takes; ids only grow, so a stale answer is recognised.
    public var nextRequest = 1
    /// Why the newest text could not run (too long, no tokens, …); the last run stays shown.
    public var problem: String?
    /// The one selection every screen shares: layer, head, query and key tokens, temperature, k.
    public var selection = Selection()
    /// The attention site the explore, grid and residual screens show (index into `run.sites`);
    /// `selection.layer` follows it.
    public var siteIndex = 0
    public var home = HomeState()
    public var explore = ExploreState()
    /// The all-heads screen: tiles, or one query's weights across every head as bars.
    public var grid = GridState()
    /// The lesson being followed (on the `.lesson` screen).
    public var lesson: LessonState?
    /// The models the home screen offers.
    public var models: [ModelCatalog.Entry]
    /// The lessons the home screen offers, in curriculum order.
    public var lessons: [LessonEntry] = []
    /// The learner's saved progress, as last read or written.
    public var progress: Progress?
    /// Non-nil while the sentence is being edited.
    public var editor: LineEditor?
    public var showHelp = false
    public var theme: ThemeChoice
    public var quit = false
    /// A one-line message for the status bar (an error loading a model, …).
    public var message: String?
    /// What the last frame laid out, for mouse clicks and scrolling (set after each frame).
    public var layout = FrameLayout()

    public init(input: RunInput, models: [ModelCatalog.Entry], width: Int, height: Int,
                screen: Screen = .home, theme: ThemeChoice = ThemeChoice()) {
        self.input = input
        self.models = models
        self.width = width
        self.height = height
        self.screen = screen
        self.theme = theme
    }

    /// The attention site shown.
    public var site: AttentionSite? {
        guard let sites = run?.sites, !sites.isEmpty else { return nil }
        return sites[min(max(0, siteIndex), sites.count - 1)]
    }

    /// The number of heads of the site shown.
    public var heads: Int { site?.heads ?? 1 }

    /// Whether a newer run than the one shown is on its way.
    public var isRunning: Bool { pendingRun != nil }

    /// Keeps the site, head and cell inside what the run on screen has.
    mutating func clampSelection() {
        let sites = run?.sites ?? []
        siteIndex = min(max(0, siteIndex), max(0, sites.count - 1))
        guard let site else {
            selection.query = 0
            selection.key = 0
            return
        }
        selection.layer = site.layer
        selection.head = min(max(0, selection.head), max(0, site.heads - 1))
        selection.query = min(max(0, selection.query), max(0, site.queries - 1))
        selection.key = min(max(0, selection.key), max(0, site.keys - 1))
    }
}

/// The look the user chose: theme (dark or light background), palette family, monochrome.
public struct ThemeChoice: Equatable, Codable, Sendable {
    /// `projector`: a light background with black bold text and no washed-out greys.
    public enum Background: String, Codable, Sendable { case dark, light, projector }
    public var background: Background = .dark
    /// No colour at all: shade glyphs and numbers (set by `NO_COLOR` or a terminal without colours).
    public var monochrome = false
    /// A colour-blind-safe sequential palette.
    public var colorBlindSafe = false
    public init(background: Background = .dark, monochrome: Bool = false, colorBlindSafe: Bool = false) {
        self.background = background
        self.monochrome = monochrome
        self.colorBlindSafe = colorBlindSafe
    }
}
