/// ncurses draws colour through numbered pairs (foreground, background), of which a terminal has
/// a limited number (`COLOR_PAIRS`; pair 0 is the terminal's default colours and cannot change).
/// This table hands out pairs lazily, one per combination a frame uses, and when they run out
/// falls back to the nearest pair it has: one with the same background (backgrounds carry
/// heatmaps), else the same foreground, else pair 0.
struct ColorPairs: Sendable {
    /// One combination of ncurses colour numbers; -1 is the terminal's default.
    struct Colors: Hashable, Sendable {
        var foreground: Int32
        var background: Int32
    }

    /// Pairs usable in all: `COLOR_PAIRS` (pair 0 included).
    let limit: Int
    private(set) var assigned: [Colors: Int32] = [:]
    private var nextNumber: Int32 = 1
    private var byBackground: [Int32: Int32] = [:]
    private var byForeground: [Int32: Int32] = [:]

    init(limit: Int) { self.limit = max(1, limit) }

    /// The pair to draw `colors` with, and whether it is new (the caller must then `init_extended_pair` it).
    mutating func pair(for colors: Colors) -> (number: Int32, isNew: Bool) {
        if colors.foreground == -1 && colors.background == -1 { return (0, false) }
        if let number = assigned[colors] { return (number, false) }
        guard Int(nextNumber) < limit else {
            return (byBackground[colors.background] ?? byForeground[colors.foreground] ?? 0, false)
        }
        let number = nextNumber
        nextNumber += 1
        assigned[colors] = number
        if byBackground[colors.background] == nil { byBackground[colors.background] = number }
        if byForeground[colors.foreground] == nil { byForeground[colors.foreground] = number }
        return (number, true)
    }

    /// Forgets every pair, as after the palette changes.
    mutating func reset() {
        assigned = [:]
        nextNumber = 1
        byBackground = [:]
        byForeground = [:]
    }

    /// Records that ncurses refused to define the pair given for `colors`: they draw with pair 0
    /// from now on, and no fallback points at that pair.
    mutating func refuse(_ colors: Colors) {
        guard let number = assigned[colors], number != 0 else { return }
        assigned[colors] = 0
        if byBackground[colors.background] == number { byBackground[colors.background] = nil }
        if byForeground[colors.foreground] == number { byForeground[colors.foreground] = nil }
    }
}
