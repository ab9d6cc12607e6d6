import Lessons
import Terminal
import Transformer

/// How long typing pauses before the model runs on the new text, in milliseconds.
public let editDebounceMilliseconds = 60

/// The next state after a message, and the work it asks for. A pure function: no I/O, no model,
/// no rendering; what takes time comes back later as another message.
public func update(_ state: inout AppState, _ message: Message) -> [Effect] {
    switch message {
    case .event(let event): return handle(&state, event)
    case .ran(let summary): return land(&state, summary)
    case .loading(let id, let progress):
        if id == state.pendingRun { state.loading = progress }
        return []
    case .runFailed(let id, let model, let reason):
        guard id == state.pendingRun else { return [] }
        state.pendingRun = nil
        state.loading = nil
        if model != state.run?.model {
            // Another model was asked for and did not open: the one on screen stays.
            state.message = "cannot open \(model): \(reason)"
            if let run = state.run { state.input.model = run.model }
            if state.screen == .lesson, state.lesson?.evaluated == nil { state.lesson = nil; state.screen = .home }
        } else {
            state.problem = reason
        }
        return []
    case .stepEvaluated(let result):
        guard var lesson = state.lesson, lesson.pendingEvaluation == result.id else { return [] }
        lesson.pendingEvaluation = nil
        lesson.entering = false
        lesson.evaluated = result.evaluated
        lesson.learnerParts = result.learnerParts
        if let focused = lesson.focusedQuiz, focused >= lesson.quizzes.count { lesson.focusedQuiz = nil }
        state.lesson = lesson
        state.selection = result.selection
        return []
    case .progressLoaded(let progress):
        state.progress = progress
        return []
    case .progressFailed(let reason):
        state.message = reason
        return []
    case .screenSaved(let note), .screenSaveFailed(let note):
        state.message = note
        return []
    case .drawn(let layout):
        state.layout = layout
        if let scroll = layout.lessonScroll, state.lesson != nil {
            state.lesson?.scroll = scroll
            state.lesson?.scrollToQuiz = nil
        }
        return []
    }
}

/// What a new app asks for first: the progress file, and a run of its input.
public func startingEffects(_ state: inout AppState) -> [Effect] {
    [.loadProgress] + requestRun(&state)
}

/// Asks for a run of `state.input` under a new id; the screen keeps the last run until it lands.
func requestRun(_ state: inout AppState, delay: Int = 0) -> [Effect] {
    let id = state.nextRequest
    state.nextRequest += 1
    state.pendingRun = id
    return [.run(RunRequest(id: id, input: state.input, delayMilliseconds: delay))]
}

/// A run landed: when it is the newest asked for, it goes on screen, the selection staying on the
/// same tokens, and a lesson step is evaluated on it.
func land(_ state: inout AppState, _ summary: RunSummary) -> [Effect] {
    guard summary.id == state.pendingRun else { return [] }
    let old = state.run
    state.pendingRun = nil
    state.loading = nil
    state.problem = nil
    state.message = nil
    state.run = summary
    if let old, old.model == summary.model {
        let site = state.site
        let querySource = state.screen == .lesson ? .input : site?.querySource ?? .input
        let keySource = state.screen == .lesson ? .input : site?.keySource ?? .input
        let oldQueries = old.tokens(querySource), oldKeys = old.tokens(keySource)
        state.selection.query = TokenAnchor.position(state.selection.query, from: oldQueries, to: summary.tokens(querySource),
                                                     followsEnd: true)
        state.selection.key = TokenAnchor.position(state.selection.key, from: oldKeys, to: summary.tokens(keySource))
    } else {
        // Another model: start on its first site, the last token looking at the first.
        state.siteIndex = 0
        state.selection.head = 0
        state.selection.query = max(0, (summary.sites.first?.queries ?? summary.tokens.count) - 1)
        state.selection.key = 0
    }
    if state.screen != .lesson { state.clampSelection() }
    return evaluateLessonStep(&state)
}

/// Asks for the lesson step to be evaluated on the run on screen (nothing without both).
func evaluateLessonStep(_ state: inout AppState) -> [Effect] {
    guard var lesson = state.lesson, let run = state.run else { return [] }
    let id = state.nextRequest
    state.nextRequest += 1
    lesson.pendingEvaluation = id
    state.lesson = lesson
    return [.evaluateStep(StepRequest(id: id, lesson: lesson.id, step: lesson.step, run: run.id, selection: state.selection,
                                      learnerParts: lesson.learnerParts, entering: lesson.entering))]
}

func handle(_ state: inout AppState, _ event: Event) -> [Effect] {
    if case .resize(let width, let height) = event {
        state.width = width
        state.height = height
        return []
    }
    if case .key(.ctrl("c")) = event {
        state.quit = true
        return []
    }
    if state.editor != nil { return updateEditing(&state, event) }
    if state.screen == .lesson, state.lesson?.answerEditor != nil { return updateLesson(&state, event) }
    if state.showHelp {
        switch event {
        case .key(.escape), .key(.character("?")), .key(.enter): state.showHelp = false
        case .key(.character("q")): state.quit = true
        default: break
        }
        return []
    }
    switch state.screen {
    case .lesson: return updateLesson(&state, event)
    case .home, .explore, .modelGrid, .residual:
        if case .mouse(let mouse) = event { return click(&state, mouse) }
        guard case .key(let key) = event,
              let action = KeyTable.of(state.screen).action(for: key, in: BindingContext(pane: state.explore.pane)) else { return [] }
        return perform(action, &state)
    }
}

