import Foundation
import Terminal

/// The JSON the commands print (`inspect --json`, `models --json`, …): sorted keys, indented, and
/// safe to show in a terminal. JSONEncoder escapes the C0 controls inside strings as JSON requires;
/// this also escapes what `Sanitizer` would (DEL, the C1 controls U+0080–U+009F, bidirectional
/// overrides and isolates U+202A–U+202E and U+2066–U+2069, …) as `\uXXXX`, which JSON allows
/// anywhere in a string, so a parser reads back exactly the same text.
enum JSONOutput {
    /// `value` encoded; `snakeCase` converts Swift's property names to `snake_case` keys.
    static func encode<T: Encodable>(_ value: T, snakeCase: Bool = false) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        if snakeCase { encoder.keyEncodingStrategy = .convertToSnakeCase }
        return escapingUnsafe(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// Encoded JSON with every unsafe scalar from DEL up written as `\uXXXX` (a UTF-16 surrogate pair
    /// above U+FFFF). Below DEL only the layout's line breaks remain raw, outside strings.
    static func escapingUnsafe(_ json: String) -> String {
        var out = ""
        out.reserveCapacity(json.utf8.count)
        for scalar in json.unicodeScalars {
            guard scalar.value >= 0x7F, Sanitizer.isUnsafe(scalar) else {
                out.unicodeScalars.append(scalar)
                continue
            }
            for unit in String(scalar).utf16 {
                let digits = String(unit, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
            }
        }
        return out
    }
}

/// Prints `value` as JSON on standard output (see `JSONOutput`).
func printJSON<T: Encodable>(_ value: T, snakeCase: Bool = false) throws {
    print(try JSONOutput.encode(value, snakeCase: snakeCase))
}
