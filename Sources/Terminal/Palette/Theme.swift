/// The colours of everything that is not data: text, frames, the cursor, highlighted rows, and the
/// default scales for data. `dark` and `light` suit those terminal backgrounds (and a projector:
/// `light`); `monochrome` uses no colour at all, only attributes and, in heatmaps, shade glyphs.
/// Colours are RGB; the backend maps them to the terminal's depth (`ColorDepth.map`).
public struct Theme: Hashable, Sendable {
    public var name: String
    /// False for `monochrome`: heatmaps draw shades ` ░▒▓█` and numbers instead of colours.
    public var usesColor: Bool
    /// Ordinary text.
    public var text: Style
    /// Secondary text: scroll indicators, masked cells, units.
    public var dim: Style
    /// Titles, key names, token names in a caption.
    public var accent: Style
    /// A selected row or column, a highlighted bar, the cursor's labels.
    public var highlight: Style
    /// Box borders and axes.
    public var border: Style
    /// The cursor cell in a table (and a monochrome heatmap).
    public var cursor: Style
    /// The cursor's colour in a compact (half-block) heatmap, where it can only be a colour.
    public var cursorColor: Color
    /// `code` spans in prose.
    public var code: Style
    /// The status line.
    public var statusBar: Style
    /// Line-plot series and bars, in order: Okabe and Ito's colour-blind-safe set (2008).
    public var seriesColors: [Color]
    /// The scale for weights and probabilities.
    public var sequential: ColorScale
    /// The scale for signed values centred on zero.
    public var diverging: ColorScale

    public init(name: String, usesColor: Bool, text: Style, dim: Style, accent: Style, highlight: Style,
                border: Style, cursor: Style, cursorColor: Color, code: Style, statusBar: Style,
                seriesColors: [Color], sequential: ColorScale = .viridis, diverging: ColorScale = .blueRed) {
        self.name = name; self.usesColor = usesColor; self.text = text; self.dim = dim; self.accent = accent
        self.highlight = highlight; self.border = border; self.cursor = cursor; self.cursorColor = cursorColor
        self.code = code; self.statusBar = statusBar; self.seriesColors = seriesColors.isEmpty ? [.terminalDefault] : seriesColors
        self.sequential = sequential; self.diverging = diverging
    }

    /// The series colour for series `index`, cycling.
    public func seriesColor(_ index: Int) -> Color { seriesColors[((index % seriesColors.count) + seriesColors.count) % seriesColors.count] }

    /// For a dark terminal background.
    public static let dark = Theme(
        name: "dark", usesColor: true,
        text: .plain,
        dim: Style(foreground: .rgb(138, 138, 138)),
        accent: Style(foreground: .rgb(95, 175, 255), attributes: .bold),
        highlight: Style(foreground: .rgb(255, 255, 255), background: .rgb(58, 58, 108), attributes: .bold),
        border: Style(foreground: .rgb(118, 118, 118)),
        cursor: Style(foreground: .rgb(0, 0, 0), background: .rgb(255, 215, 0), attributes: .bold),
        cursorColor: .rgb(255, 0, 255),
        code: Style(foreground: .rgb(255, 175, 95)),
        statusBar: Style(foreground: .rgb(228, 228, 228), background: .rgb(48, 48, 48)),
        seriesColors: [OkabeIto.skyBlue, OkabeIto.orange, OkabeIto.bluishGreen, OkabeIto.yellow,
                       OkabeIto.vermillion, OkabeIto.reddishPurple, OkabeIto.blue])

    /// For a light terminal background (and most projectors).
    public static let light = Theme(
        name: "light", usesColor: true,
        text: .plain,
        dim: Style(foreground: .rgb(108, 108, 108)),
        accent: Style(foreground: .rgb(0, 95, 175), attributes: .bold),
        highlight: Style(foreground: .rgb(0, 0, 0), background: .rgb(215, 215, 255), attributes: .bold),
        border: Style(foreground: .rgb(138, 138, 138)),
        cursor: Style(foreground: .rgb(255, 255, 255), background: .rgb(0, 0, 135), attributes: .bold),
        cursorColor: .rgb(255, 0, 255),
        code: Style(foreground: .rgb(175, 0, 95)),
        statusBar: Style(foreground: .rgb(28, 28, 28), background: .rgb(218, 218, 218)),
        seriesColors: [OkabeIto.blue, OkabeIto.vermillion, OkabeIto.bluishGreen, OkabeIto.orange,
                       OkabeIto.reddishPurple, OkabeIto.skyBlue, OkabeIto.black])

    /// For a projector in a lit room, on a light terminal background: black bold text, black frames,
    /// a black status line, a red cursor; nothing grey that a projector would wash out.
    public static let projector = Theme(
        name: "projector", usesColor: true,
        text: Style(foreground: .rgb(0, 0, 0), attributes: .bold),
        dim: Style(foreground: .rgb(48, 48, 48)),
        accent: Style(foreground: .rgb(0, 0, 175), attributes: .bold),
        highlight: Style(foreground: .rgb(255, 255, 255), background: .rgb(0, 0, 0), attributes: .bold),
        border: Style(foreground: .rgb(0, 0, 0)),
        cursor: Style(foreground: .rgb(255, 255, 255), background: .rgb(215, 0, 0), attributes: .bold),
        cursorColor: .rgb(255, 0, 0),
        code: Style(foreground: .rgb(135, 0, 0), attributes: .bold),
        statusBar: Style(foreground: .rgb(255, 255, 255), background: .rgb(0, 0, 0), attributes: .bold),
        seriesColors: [OkabeIto.blue, OkabeIto.vermillion, OkabeIto.bluishGreen, OkabeIto.black,
                       OkabeIto.reddishPurple, OkabeIto.orange])

    /// No colour: attributes only. Heatmaps use shade glyphs, the cursor is reverse video.
    public static let monochrome = Theme(
        name: "monochrome", usesColor: false,
        text: .plain,
        dim: Style(attributes: .dim),
        accent: Style(attributes: .bold),
        highlight: Style(attributes: [.bold, .underline]),
        border: .plain,
        cursor: Style(attributes: [.reverse, .bold]),
        cursorColor: .terminalDefault,
        code: Style(attributes: .underline),
        statusBar: Style(attributes: .reverse),
        seriesColors: [.terminalDefault])

    /// The theme for a terminal: `monochrome` when it shows no colour, else `light` or `dark`.
    public static func recommended(for depth: ColorDepth, lightBackground: Bool) -> Theme {
        depth == .none ? .monochrome : (lightBackground ? .light : .dark)
    }
}

/// Okabe and Ito's colour-blind-safe qualitative palette ("Color Universal Design", 2008).
public enum OkabeIto {
    public static let black = Color.rgb(0, 0, 0)
    public static let orange = Color.rgb(230, 159, 0)
    public static let skyBlue = Color.rgb(86, 180, 233)
    public static let bluishGreen = Color.rgb(0, 158, 115)
    public static let yellow = Color.rgb(240, 228, 66)
    public static let blue = Color.rgb(0, 114, 178)
    public static let vermillion = Color.rgb(213, 94, 0)
    public static let reddishPurple = Color.rgb(204, 121, 167)
}
