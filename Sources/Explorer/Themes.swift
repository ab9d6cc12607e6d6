import Terminal

extension ThemeChoice {
    /// Whether the screen is meant for a light background (light and projector).
    public var lightBackground: Bool { background != .dark }

    /// The widget theme for this choice: monochrome, or dark/light with the sequential scale swapped
    /// for cividis when a colour-blind-safe palette is asked for.
    public var theme: Theme {
        if monochrome { return .monochrome }
        var theme = background == .projector ? Theme.projector : background == .light ? Theme.light : Theme.dark
        if colorBlindSafe {
            theme.sequential = .cividis
            theme.diverging = .purpleOrange
        }
        return theme
    }
}
