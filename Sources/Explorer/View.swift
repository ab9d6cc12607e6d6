import Lessons
import Terminal
import Transformer

/// The smallest terminal the explorer draws its screens in.
public let minimumSize = (width: 80, height: 24)

/// Draws the whole screen for `state`, with the run it names read from `store`: the cells, and where
/// the parts that mouse clicks and scrolling need went.
public func view(_ state: AppState, store: RunStore) -> Frame {
    var canvas = Canvas(width: state.width, height: state.height)
    var layout = FrameLayout()
    let theme = state.theme.theme
    guard state.width >= minimumSize.width, state.height >= minimumSize.height else {
        let message = "terminal too small: need \(minimumSize.width)×\(minimumSize.height), have \(state.width)×\(state.height)"
        let lines = [message, "make the window larger, or press q to quit"]
        for (n, line) in lines.enumerated() {
            let y = max(0, state.height / 2 - 1 + n)
            let x = max(0, (state.width - DisplayWidth.of(line)) / 2)
            canvas.write(line, x: x, y: y, style: n == 0 ? theme.accent : theme.dim, maxWidth: state.width - x)
        }
        return Frame(canvas: canvas, layout: layout)
    }
    guard let session = store.session(for: state) else {
        canvas.write("loading \(state.input.model)…" + (state.loading.map { " \(loadedPercent($0))" } ?? ""),
                     x: 1, y: 1, style: theme.dim, maxWidth: state.width - 2)
        return Frame(canvas: canvas, layout: layout)
    }
    let scene = Scene(app: state, session: session, pinned: state.explore.pinned.flatMap { store.run($0.id) })
    switch state.screen {
    case .home: HomeScreen(state: scene, theme: theme).render(into: &canvas)
    case .explore:
        layout.heatmap = ExploreScreen(state: scene, theme: theme).render(into: &canvas)
        layout.detailsHidden = ExploreLayout(scene).detailsArea.isEmpty
    case .modelGrid: layout.tiles = GridScreen(state: scene, theme: theme).render(into: &canvas)
    case .residual: ResidualScreen(state: scene, theme: theme).render(into: &canvas)
    case .lesson:
        if let lesson = state.lesson {
            let page = LessonPage(state: scene, lesson: lesson)
            (layout.lessonScroll, layout.lessonMaxScroll, layout.lessonPageHeight) = page.render(into: &canvas)
        }
    }
    let statusArea = Rect(x: 0, y: state.height - 1, width: state.width, height: 1)
    StatusBar(left: statusLeft(scene), right: statusRight(state), hints: statusHints(state), theme: theme)
        .render(into: &canvas, area: statusArea)
    if state.showHelp {
        HelpOverlay(title: "Keys", bindings: helpBindings(state),
                    footer: "Esc or ? closes this", theme: theme).render(into: &canvas, area: canvas.bounds)
    }
    return Frame(canvas: canvas, layout: layout)
}

/// Where the text cursor should be shown (while editing), if anywhere.
public func cursorPosition(_ state: AppState) -> (x: Int, y: Int)? {
    guard let editor = state.editor, state.width >= minimumSize.width, state.height >= minimumSize.height else {
        return nil
    }
    let line = SentenceLine(state: state)
    return (min(state.width - 1, line.textX + editor.cursorColumn - line.scroll), line.y)
}

func statusLeft(_ scene: Scene) -> [String] {
    if let message = scene.message { return [message] }
    if scene.editor != nil { return ["editing: Enter keeps, Esc restores"] }
    // A lesson step on another model (`@model`) names the model its numbers come from, as its title does.
    if scene.screen == .lesson, let model = scene.lesson?.evaluated?.model { return [model] }
    return [scene.session.loaded.name]
}

/// "running…" while a newer run than the one shown is on its way ("loading 45%" while its large model
/// file loads), and the help key.
func statusRight(_ state: AppState) -> [String] {
    if state.isRunning, let loading = state.loading { return ["loading \(loadedPercent(loading))", "? help"] }
    return state.isRunning ? ["running…", "? help"] : ["? help"]
}

/// A load's progress as a whole percentage: `45%`.
func loadedPercent(_ progress: LoadProgress) -> String {
    "\(Int(min(max(progress.fraction, 0), 1) * 100))%"
}

/// The keys in force on the screen, from its key table.
func statusHints(_ state: AppState) -> [KeyHint] {
    if state.editor != nil { return [] }
    if let lesson = state.lesson, state.screen == .lesson {
        if lesson.answerEditor != nil { return [KeyHint("Enter", "check"), KeyHint("Esc", "cancel")] }
        if let focused = lesson.focusedQuiz, lesson.quizzes.indices.contains(focused) {
            let answering = lesson.quizzes[focused].options.isEmpty
                ? [KeyHint("type", "an answer")] : [KeyHint("↑↓", "choose"), KeyHint("Enter", "answer")]
            return answering + [KeyHint("Tab", "next quiz"), KeyHint("Esc", "leave the quiz")]
        }
        return KeyTable.lesson.hints(in: lesson.bindingContext)
    }
    return KeyTable.of(state.screen).hints(in: BindingContext(pane: state.explore.pane))
}

/// The help overlay's lines, from the screen's key table.
func helpBindings(_ state: AppState) -> [KeyHint] {
    if let lesson = state.lesson, state.screen == .lesson { return KeyTable.lesson.help(in: lesson.bindingContext) }
    return KeyTable.of(state.screen).help(in: BindingContext(pane: state.explore.pane))
}
