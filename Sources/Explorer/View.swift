import Lessons
import Terminal

/// The smallest terminal the explorer draws its screens in.
public let minimumSize = (width: 80, height: 24)

/// Draws the whole screen for `state`: a pure function of the state.
public func view(_ state: AppState) -> Canvas {
    var canvas = Canvas(width: state.width, height: state.height)
    let theme = state.theme.theme
    guard state.width >= minimumSize.width, state.height >= minimumSize.height else {
        let message = "terminal too small: need \(minimumSize.width)×\(minimumSize.height), have \(state.width)×\(state.height)"
        let lines = [message, "make the window larger, or press q to quit"]
        for (n, line) in lines.enumerated() {
            let y = max(0, state.height / 2 - 1 + n)
            let x = max(0, (state.width - DisplayWidth.of(line)) / 2)
            canvas.write(line, x: x, y: y, style: n == 0 ? theme.accent : theme.dim, maxWidth: state.width - x)
        }
        return canvas
    }
    switch state.screen {
    case .home: HomeScreen(state: state, theme: theme).render(into: &canvas)
    case .explore: ExploreScreen(state: state, theme: theme).render(into: &canvas)
    case .modelGrid: GridScreen(state: state, theme: theme).render(into: &canvas)
    case .residual: ResidualScreen(state: state, theme: theme).render(into: &canvas)
    case .lesson:
        if let run = state.lessonRun { LessonPage(state: state, run: run).render(into: &canvas) }
    }
    let statusArea = Rect(x: 0, y: state.height - 1, width: state.width, height: 1)
    StatusBar(left: statusLeft(state), right: statusRight(state), hints: statusHints(state), theme: theme)
        .render(into: &canvas, area: statusArea)
    if state.showHelp {
        HelpOverlay(title: "Keys", bindings: helpBindings(state),
                    footer: "Esc or ? closes this", theme: theme).render(into: &canvas, area: canvas.bounds)
    }
    return canvas
}

/// Where the text cursor should be shown (while editing), if anywhere.
public func cursorPosition(_ state: AppState) -> (x: Int, y: Int)? {
    guard let editor = state.editor, state.width >= minimumSize.width, state.height >= minimumSize.height else {
        return nil
    }
    let line = SentenceLine(state: state)
    return (min(state.width - 1, line.textX + editor.cursorColumn - line.scroll), line.y)
}

func statusLeft(_ state: AppState) -> [String] {
    if let message = state.message ?? state.lessonRun?.saveProblem { return [message] }
    if state.editor != nil { return ["editing: Enter keeps, Esc restores"] }
    return [state.session.loaded.name]
}

func statusRight(_ state: AppState) -> [String] {
    ["? help"]
}

func statusHints(_ state: AppState) -> [KeyHint] {
    if state.editor != nil { return [] }
    switch state.screen {
    case .home: return [KeyHint("↑↓", "choose"), KeyHint("Enter", "open"), KeyHint("q", "quit")]
    case .explore:
        return [KeyHint("arrows", "cell"), KeyHint("e", "edit"), KeyHint("[ ]", "layer"), KeyHint("{ }", "head"),
                KeyHint("s", "stage"), KeyHint("m", "all heads"), KeyHint("q", "quit")]
    case .modelGrid: return [KeyHint("arrows", "choose"), KeyHint("Enter", "open"), KeyHint("Esc", "back")]
    case .residual: return [KeyHint("↑↓", "token"), KeyHint("Esc", "back")]
    case .lesson:
        guard let run = state.lessonRun else { return [] }
        if run.answerEditor != nil { return [KeyHint("Enter", "check"), KeyHint("Esc", "cancel")] }
        var hints = [KeyHint("n", "next"), KeyHint("p", "previous")]
        if run.allows(.query) || run.allows(.key) { hints.append(KeyHint("arrows", "token")) }
        if !run.quizzes.isEmpty { hints.append(KeyHint("Tab", "quiz")) }
        if run.allows(.input) { hints.append(KeyHint("e", "edit")) }
        if run.allows(.layer) { hints.append(KeyHint("[ ]", "layer")) }
        if run.allows(.head) { hints.append(KeyHint("{ }", "head")) }
        if run.allows(.temperature) { hints.append(KeyHint("t T", "temperature")) }
        if run.allows(.topK) { hints.append(KeyHint("- +", "k")) }
        hints.append(KeyHint("q", "quit"))
        return hints
    }
}

func helpBindings(_ state: AppState) -> [KeyHint] {
    if state.screen == .lesson, let run = state.lessonRun { return lessonHelpBindings(run) }
    var keys = [
        KeyHint("arrows, h j k l", "move the selected cell (query row, key column)"),
        KeyHint("e or /", "edit the sentence (Enter keeps it, Esc restores it)"),
        KeyHint("[  ]", "previous / next layer (and cross-attention)"),
        KeyHint("{  }", "previous / next head"),
        KeyHint("s  S", "show scores, scaled, masked or softmax weights"),
        KeyHint("Tab", "move between the heatmap and the numbers"),
        KeyHint("z", "zoom out to an overview of the whole matrix, or back in"),
        KeyHint("m", "every layer and head at once"),
        KeyHint("r", "the residual stream"),
        KeyHint("mouse click", "select a cell or a head"),
        KeyHint("Esc", "close this, or go back a screen"),
        KeyHint("?", "this help"),
        KeyHint("q, Ctrl-C", "quit"),
    ]
    if state.screen == .home { keys.insert(KeyHint("Enter", "open the chosen item"), at: 0) }
    return keys
}

/// The keys of a lesson; those that change the selection only when the step's `@controls` allow it.
func lessonHelpBindings(_ run: LessonRun) -> [KeyHint] {
    var keys = [KeyHint("n, Space, PgDn", "next step"), KeyHint("p, PgUp", "previous step")]
    if run.allows(.query) { keys.append(KeyHint("↑ ↓, k j", "move the query (the row)")) }
    if run.allows(.key) { keys.append(KeyHint("← →, h l", "move the key (the column)")) }
    if run.allows(.layer) { keys.append(KeyHint("[  ]", "previous / next layer")) }
    if run.allows(.head) { keys.append(KeyHint("{  }", "previous / next head")) }
    if run.allows(.temperature) {
        let range = Selection.temperatureRange
        keys.append(KeyHint("t  T", "lower / raise the temperature (\(Selection.text(temperature: range.lowerBound)) to \(Selection.text(temperature: range.upperBound)))"))
    }
    if run.allows(.topK) { keys.append(KeyHint("-  + (or =)", "one token fewer / more kept by top-k (k)")) }
    keys.append(KeyHint(run.allows(.query) ? "K J" : "↑ ↓, K J", "scroll the page"))
    if !run.quizzes.isEmpty { keys.append(KeyHint("Tab", "answer the step's quizzes, one after another")) }
    if run.allows(.input) { keys.append(KeyHint("e or /", "edit the sentence (Enter keeps it, Esc restores it)")) }
    keys += [KeyHint("Esc", "close this, or go back to the lessons"), KeyHint("?", "this help"), KeyHint("q, Ctrl-C", "quit")]
    return keys
}
