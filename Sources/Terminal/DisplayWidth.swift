/// How many terminal columns text takes, per grapheme cluster: 0 for a lone combining mark or
/// zero-width character, 2 for East Asian wide and fullwidth characters and emoji presentation,
/// else 1. (What wcwidth(3) says for the first scalar, refined for emoji sequences.)
public enum DisplayWidth {
    /// The columns of one grapheme cluster.
    public static func of(_ character: Character) -> Int {
        // Most of a screen is ASCII: answer it without looking up Unicode properties.
        if let ascii = character.asciiValue { return ascii == 0 ? 0 : 1 }
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if scalars.contains(where: { $0.value == 0xFE0F }) { return 2 }   // emoji presentation selector
        if scalars.count > 1 && scalars.contains(where: { $0.properties.isEmojiPresentation }) { return 2 }
        return width(of: first)
    }

    /// The columns of a string.
    public static func of(_ text: String) -> Int { text.reduce(0) { $0 + of($1) } }

    /// The columns of one scalar.
    public static func width(of scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v == 0 { return 0 }
        // Below U+0300 (where combining marks begin) everything is one column; controls are
        // sanitised before drawing.
        if v < 0x300 { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return v == 0x00AD ? 1 : 0
        default: break
        }
        if v == 0x200B || (0x1160...0x11FF).contains(v) { return 0 }
        if scalar.properties.isEmojiPresentation { return 2 }
        return isWide(v) ? 2 : 1
    }

    /// East Asian Wide (W) and Fullwidth (F) ranges.
    static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF,
             0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3,
             0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
