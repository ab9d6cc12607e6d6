import Terminal
import Transformer

/// The next state after an event. Pure but for running the model on new text.
public func update(_ state: inout AppState, _ event: Event) {
    if case .resize(let width, let height) = event {
        state.width = width
        state.height = height
        return
    }
    if case .key(.ctrl("c")) = event {
        state.quit = true
        return
    }
    if state.editor != nil {
        updateEditing(&state, event)
        return
    }
    if state.screen == .lesson, state.lessonRun?.answerEditor != nil {
        updateLesson(&state, event)
        return
    }
    if state.showHelp {
        switch event {
        case .key(.escape), .key(.character("?")), .key(.enter): state.showHelp = false
        case .key(.character("q")): state.quit = true
        default: break
        }
        return
    }
    switch event {
    case .key(.character("?")):
        state.showHelp = true
        return
    case .key(.character("q")):
        state.quit = true
        return
    default:
        break
    }
    switch state.screen {
    case .home: updateHome(&state, event)
    case .explore: updateExplore(&state, event)
    case .modelGrid: updateGrid(&state, event)
    case .residual: updateResidual(&state, event)
    case .lesson: updateLesson(&state, event)
    }
    if state.screen == .explore { state.heatmapOrigin = ExploreLayout(state).heatmapOrigin }
}

func updateHome(_ state: inout AppState, _ event: Event) {
    let items = state.homeItems
    switch event {
    case .key(.up), .key(.character("k")): state.homeSelection = max(0, state.homeSelection - 1)
    case .key(.down), .key(.character("j")): state.homeSelection = min(items.count - 1, state.homeSelection + 1)
    case .key(.enter), .key(.character(" ")):
        switch items[min(state.homeSelection, items.count - 1)] {
        case .explore: state.screen = .explore
        case .lesson(let lesson): openLesson(&state, lesson)
        case .model(let entry): switchModel(&state, to: entry.name)
        }
    case .key(.character("e")), .key(.character("x")): state.screen = .explore
    default: break
    }
}

/// Loads another model, keeping the sentence; reports a failure in the status line.
func switchModel(_ state: inout AppState, to name: String) {
    do {
        let loaded = try state.loadModel(name)
        state.session = ModelSession(loaded: loaded, text: state.session.text)
        state.siteIndex = 0
        state.head = 0
        state.row = max(0, (state.session.inspection?.tokens.count ?? 1) - 1)
        state.column = 0
        state.screen = .explore
        state.message = nil
        state.clampSelection()
    } catch {
        state.message = "cannot open \(name): \(error)"
    }
}

func updateEditing(_ state: inout AppState, _ event: Event) {
    guard var editor = state.editor else { return }
    switch event {
    case .key(.enter):
        state.editor = nil
        return
    case .key(.escape):
        state.editor = nil
        if state.session.text != editor.original {
            state.session.update(text: editor.original)
            state.clampSelection()
            state.lessonRun?.reevaluate(session: state.session)
        }
        return
    default:
        break
    }
    if editor.apply(event) {
        // The model re-runs as the learner types; a selection on the last token stays on the last token.
        let lastRow = (state.session.inspection?.tokens.count ?? 1) - 1
        let followsEnd = state.row >= lastRow
        state.session.update(text: editor.text)
        if followsEnd { state.row = Int.max / 2 }
        state.clampSelection()
        state.lessonRun?.reevaluate(session: state.session)
    }
    state.editor = editor
}

func updateExplore(_ state: inout AppState, _ event: Event) {
    let sites = state.session.sites.count
    switch event {
    case .key(.character("e")), .key(.character("/")):
        state.editor = LineEditor(state.session.text)
    case .key(.escape): state.screen = .home
    case .key(.tab): state.pane = state.pane == .heatmap ? .details : .heatmap
    case .key(.backTab): state.pane = state.pane == .heatmap ? .details : .heatmap
    case .key(.up) where state.pane == .details, .key(.character("k")) where state.pane == .details:
        state.detailsOffset = max(0, state.detailsOffset - 1)
    case .key(.down) where state.pane == .details, .key(.character("j")) where state.pane == .details:
        state.detailsOffset += 1
    case .key(.up), .key(.character("k")): state.row -= 1
    case .key(.down), .key(.character("j")): state.row += 1
    case .key(.left), .key(.character("h")): state.column -= 1
    case .key(.right), .key(.character("l")): state.column += 1
    case .key(.home): state.column = 0
    case .key(.end): state.column = Int.max / 2
    case .key(.pageUp): state.row -= 10
    case .key(.pageDown): state.row += 10
    case .key(.character("[")): state.siteIndex = (state.siteIndex - 1 + max(sites, 1)) % max(sites, 1)
    case .key(.character("]")): state.siteIndex = (state.siteIndex + 1) % max(sites, 1)
    case .key(.character("{")): state.head = (state.head - 1 + state.heads) % state.heads
    case .key(.character("}")): state.head = (state.head + 1) % state.heads
    case .key(.character("s")):
        let all = ScoreStage.allCases
        state.stage = all[(all.firstIndex(of: state.stage)! + 1) % all.count]
    case .key(.character("S")):
        let all = ScoreStage.allCases
        state.stage = all[(all.firstIndex(of: state.stage)! + all.count - 1) % all.count]
    case .key(.character("z")): state.overview.toggle()
    case .key(.character("m")), .key(.character("g")): state.screen = .modelGrid
    case .key(.character("r")): state.screen = .residual
    case .mouse(let mouse) where mouse.action == .press:
        if let cell = ExploreLayout(state).heatmapCell(x: mouse.x, y: mouse.y) {
            state.row = cell.row
            state.column = cell.column
            state.pane = .heatmap
        }
    default: break
    }
    state.clampSelection()
}

func updateGrid(_ state: inout AppState, _ event: Event) {
    let sites = max(1, state.session.sites.count)
    switch event {
    case .key(.escape), .key(.character("x")): state.screen = .explore
    case .key(.up), .key(.character("k")): state.siteIndex = max(0, state.siteIndex - 1)
    case .key(.down), .key(.character("j")): state.siteIndex = min(sites - 1, state.siteIndex + 1)
    case .key(.left), .key(.character("h")): state.head = max(0, state.head - 1)
    case .key(.right), .key(.character("l")): state.head += 1
    case .key(.enter): state.screen = .explore
    case .key(.character("r")): state.screen = .residual
    case .mouse(let mouse) where mouse.action == .press:
        if let pick = GridLayout(state).site(x: mouse.x, y: mouse.y) {
            state.siteIndex = pick.site
            state.head = pick.head
            state.screen = .explore
        }
    default: break
    }
    state.clampSelection()
}

func updateResidual(_ state: inout AppState, _ event: Event) {
    switch event {
    case .key(.escape), .key(.character("x")): state.screen = .explore
    case .key(.up), .key(.character("k")): state.row -= 1
    case .key(.down), .key(.character("j")): state.row += 1
    case .key(.character("m")), .key(.character("g")): state.screen = .modelGrid
    default: break
    }
    state.clampSelection()
}
