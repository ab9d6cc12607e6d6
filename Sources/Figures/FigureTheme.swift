import Terminal

/// The look of a figure made for slides and handouts: `dark` and `light` pages, and `projector`,
/// black on white with bolder, larger text and wider gaps between cells, for a room where a
/// projector washes out colours and thin lines.
public struct FigureTheme: Hashable, Sendable {
    public var name: String
    public var background: RGB
    public var text: RGB
    /// Secondary text: the sentence, the footnote.
    public var dim: RGB
    /// The fill of a masked cell, which has no colour on the scale.
    public var masked: RGB
    /// Font pixels per bitmap-font pixel in a PNG; the font size in an SVG is `8 × fontScale` px.
    public var fontScale: Int
    /// Labels and title in bold.
    public var boldLabels: Bool
    /// Pixels of background between neighbouring cells.
    public var cellGap: Int

    public static let dark = FigureTheme(name: "dark", background: RGB(hex: 0x121212), text: RGB(hex: 0xE4E4E4),
                                         dim: RGB(hex: 0x9E9E9E), masked: RGB(hex: 0x303030), fontScale: 2,
                                         boldLabels: false, cellGap: 1)
    public static let light = FigureTheme(name: "light", background: RGB(hex: 0xFFFFFF), text: RGB(hex: 0x1C1C1C),
                                          dim: RGB(hex: 0x5E5E5E), masked: RGB(hex: 0xE8E8E8), fontScale: 2,
                                          boldLabels: false, cellGap: 1)
    /// High contrast: pure black on white, bold labels, 24-pixel glyphs, 3-pixel gaps.
    public static let projector = FigureTheme(name: "projector", background: RGB(hex: 0xFFFFFF), text: RGB(hex: 0x000000),
                                              dim: RGB(hex: 0x000000), masked: RGB(hex: 0xD0D0D0), fontScale: 3,
                                              boldLabels: true, cellGap: 3)

    /// The three by name: `dark`, `light`, `projector`.
    public static let all: [FigureTheme] = [.dark, .light, .projector]

    /// The theme called `name`, nil for any other.
    public static func named(_ name: String) -> FigureTheme? { all.first { $0.name == name } }

    /// The size of one glyph in pixels.
    public var glyph: Int { 8 * fontScale }
}
