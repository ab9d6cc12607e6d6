/// A monochrome bitmap font of 8×8 glyphs, for drawing text into a `Raster` (a PNG has no fonts).
///
/// `font8x8` covers printable ASCII and Latin-1 (U+0020–U+007E, U+00A0–U+00FF) plus the marks the
/// explorer writes in token labels (`␣` a leading space, `⋯` a word piece, `…` a cut label, arrows).
/// Any other character (CJK, emoji, most symbols) is drawn as an empty box the size of a glyph, the
/// usual "missing glyph" mark, so a label keeps its length and nothing is silently dropped; the SVG
/// figures keep the real characters, which the viewer's fonts draw.
public struct BitmapFont: Sendable {
    /// Pixels per glyph, both ways.
    public let glyphSize = 8
    /// Rows of 8 bits, bit 0 leftmost, by code point.
    let glyphs: [UInt32: [UInt8]]

    /// Daniel Hepper's public-domain font8x8 (see Font8x8-LICENSE.txt) with the project's own marks.
    public static let font8x8 = BitmapFont()

    init() {
        var glyphs: [UInt32: [UInt8]] = [:]
        func load(_ hex: String, from first: UInt32) {
            let bytes = Array(hex.utf8)
            func nibble(_ c: UInt8) -> UInt8 { c <= 57 ? c - 48 : c - 55 }
            for g in 0..<(bytes.count / 16) {
                glyphs[first + UInt32(g)] = (0..<8).map { r in
                    nibble(bytes[g * 16 + r * 2]) << 4 | nibble(bytes[g * 16 + r * 2 + 1])
                }
            }
        }
        load(Font8x8Data.basicLatin, from: 0x20)
        load(Font8x8Data.latin1Supplement, from: 0xA0)
        for (scalar, rows) in Self.marks { glyphs[scalar] = rows }
        self.glyphs = glyphs
    }

    /// The project's own glyphs for marks font8x8 lacks.
    static let marks: [UInt32: [UInt8]] = [
        0x2423: [0x00, 0x00, 0x00, 0x00, 0x00, 0x41, 0x7F, 0x00],  // ␣ open box: a leading space
        0x22EF: [0x00, 0x00, 0x00, 0x49, 0x00, 0x00, 0x00, 0x00],  // ⋯ midline ellipsis: a word piece
        0x2026: [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x49, 0x00],  // … ellipsis: a cut label
        0x2192: [0x00, 0x10, 0x20, 0x7F, 0x20, 0x10, 0x00, 0x00],  // → rightwards arrow
        0x2193: [0x08, 0x08, 0x08, 0x08, 0x49, 0x2A, 0x1C, 0x08],  // ↓ downwards arrow
        0x2212: [0x00, 0x00, 0x00, 0x3F, 0x00, 0x00, 0x00, 0x00],  // − minus sign, as the hyphen
        0x221E: [0x00, 0x00, 0x36, 0x49, 0x49, 0x36, 0x00, 0x00],  // ∞ infinity
    ]

    /// The box drawn for a character the font lacks.
    static let missing: [UInt8] = [0x7F, 0x41, 0x41, 0x41, 0x41, 0x41, 0x7F, 0x00]

    /// Whether the font has a glyph for `scalar` (else it draws the missing-glyph box).
    public func hasGlyph(_ scalar: Unicode.Scalar) -> Bool { glyphs[scalar.value] != nil }

    /// The 8 rows of `scalar`'s glyph, bit 0 leftmost; the missing-glyph box when the font lacks it.
    public func rows(_ scalar: Unicode.Scalar) -> [UInt8] { glyphs[scalar.value] ?? Self.missing }

    /// The glyphs `text` draws: one per character, its first scalar (a combining accent or an emoji's
    /// modifiers belong to the character and draw nothing of their own).
    public func glyphScalars(_ text: String) -> [Unicode.Scalar] {
        text.compactMap { $0.unicodeScalars.first }
    }
}
