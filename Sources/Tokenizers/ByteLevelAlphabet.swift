/// GPT-2's table from bytes to printable characters: the printable bytes `!`…`~`, `¡`…`¬` and
/// `®`…`ÿ` stand for themselves; the 68 others (space, controls, 0x7F–0xA0, 0xAD) become U+0100
/// onwards, in byte order: space (0x20) is `Ġ` (U+0120), newline (0x0A) is `Ċ` (U+010A). A
/// byte-level vocabulary is written in these characters, so every string of bytes has a spelling.
public enum ByteLevelAlphabet {
    /// The character of each byte, indexed by the byte.
    public static let characters: [Unicode.Scalar] = {
        var printable: [UInt8] = []
        printable += Array(UInt8(ascii: "!")...UInt8(ascii: "~"))
        printable += Array(UInt8(0xA1)...UInt8(0xAC))
        printable += Array(UInt8(0xAE)...UInt8(0xFF))
        var table = [Unicode.Scalar](repeating: "\0", count: 256)
        var next: UInt32 = 256
        for byte in 0...255 {
            if printable.contains(UInt8(byte)) {
                table[byte] = Unicode.Scalar(UInt8(byte))
            } else {
                table[byte] = Unicode.Scalar(next)!
                next += 1
            }
        }
        return table
    }()

    /// The byte each character of the alphabet stands for.
    public static let bytes: [Unicode.Scalar: UInt8] = {
        var inverse: [Unicode.Scalar: UInt8] = [:]
        for (byte, scalar) in characters.enumerated() { inverse[scalar] = UInt8(byte) }
        return inverse
    }()

    /// The text's UTF-8 bytes written in the alphabet (`" the"` → `"Ġthe"`).
    public static func encode(_ text: String) -> String {
        String(scalars: text.utf8.map { characters[Int($0)] })
    }

    /// The bytes a token spells, or nil if a character lies outside the alphabet.
    public static func decode(_ token: String) -> [UInt8]? {
        var out: [UInt8] = []
        for scalar in token.unicodeScalars {
            guard let byte = bytes[scalar] else { return nil }
            out.append(byte)
        }
        return out
    }
}
