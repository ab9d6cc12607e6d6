import Lessons
import Terminal

/// What a key asks for. `update` performs actions; the key tables say which key asks for which.
enum Action: Equatable, Sendable {
    case moveQuery(Int), moveKey(Int), firstKey, lastKey
    case nextSite(Int), nextHead(Int), nextStage(Int)
    case toggleOverview, togglePane, scrollDetails(Int), togglePin, toggleProjector, toggleQueryBars
    case edit, back, openExplore, openGrid, openResidual, openChosenTile
    case homeMove(Int), homeOpen
    case nextStep(Int), pageOrStep(Int), nextQuiz, scrollPage(Int), pageTop
    case temperature(Int), topK(Int)
    case help, quit
    /// Save the screen as a picture (SVG) and as text.
    case saveScreen
}

/// When a binding is in force: always, in one pane of explore, or when the lesson step allows a
/// control (or does not).
enum BindingCondition: Equatable, Sendable {
    case always
    case pane(Pane)
    case allows(Control)
    case disallows(Control)
    case hasQuizzes
}

/// Keys that ask for actions, with how the status bar and the help overlay name them.
struct KeyBinding: Sendable {
    /// Each key and what it asks for (`↑` moves the query up, `↓` down).
    var keys: [(Key, Action)]
    /// The keys as the help overlay writes them (`↑ ↓, k j`).
    var label: String
    /// What they do, for the help overlay (nil: not listed there).
    var help: String?
    /// The keys and a word for the status bar (nil: not shown there).
    var hint: KeyHint?
    var when: BindingCondition = .always
}

/// What a condition is checked against: the explore pane and the lesson step's controls.
struct BindingContext: Sendable {
    var pane: Pane = .heatmap
    var controls: [Control] = []
    var quizzes = 0

    func holds(_ condition: BindingCondition) -> Bool {
        switch condition {
        case .always: return true
        case .pane(let wanted): return pane == wanted
        case .allows(let control): return controls.contains(control)
        case .disallows(let control): return !controls.contains(control)
        case .hasQuizzes: return quizzes > 0
        }
    }
}

/// One screen's keys: dispatch, the status bar's hints and the `?` help all read this table, so the
/// three never disagree. The first binding in force that has the key wins.
struct KeyTable: Sendable {
    var bindings: [KeyBinding]

    /// The action `key` asks for in `context`, if any.
    func action(for key: Key, in context: BindingContext) -> Action? {
        for binding in bindings where context.holds(binding.when) {
            if let found = binding.keys.first(where: { $0.0 == key }) { return found.1 }
        }
        return nil
    }

    /// The status bar's hints in `context`, in table order.
    func hints(in context: BindingContext) -> [KeyHint] {
        bindings.filter { context.holds($0.when) }.compactMap(\.hint)
    }

    /// The help overlay's lines in `context`, in table order.
    func help(in context: BindingContext) -> [KeyHint] {
        bindings.filter { context.holds($0.when) }.compactMap { binding in binding.help.map { KeyHint(binding.label, $0) } }
    }

    /// The keys of `screen`.
    static func of(_ screen: Screen) -> KeyTable {
        switch screen {
        case .home: return home
        case .explore: return explore
        case .modelGrid: return grid
        case .residual: return residual
        case .lesson: return lesson
        }
    }

    static func ch(_ c: Character) -> Key { .character(c) }

    /// Saving the screen: on every screen.
    static let saveScreen = KeyBinding(keys: [(ch("P"), .saveScreen)], label: "P",
                                       help: "save the screen here (explorer-DATE-TIME.svg and .txt)")

    /// Save, help, quit: on every screen, listed last.
    static let common: [KeyBinding] = [
        saveScreen,
        KeyBinding(keys: [], label: "Esc", help: "close this, or go back a screen"),
        KeyBinding(keys: [(ch("?"), .help)], label: "?", help: "this help"),
        KeyBinding(keys: [(ch("q"), .quit)], label: "q, Ctrl-C", help: "quit", hint: KeyHint("q", "quit")),
    ]

    static let home = KeyTable(bindings: [
        KeyBinding(keys: [(.up, .homeMove(-1)), (ch("k"), .homeMove(-1)), (.down, .homeMove(1)), (ch("j"), .homeMove(1))],
                   label: "↑ ↓, k j", help: "choose a line", hint: KeyHint("↑↓", "choose")),
        KeyBinding(keys: [(.enter, .homeOpen), (ch(" "), .homeOpen)], label: "Enter", help: "open the chosen item",
                   hint: KeyHint("Enter", "open")),
        KeyBinding(keys: [(ch("e"), .openExplore), (ch("x"), .openExplore)], label: "e, x", help: "explore the open model"),
    ] + common)

