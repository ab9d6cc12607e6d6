/// A colour as the program means it; the backend maps it to what the terminal can show
/// (direct colour, 256, 16, 8 or none).
public enum Color: Hashable, Codable, Sendable {
    /// The terminal's own foreground or background.
    case terminalDefault
    /// A palette index: 0–7 the normal ANSI colours, 8–15 the bright ones; on a 256-colour
    /// terminal 16–231 the 6×6×6 colour cube and 232–255 the grey ramp (`XtermPalette`), which is
    /// what `ColorDepth.x256` maps RGB to.
    case ansi(UInt8)
    /// A 24-bit colour.
    case rgb(UInt8, UInt8, UInt8)

    public static let black = Color.ansi(0), red = Color.ansi(1), green = Color.ansi(2), yellow = Color.ansi(3)
    public static let blue = Color.ansi(4), magenta = Color.ansi(5), cyan = Color.ansi(6), white = Color.ansi(7)
}

/// Text attributes a cell can carry.
public struct Attributes: OptionSet, Hashable, Codable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let bold = Attributes(rawValue: 1)
    public static let dim = Attributes(rawValue: 2)
    public static let underline = Attributes(rawValue: 4)
    public static let reverse = Attributes(rawValue: 8)
    public static let italic = Attributes(rawValue: 16)
}

/// How a cell looks: foreground, background, attributes.
public struct Style: Hashable, Codable, Sendable {
    public var foreground: Color
    public var background: Color
    public var attributes: Attributes

    public init(foreground: Color = .terminalDefault, background: Color = .terminalDefault, attributes: Attributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    public static let plain = Style()

    public func with(foreground: Color) -> Style { var s = self; s.foreground = foreground; return s }
    public func with(background: Color) -> Style { var s = self; s.background = background; return s }
    public func adding(_ extra: Attributes) -> Style { var s = self; s.attributes.formUnion(extra); return s }
}
