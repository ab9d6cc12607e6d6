/// The one gate every untrusted string passes before it reaches a terminal: user input, tokens,
/// vocabulary entries, lesson text. Control characters (C0, DEL, C1), and the bidirectional
/// overrides that could reorder what is shown, come out as visible escapes (`\n`, `\t`, `\e`,
/// `\x7F`, `\u{202E}`), so no escape sequence is ever emitted raw.
public enum Sanitizer {
    /// `text` with every control or display-reordering scalar written as a visible escape.
    public static func sanitize(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if let escape = escape(scalar) { out += escape } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }

    /// Whether `scalar` needs escaping.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool { escape(scalar) != nil }

    static func escape(_ scalar: Unicode.Scalar) -> String? {
        switch scalar.value {
        case 0x0A: return "\\n"
        case 0x09: return "\\t"
        case 0x0D: return "\\r"
        case 0x1B: return "\\e"
        case 0x00..<0x20, 0x7F: return "\\x" + hex(scalar.value, width: 2)
        case 0x80..<0xA0: return "\\u{" + hex(scalar.value, width: 2) + "}"
        // Bidirectional embeddings, overrides and isolates; line and paragraph separators.
        case 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029, 0x200E, 0x200F, 0x061C:
            return "\\u{" + hex(scalar.value, width: 4) + "}"
        default: return nil
        }
    }

    static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
