import Lessons
import Terminal
import Transformer

/// The screens of the explorer.
public enum Screen: Equatable, Sendable {
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
public enum ScoreStage: String, CaseIterable, Sendable {
    case scores, scaled, masked, pattern

    /// A label for the learner.
    public var title: String {
        switch self {
        case .scores: return "scores q·k (step 2)"
        case .scaled: return "scaled ÷√dh (step 3)"
        case .masked: return "masked scores"
        case .pattern: return "softmax weights (step 4)"
        }
    }

    /// A shorter label, where the title does not fit.
    public var shortTitle: String {
        switch self {
        case .scores: return "q·k"
        case .scaled: return "÷√dh"
        case .masked: return "masked"
        case .pattern: return "softmax"
        }
    }
}

/// The panes of the explore screen that Tab moves between.
public enum Pane: CaseIterable, Sendable {
    case heatmap, details
}

/// Everything the explorer shows, as one value: `update` makes the next one from an event,
/// `view` draws it. Nothing here touches the terminal.
public struct AppState: Sendable {
    public var width: Int
    public var height: Int
    public var screen: Screen = .home
    public var session: ModelSession
    /// The models the home screen offers.
    public var models: [ModelCatalog.Entry]
    public var homeSelection = 0
    /// Which attention site (`blocks.0.attn`, …) of `session.sites` is shown.
    public var siteIndex = 0
    public var head = 0
    public var stage: ScoreStage = .pattern
    /// The selected cell: query row and key column.
    public var row = 0
    public var column = 0
    public var pane: Pane = .heatmap
    /// The first row and column the heatmap showed last frame (it scrolls as little as possible).
    public var heatmapOrigin = MatrixIndex.zero
    /// The heatmap as an overview: one column and half a line per cell, so long inputs fit.
    public var overview = false
    /// How far the numbers pane is scrolled, in lines.
    public var detailsOffset = 0
    /// The lesson being followed (on the `.lesson` screen).
    public var lessonRun: LessonRun?
    /// The lessons the home screen offers, in curriculum order.
    public var lessons: [Lesson] = []
    /// Where lesson progress is saved (nil: nowhere, e.g. in tests).
    public var progressStore: ProgressStore?
    /// Non-nil while the sentence is being edited.
    public var editor: LineEditor?
    public var showHelp = false
    public var theme: ThemeChoice
    public var quit = false
    /// A one-line message for the status bar (an error loading a model, …).
    public var message: String?
    /// Loads a model by catalog name; the app passes the real loader, tests a fake.
    public var loadModel: @Sendable (String) throws -> LoadedModel

    public init(session: ModelSession, models: [ModelCatalog.Entry], width: Int, height: Int,
                screen: Screen = .home, theme: ThemeChoice = ThemeChoice(),
                loadModel: @escaping @Sendable (String) throws -> LoadedModel) {
        self.session = session
        self.models = models
        self.width = width
        self.height = height
        self.screen = screen
        self.theme = theme
        self.loadModel = loadModel
        row = max(0, (session.inspection?.tokens.count ?? 1) - 1)
        clampSelection()
    }

    /// The attention site shown, e.g. `blocks.0.attn`.
    public var site: String? {
        let sites = session.sites
        return sites.isEmpty ? nil : sites[min(siteIndex, sites.count - 1)]
    }

    /// The number of heads of the site shown.
    public var heads: Int {
        guard let site, let pattern = session.cache?[site + ".pattern"] else { return 1 }
        return pattern.shape[0]
    }

    /// Keeps the site, head and cell inside what the latest run has.
    mutating func clampSelection() {
        let sites = session.sites
        siteIndex = min(max(0, siteIndex), max(0, sites.count - 1))
        head = min(max(0, head), max(0, heads - 1))
        if let site, let pattern = session.cache?[site + ".pattern"] {
            row = min(max(0, row), pattern.shape[1] - 1)
            column = min(max(0, column), pattern.shape[2] - 1)
        } else {
            row = 0
            column = 0
        }
    }
}

/// The look the user chose: theme (dark or light background), palette family, monochrome.
public struct ThemeChoice: Equatable, Sendable {
    public enum Background: String, Sendable { case dark, light }
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
