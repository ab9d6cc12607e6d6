import Explorer
import Foundation
import Terminal

/// A follower's own copy of the app, made from the teacher's state at the moment the follower chose
/// to explore: the same model, lesson, step and sentence, then changed only by that follower. Its runs
/// go into its own store (the teacher's run on screen at the copy is shared, not recomputed), and its
/// effects are performed on the classroom's shared pool. Not thread-safe by itself: `Follower`
/// serialises access.
final class OwnCopy: @unchecked Sendable {
    private(set) var state: AppState
    let store: RunStore
    let performer: EffectPerformer
    /// When `state` last changed, in milliseconds since the Unix epoch.
    private(set) var changedAt: Int64
    private var lastLayout: FrameLayout?

    /// A copy of `teacher` drawn at `size`, reading the teacher's run from `teacherStore`.
    init(teacher: AppState, teacherStore: RunStore, size: FollowerSize, environment: ExplorerEnvironment, now: Int64) {
        var state = teacher
        state.width = size.cols
        state.height = size.rows
        state.quit = false
        state.showHelp = false
        state.progress = nil
        // The teacher's answers are not the student's.
        state.lesson?.answers = [:]
        self.state = state
        store = RunStore()
        if let model = teacherStore.model(teacher.input.model) { store.put(model: model, as: teacher.input.model) }
        if let summary = teacher.run, let run = teacherStore.run(summary.id) {
            store.put(run: run, id: summary.id)
            if store.model(summary.model) == nil { store.put(model: run.loaded, as: summary.model) }
        }
        // Nothing a student does is saved: no progress file.
        var own = environment
        own.progress = nil
        performer = EffectPerformer(store: store, environment: own)
        changedAt = now
    }

    /// Applies `message`; returns the effects it asks for.
    func send(_ message: Message, now: Int64) -> [Effect] {
        change(now: now) { update(&$0, message) }
    }

    /// Changes the state as `body` says; notes when it changed.
    func change(now: Int64, _ body: (inout AppState) -> [Effect]) -> [Effect] {
        let before = state
        let effects = body(&state)
        if state != before { changedAt = now }
        return effects
    }

    /// Draws the state; a changed layout goes back to `update`, as the terminal's loop does.
    func frame(now: Int64) -> Canvas {
        let drawn = view(state, store: store)
        if drawn.layout != lastLayout {
            lastLayout = drawn.layout
            _ = update(&state, .drawn(drawn.layout))
        }
        return drawn.canvas
    }
}