    static let explore = KeyTable(bindings: [
        KeyBinding(keys: [(.up, .scrollDetails(-1)), (ch("k"), .scrollDetails(-1)), (.down, .scrollDetails(1)), (ch("j"), .scrollDetails(1))],
                   label: "↑ ↓, k j", help: "scroll the numbers", when: .pane(.details)),
        KeyBinding(keys: [(.up, .moveQuery(-1)), (ch("k"), .moveQuery(-1)), (.down, .moveQuery(1)), (ch("j"), .moveQuery(1)),
                          (.left, .moveKey(-1)), (ch("h"), .moveKey(-1)), (.right, .moveKey(1)), (ch("l"), .moveKey(1)),
                          (.pageUp, .moveQuery(-10)), (.pageDown, .moveQuery(10)), (.home, .firstKey), (.end, .lastKey)],
                   label: "arrows, h j k l", help: "move the selected cell (query row, key column)", hint: KeyHint("arrows", "cell")),
        KeyBinding(keys: [(ch("e"), .edit), (ch("/"), .edit)], label: "e or /",
                   help: "edit the sentence (Enter keeps it, Esc restores it)", hint: KeyHint("e", "edit")),
        KeyBinding(keys: [(ch("["), .nextSite(-1)), (ch("]"), .nextSite(1))], label: "[  ]",
                   help: "previous / next layer (and cross-attention)", hint: KeyHint("[ ]", "layer")),
        KeyBinding(keys: [(ch("{"), .nextHead(-1)), (ch("}"), .nextHead(1))], label: "{  }", help: "previous / next head",
                   hint: KeyHint("{ }", "head")),
        KeyBinding(keys: [(ch("s"), .nextStage(1)), (ch("S"), .nextStage(-1))], label: "s  S",
                   help: "show scores, scaled, masked or softmax weights", hint: KeyHint("s", "stage")),
        KeyBinding(keys: [(.tab, .togglePane), (.backTab, .togglePane)], label: "Tab", help: "move between the heatmap and the numbers"),
        KeyBinding(keys: [(ch("z"), .toggleOverview)], label: "z", help: "zoom out to an overview of the whole matrix, or back in"),
        KeyBinding(keys: [(ch("p"), .togglePin)], label: "p",
                   help: "pin the sentence to compare with your next edit (p unpins)"),
        KeyBinding(keys: [(ch("w"), .toggleProjector)], label: "w", help: "projector layout: the heatmap full width, bigger cells"),
        KeyBinding(keys: [(ch("m"), .openGrid), (ch("g"), .openGrid)], label: "m", help: "every layer and head at once",
                   hint: KeyHint("m", "all heads")),
        KeyBinding(keys: [(ch("r"), .openResidual)], label: "r", help: "the residual stream"),
        KeyBinding(keys: [], label: "mouse click", help: "select a cell or a head"),
        KeyBinding(keys: [(.escape, .back)], label: "Esc", help: nil),
    ] + common)

    static let grid = KeyTable(bindings: [
        KeyBinding(keys: [(.up, .nextSite(-1)), (ch("k"), .nextSite(-1)), (.down, .nextSite(1)), (ch("j"), .nextSite(1)),
                          (.left, .nextHead(-1)), (ch("h"), .nextHead(-1)), (.right, .nextHead(1)), (ch("l"), .nextHead(1))],
                   label: "arrows, h j k l", help: "choose a layer (up, down) and a head (left, right)", hint: KeyHint("arrows", "choose")),
        KeyBinding(keys: [(.enter, .openChosenTile)], label: "Enter", help: "open the chosen head", hint: KeyHint("Enter", "open")),
        KeyBinding(keys: [(ch("b"), .toggleQueryBars)], label: "b", help: "one query across all heads, as bars (or back to the tiles)",
                   hint: KeyHint("b", "one query")),
        KeyBinding(keys: [(ch(","), .moveQuery(-1)), (ch("."), .moveQuery(1))], label: ",  .", help: "previous / next query token"),
        KeyBinding(keys: [(ch("r"), .openResidual)], label: "r", help: "the residual stream"),
        KeyBinding(keys: [], label: "mouse click", help: "open a head"),
        KeyBinding(keys: [(.escape, .back), (ch("x"), .back)], label: "Esc", help: nil, hint: KeyHint("Esc", "back")),
    ] + common)

