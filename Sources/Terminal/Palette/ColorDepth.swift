/// How many colours the terminal shows, which decides what a `Color` becomes on the way out.
/// The backend detects it once (`detect`) and passes every cell's colours through `map`.
public enum ColorDepth: Int, Hashable, Codable, Sendable, CaseIterable, Comparable {
    /// No colour: every colour becomes the terminal's default; attributes (bold, reverse, …) remain.
    case none
    /// The 8 basic ANSI colours.
    case eight
    /// The 16 ANSI colours (8 basic and 8 bright).
    case sixteen
    /// xterm's 256-colour palette.
    case x256
    /// 24-bit colour.
    case direct

    public static func < (a: ColorDepth, b: ColorDepth) -> Bool { a.rawValue < b.rawValue }

    /// The depth to use, from the environment and the number of colours the terminal's
    /// description reports (ncurses' `COLORS`; 0 or less when it has none), first rule first:
    /// 1. `NO_COLOR` set and not empty (no-color.org) → `.none`;
    /// 2. `TERM=dumb` → `.none`;
    /// 3. `COLORTERM` is `truecolor` or `24bit`, or `TERM` ends in `-direct` → `.direct`;
    /// 4. `TERM` contains `256color` → `.x256`;
    /// 5. otherwise by the reported count: ≥ 2²⁴ direct, ≥ 256 → 256, ≥ 16 → 16, ≥ 8 → 8, else none.
    public static func detect(environment: [String: String], reportedColors: Int) -> ColorDepth {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .none }
        let term = (environment["TERM"] ?? "").lowercased()
        if term == "dumb" { return .none }
        let colorTerm = (environment["COLORTERM"] ?? "").lowercased()
        if colorTerm == "truecolor" || colorTerm == "24bit" || term.hasSuffix("-direct") { return .direct }
        if term.contains("256color") { return .x256 }
        switch reportedColors {
        case (1 << 24)...: return .direct
        case 256...: return .x256
        case 16...: return .sixteen
        case 8...: return .eight
        default: return .none
        }
    }

    /// How many colours this depth offers (0 for none).
    public var colorCount: Int {
        switch self {
        case .none: 0
        case .eight: 8
        case .sixteen: 16
        case .x256: 256
        case .direct: 1 << 24
        }
    }

    /// Whether a colour scale keeps its gradations at this depth (256 colours or more). Below it a
    /// heatmap reads better in monochrome shades (`Theme.monochrome`).
    public var showsScales: Bool { self >= .x256 }

    /// `color` as this terminal can show it, nearest by OKLab distance (`RGB.distanceSquared`):
    /// - `.direct`: unchanged;
    /// - `.x256`: RGB → the nearest cube or grey-ramp index (16–255) as `.ansi(index)`; indices kept;
    /// - `.sixteen` / `.eight`: RGB and indices past the range → the nearest of the 16 / 8 ANSI
    ///   colours (xterm's defaults as reference);
    /// - `.none`: everything → `.terminalDefault`.
    /// `.terminalDefault` is always kept.
    public func map(_ color: Color) -> Color {
        switch (self, color) {
        case (_, .terminalDefault), (.direct, _): return color
        case (.none, _): return .terminalDefault
        case (.x256, .ansi): return color
        case (.x256, .rgb(let r, let g, let b)): return .ansi(XtermPalette.nearest256(RGB(r, g, b)))
        case (.sixteen, .ansi(let i)) where i < 16: return color
        case (.sixteen, _): return .ansi(XtermPalette.nearest16(Self.rgb(of: color)))
        case (.eight, .ansi(let i)) where i < 8: return color
        case (.eight, _): return .ansi(XtermPalette.nearest8(Self.rgb(of: color)))
        }
    }

    /// `style` with both colours mapped; attributes kept.
    public func map(_ style: Style) -> Style {
        Style(foreground: map(style.foreground), background: map(style.background), attributes: style.attributes)
    }

    /// The RGB a colour stands for (palette indices by xterm's defaults); black for the default.
    static func rgb(of color: Color) -> RGB {
        switch color {
        case .terminalDefault: RGB(0, 0, 0)
        case .ansi(let i): XtermPalette.rgb(i)
        case .rgb(let r, let g, let b): RGB(r, g, b)
        }
    }
}