/// Performs an action of the home, explore, grid or residual screens.
func perform(_ action: Action, _ state: inout AppState) -> [Effect] {
    let sites = max(1, state.run?.sites.count ?? 1)
    switch action {
    case .help: state.showHelp = true
    case .quit: state.quit = true
    case .saveScreen: return [.saveScreen(state)]
    case .homeMove(let delta):
        state.home.chosen = min(max(0, state.home.chosen + delta), state.homeItems.count - 1)
    case .homeOpen:
        switch state.homeItems[min(state.home.chosen, state.homeItems.count - 1)] {
        case .explore: state.screen = .explore
        case .lesson(let entry): return openLesson(&state, entry)
        case .model(let entry): return switchModel(&state, to: entry.name)
        }
    case .openExplore, .back: state.screen = state.screen == .explore && action == .back ? .home : .explore
    case .openGrid: state.screen = .modelGrid
    case .openResidual: state.screen = .residual
    case .openChosenTile: state.screen = .explore
    case .edit: state.editor = LineEditor(state.input.text)
    case .togglePane:
        state.explore.pane = state.explore.pane == .heatmap && !state.layout.detailsHidden ? .details : .heatmap
    case .scrollDetails(let delta): state.explore.detailsOffset = max(0, state.explore.detailsOffset + delta)
    case .toggleOverview: state.explore.overview.toggle()
    case .togglePin: return togglePin(&state)
    case .toggleQueryBars: state.grid.queryBars.toggle()
    case .toggleProjector:
        state.explore.projector.toggle()
        if state.explore.projector { state.explore.pane = .heatmap }
    case .moveQuery(let delta): state.selection.query += delta
    case .moveKey(let delta): state.selection.key += delta
    case .firstKey: state.selection.key = 0
    case .lastKey: state.selection.key = Int.max / 2
    case .nextSite(let delta):
        // The grid stops at the ends; explore goes round.
        state.siteIndex = state.screen == .modelGrid ? min(max(0, state.siteIndex + delta), sites - 1)
            : (state.siteIndex + delta + sites) % sites
    case .nextHead(let delta):
        let heads = state.heads
        state.selection.head = state.screen == .modelGrid ? min(max(0, state.selection.head + delta), heads - 1)
            : (state.selection.head + delta + heads) % heads
    case .nextStage(let delta):
        let all = ScoreStage.allCases
        state.explore.stage = all[(all.firstIndex(of: state.explore.stage)! + delta + all.count) % all.count]
    case .nextStep, .pageOrStep, .nextQuiz, .scrollPage, .pageTop, .temperature, .topK: break
    }
    state.clampSelection()
    return []
}

/// A mouse press: a heatmap cell on explore, a head's tile on the grid (from the last frame's layout).
func click(_ state: inout AppState, _ mouse: MouseEvent) -> [Effect] {
    guard mouse.action == .press else { return [] }
    switch state.screen {
    case .explore:
        if let cell = state.layout.heatmap?.index(atX: mouse.x, y: mouse.y) {
            state.selection.query = cell.row
            state.selection.key = cell.column
            state.explore.pane = .heatmap
        }
    case .modelGrid:
        if let tile = state.layout.tiles.first(where: { $0.rect.contains(x: mouse.x, y: mouse.y) }) {
            state.siteIndex = tile.site
            state.selection.head = tile.head
            state.screen = .explore
        }
    default: break
    }
    state.clampSelection()
    return []
}

/// Opens another model on the sentence; the screen shows the current one until it has run.
func switchModel(_ state: inout AppState, to name: String) -> [Effect] {
    state.screen = .explore
    state.input.model = name
    state.input.mask = nil
    return requestRun(&state)
}

func updateEditing(_ state: inout AppState, _ event: Event) -> [Effect] {
    guard var editor = state.editor else { return [] }
    switch event {
    case .key(.enter):
        state.editor = nil
        // What was typed runs now rather than after the pause.
        return state.pendingRun != nil ? requestRun(&state) : []
    case .key(.escape):
        state.editor = nil
        guard state.input.text != editor.original else { return [] }
        state.input.text = editor.original
        return requestRun(&state)
    default:
        break
    }
    let changed = editor.apply(event)
    state.editor = editor
    guard changed else { return [] }
    state.input.text = editor.text
    return requestRun(&state, delay: editDebounceMilliseconds)
}

/// Pins the run on screen for comparison, or unpins it.
func togglePin(_ state: inout AppState) -> [Effect] {
    if state.explore.pinned != nil {
        state.explore.pinned = nil
        state.message = "unpinned"
        return [.keepRun(nil)]
    }
    guard let run = state.run else { return [] }
    state.explore.pinned = run
    state.message = "pinned: edit the sentence (e) to compare the two; p unpins"
    return [.keepRun(run.id)]
}
