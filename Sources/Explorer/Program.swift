import Terminal

/// The app running: its state, the store of models and runs, and the runner that performs effects.
/// A front end (the terminal, a benchmark, a test) feeds it events, takes answers from the runner
/// with `pump()`, and draws `frame()`; `update` and `view` stay pure.
public final class Program {
    public private(set) var state: AppState
    public let store: RunStore
    public let runner: EffectRunner
    /// The layout of the last frame drawn, handed to `update` when it changes.
    private var lastLayout: FrameLayout?

    public init(state: AppState, store: RunStore, environment: ExplorerEnvironment, wake: @escaping @Sendable () -> Void = {}) {
        self.state = state
        self.store = store
        runner = EffectRunner(performer: EffectPerformer(store: store, environment: environment), wake: wake)
    }

    /// Updates the state with `message` and starts the effects it asks for.
    public func send(_ message: Message) {
        runner.start(update(&state, message))
    }

    /// Starts effects directly (the first run, the progress file).
    public func start(_ effects: [Effect]) { runner.start(effects) }

    /// Changes the state as `change` says (e.g. `openLesson`) and starts the effects it returns.
    public func apply(_ change: (inout AppState) -> [Effect]) {
        runner.start(change(&state))
    }

    /// Applies the answers that have arrived; returns whether there were any.
    @discardableResult
    public func pump() -> Bool {
        let messages = runner.takeMessages()
        for message in messages { send(message) }
        return !messages.isEmpty
    }

    /// Waits for every effect (and the effects their answers ask for) to be done, applying answers.
    public func settle() {
        repeat { runner.waitUntilIdle() } while pump()
    }

    /// Whether answers are still to come.
    public var isBusy: Bool { runner.isBusy }

    /// Draws the state; a changed layout goes back to `update` for the next keys.
    public func frame() -> Canvas {
        let drawn = view(state, store: store)
        if drawn.layout != lastLayout {
            lastLayout = drawn.layout
            send(.drawn(drawn.layout))
        }
        return drawn.canvas
    }
}
