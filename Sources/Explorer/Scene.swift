import Terminal

/// What a screen draws from: the app state, and the model and run it names, read from the store.
/// `scene.width`, `scene.selection`, … read the state.
@dynamicMemberLookup
struct Scene {
    let app: AppState
    let session: ModelSession
    /// The run pinned for comparison on explore, while the store keeps it.
    var pinned: RunStore.Run? = nil

    subscript<T>(dynamicMember path: KeyPath<AppState, T>) -> T { app[keyPath: path] }

    var theme: Theme { app.theme.theme }
}

/// A drawn frame: the cells, and where its parts went (handed back to `update` as `.drawn`).
public struct Frame: Equatable, Sendable {
    public var canvas: Canvas
    public var layout: FrameLayout
}
