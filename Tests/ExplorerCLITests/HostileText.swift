import Foundation
import Terminal

/// Text an attacker might plant in a file name, a config field or a command line: escape
/// sequences that clear the screen (CSI), write the clipboard (OSC 52) or set the title, the 8-bit
/// CSI (U+009B), BEL and a right-to-left override, each at the start, in the middle or at the end.
enum HostileText {
    static let payloads = [
        "\u{1B}[2J", "\u{1B}]52;c;aGVsbG8=\u{07}", "\u{9B}31m", "\u{07}", "\u{202E}", "\u{1B}]0;pwned\u{1B}\\",
    ]

    /// Each payload in one position, and all of them together. None holds `/`, so each can be a file name.
    static let samples: [String] = payloads.enumerated().map { index, payload in
        switch index % 3 {
        case 0: return payload + "x"
        case 1: return "a" + payload + "b"
        default: return "z" + payload
        }
    } + ["m" + payloads.joined() + "n"]

    /// What no output may hold: ESC, BEL, U+009B (C2 9B in UTF-8) and a raw U+202E, found byte by byte.
    static func forbidden(in text: String) -> [String] {
        let bytes = Array(text.utf8)
        var found: [String] = []
        if bytes.contains(0x1B) { found.append("ESC") }
        if bytes.contains(0x07) { found.append("BEL") }
        if contains(bytes, [0xC2, 0x9B]) { found.append("U+009B") }
        if contains(bytes, [0xE2, 0x80, 0xAE]) { found.append("U+202E") }
        return found
    }

    static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        guard bytes.count >= needle.count else { return false }
        return (0...(bytes.count - needle.count)).contains { Array(bytes[$0..<($0 + needle.count)]) == needle }
    }

    /// How the text must appear in a message: sanitised, as the terminal shows it.
    static func shown(_ text: String) -> String { Sanitizer.sanitize(text) }
}

/// A directory of a test's own, removed when the value is released.
final class Scratch {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("cli-hostile-\(UUID())").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The repository's bundled model `name`.
    static func bundled(_ name: String) -> String {
        let tests = ("\(#filePath)" as NSString).deletingLastPathComponent as NSString
        return ((tests.deletingLastPathComponent as NSString).deletingLastPathComponent as NSString)
            .appendingPathComponent("Models/" + name)
    }

    /// A copy of bundled model `model` at `name` in this directory; returns its path.
    func copy(_ model: String, to name: String) throws -> String {
        let target = (path as NSString).appendingPathComponent(name)
        try FileManager.default.copyItem(atPath: Self.bundled(model), toPath: target)
        return target
    }

    /// Reads the JSON object in `file`, lets `change` edit it and writes it back.
    static func edit(_ file: String, _ change: (inout [String: Any]) -> Void) throws {
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as! [String: Any]
        change(&object)
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: file))
    }

    /// Rewrites the JSON header of the safetensors file `file` (the tensor data stays as it is).
    static func editHeader(_ file: String, _ change: (inout [String: Any]) -> Void) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        let length = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        var header = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + length))) as! [String: Any]
        change(&header)
        let json = try JSONSerialization.data(withJSONObject: header)
        var out = Data((0..<8).map { UInt8(truncatingIfNeeded: json.count >> (8 * $0)) })
        out.append(json)
        out.append(data.subdata(in: (8 + length)..<data.count))
        try out.write(to: URL(fileURLWithPath: file))
    }
}
