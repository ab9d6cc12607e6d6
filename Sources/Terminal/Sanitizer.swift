/// The one gate every untrusted string passes before it reaches a terminal: user input, tokens,
/// vocabulary entries, lesson text, error messages. Control characters (C0, DEL, C1, so CSI as
/// U+009B and NEL too), the bidirectional embeddings, overrides and isolates that could reorder
/// what is shown, and the invisible format characters that can hide or annotate text come out as
/// visible escapes (`\n`, `\t`, `\e`, `\x7F`, `\u{9B}`, `\u{202E}`), so no escape sequence is ever
/// emitted raw and nothing is shown other than as written.
public enum Sanitizer {
    /// `text` with every control or display-reordering scalar written as a visible escape.
    public static func sanitize(_ text: String) -> String {
        sanitize(text, keepingLineBreaks: false)
    }

    /// `text` as `sanitize(_:)` gives it, except that with `keepingLineBreaks` each `\n` stays a line
    /// break: for text of several lines that the program composed itself (usage, help, a report),
    /// each line sanitised. A `\r` is escaped either way, so no line can overwrite another.
    public static func sanitize(_ text: String, keepingLineBreaks: Bool) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if keepingLineBreaks && scalar == "\n" {
                out.unicodeScalars.append(scalar)
            } else if let escape = escape(scalar) {
                out += escape
            } else {
                out.unicodeScalars.append(scalar)
            }
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
        // C1 controls: 8-bit CSI (U+009B), OSC (U+009D), DCS, NEL… which some terminals obey.
        case 0x80..<0xA0: return "\\u{" + hex(scalar.value, width: 2) + "}"
        // Bidirectional embeddings, overrides and isolates, marks; line and paragraph separators;
        // the byte-order mark (an invisible no-break space inside text), interlinear annotation
        // controls, and the language tag (the deprecated U+E0001; tags inside emoji flags are kept).
        case 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029, 0x200E, 0x200F, 0x061C,
             0xFEFF, 0xFFF9...0xFFFB, 0xE0001:
            return "\\u{" + hex(scalar.value, width: 4) + "}"
        default: return nil
        }
    }

    static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
