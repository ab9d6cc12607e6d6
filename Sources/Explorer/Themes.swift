import Terminal

extension ThemeChoice {
    /// The widget theme for this choice: monochrome, or dark/light with the sequential scale swapped
    /// for cividis when a colour-blind-safe palette is asked for.
    public var theme: Theme {
        if monochrome { return .monochrome }
        var theme = background == .light ? Theme.light : Theme.dark
        if colorBlindSafe {
            theme.sequential = .cividis
            theme.diverging = .purpleOrange
        }
        return theme
    }
}