    static let residual = KeyTable(bindings: [
        KeyBinding(keys: [(.up, .moveQuery(-1)), (ch("k"), .moveQuery(-1)), (.down, .moveQuery(1)), (ch("j"), .moveQuery(1))],
                   label: "↑ ↓, k j", help: "choose the token", hint: KeyHint("↑↓", "token")),
        KeyBinding(keys: [(ch("m"), .openGrid), (ch("g"), .openGrid)], label: "m", help: "every layer and head at once"),
        KeyBinding(keys: [(.escape, .back), (ch("x"), .back)], label: "Esc", help: nil, hint: KeyHint("Esc", "back")),
    ] + common)

    static let lesson = KeyTable(bindings: [
        KeyBinding(keys: [(ch("n"), .nextStep(1))], label: "n", help: "next step", hint: KeyHint("n", "next")),
        KeyBinding(keys: [(ch("p"), .nextStep(-1))], label: "p", help: "previous step", hint: KeyHint("p", "previous")),
        KeyBinding(keys: [(ch(" "), .pageOrStep(1)), (.pageDown, .pageOrStep(1))], label: "Space, PgDn",
                   help: "a page down; at the end of the step, the next step"),
        KeyBinding(keys: [(.pageUp, .pageOrStep(-1))], label: "PgUp", help: "a page up; at the top, the previous step"),
        KeyBinding(keys: [(.up, .moveQuery(-1)), (ch("k"), .moveQuery(-1)), (.down, .moveQuery(1)), (ch("j"), .moveQuery(1))],
                   label: "↑ ↓, k j", help: "move the query (the row)", hint: KeyHint("arrows", "token"), when: .allows(.query)),
        KeyBinding(keys: [(.left, .moveKey(-1)), (ch("h"), .moveKey(-1)), (.right, .moveKey(1)), (ch("l"), .moveKey(1))],
                   label: "← →, h l", help: "move the key (the column)", when: .allows(.key)),
        KeyBinding(keys: [(ch("["), .nextSite(-1)), (ch("]"), .nextSite(1))], label: "[  ]", help: "previous / next layer",
                   hint: KeyHint("[ ]", "layer"), when: .allows(.layer)),
        KeyBinding(keys: [(ch("{"), .nextHead(-1)), (ch("}"), .nextHead(1))], label: "{  }", help: "previous / next head",
                   hint: KeyHint("{ }", "head"), when: .allows(.head)),
        KeyBinding(keys: [(ch("t"), .temperature(-1)), (ch("T"), .temperature(1))], label: "t  T",
                   help: "lower / raise the temperature (\(Selection.text(temperature: Selection.temperatureRange.lowerBound)) to \(Selection.text(temperature: Selection.temperatureRange.upperBound)))",
                   hint: KeyHint("t T", "temperature"), when: .allows(.temperature)),
        KeyBinding(keys: [(ch("-"), .topK(-1)), (ch("+"), .topK(1)), (ch("="), .topK(1))], label: "-  + (or =)",
                   help: "one token fewer / more kept by top-k (k)", hint: KeyHint("- +", "k"), when: .allows(.topK)),
        KeyBinding(keys: [(ch("K"), .scrollPage(-1)), (ch("J"), .scrollPage(1))], label: "K J", help: "scroll the page a line"),
        KeyBinding(keys: [(.tab, .nextQuiz)], label: "Tab", help: "answer the step's quizzes, one after another",
                   hint: KeyHint("Tab", "quiz"), when: .hasQuizzes),
        KeyBinding(keys: [(ch("e"), .edit), (ch("/"), .edit)], label: "e or /",
                   help: "edit the sentence (Enter keeps it, Esc restores it)", hint: KeyHint("e", "edit"), when: .allows(.input)),
        KeyBinding(keys: [(.home, .pageTop)], label: "Home", help: nil),
        saveScreen,
        KeyBinding(keys: [(.escape, .back)], label: "Esc", help: "close this, or go back to the lessons"),
        KeyBinding(keys: [(ch("?"), .help)], label: "?", help: "this help"),
        KeyBinding(keys: [(ch("q"), .quit)], label: "q, Ctrl-C", help: "quit", hint: KeyHint("q", "quit")),
    ])
}
