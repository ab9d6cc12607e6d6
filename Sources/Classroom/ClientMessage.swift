import Foundation

/// The largest message a follower may send, in bytes (UTF-8): larger ones close the connection.
public let maximumClientMessageBytes = 4096

/// A follower's size in cells.
public struct FollowerSize: Equatable, Sendable {
    public var cols: Int
    public var rows: Int
    public init(cols: Int, rows: Int) { self.cols = cols; self.rows = rows }

    /// The size clamped to what a screen can be drawn in and what the server will draw for one follower.
    public var clamped: FollowerSize {
        FollowerSize(cols: min(max(cols, 80), 300), rows: min(max(rows, 24), 120))
    }
}

/// Follow the teacher, or explore on one's own copy.
public enum FollowerMode: String, Equatable, Sendable {
    case follow, own
}

/// What a follower sends after joining (see README's "Classroom protocol").
public enum ClientMessage: Equatable, Sendable {
    /// A key as the browser names it (`KeyboardEvent.key`), with Ctrl or Shift held.
    case key(String, ctrl: Bool, shift: Bool)
    /// A click (a tap) at a cell of the canvas.
    case click(x: Int, y: Int)
    case size(FollowerSize)
    /// A whole new sentence.
    case text(String)
    case mode(FollowerMode)
    /// An answer to a quiz of the lesson step on screen.
    case answer(quiz: String, value: String)
}

/// The first message: the join code and, optionally, the follower's size.
public struct JoinRequest: Equatable, Sendable {
    public var code: String
    public var size: FollowerSize?
    /// The `resume` token of an earlier connection's own copy, to explore on where it left off.
    public var resume: String?
}

/// Why a message could not be read: said back to the follower in `{"error": …}` or `{"warning": …}`.
public struct ProtocolError: Error, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Reads followers' messages: JSON objects with exactly one of the known fields.
public enum ClientMessageParser {
    /// The join request in `text`.
    public static func join(_ text: String) throws -> JoinRequest {
        let object = try object(text)
        guard let code = object["code"] as? String else { throw ProtocolError("the first message must be {\"code\": \"…\"}") }
        let size = try object["size"].map(size(_:))
        var resume: String?
        if let value = object["resume"] {
            guard let token = value as? String, token.count <= 64 else { throw ProtocolError("resume must be the token an own-mode frame gave") }
            resume = token
        }
        return JoinRequest(code: code, size: size, resume: resume)
    }

    /// The message in `text`.
    public static func message(_ text: String) throws -> ClientMessage {
        let object = try object(text)
        let known = ["key", "click", "size", "text", "mode", "answer"].filter { object[$0] != nil }
        guard known.count == 1, let field = known.first else {
            throw ProtocolError("a message needs exactly one of key, click, size, text, mode, answer")
        }
        let value = object[field]!
        switch field {
        case "key":
            guard let name = value as? String, !name.isEmpty, name.count <= 32 else { throw ProtocolError("key must be a key's name") }
            return .key(name, ctrl: object["ctrl"] as? Bool ?? false, shift: object["shift"] as? Bool ?? false)
        case "click":
            guard let point = value as? [String: Any], let x = integer(point["x"]), let y = integer(point["y"]) else {
                throw ProtocolError("click must be {\"x\": X, \"y\": Y} in cells")
            }
            return .click(x: x, y: y)
        case "size": return .size(try size(value))
        case "text":
            guard let text = value as? String else { throw ProtocolError("text must be a string") }
            return .text(text)
        case "mode":
            guard let name = value as? String, let mode = FollowerMode(rawValue: name) else {
                throw ProtocolError("mode must be \"own\" or \"follow\"")
            }
            return .mode(mode)
        default:
            guard let answer = value as? [String: Any], let quiz = answer["quiz"] as? String, let given = answer["value"] else {
                throw ProtocolError("answer must be {\"quiz\": ID, \"value\": …}")
            }
            if let text = given as? String { return .answer(quiz: quiz, value: text) }
            if let number = given as? NSNumber, !(given is Bool) { return .answer(quiz: quiz, value: number.stringValue) }
            throw ProtocolError("an answer's value must be a string or a number")
        }
    }

    private static func object(_ text: String) throws -> [String: Any] {
        guard text.utf8.count <= maximumClientMessageBytes else {
            throw ProtocolError("message larger than \(maximumClientMessageBytes) bytes")
        }
        guard let data = text.data(using: .utf8),
              let parsed = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            throw ProtocolError("not JSON")
        }
        guard let object = parsed as? [String: Any] else { throw ProtocolError("a message must be a JSON object") }
        return object
    }

    private static func size(_ value: Any) throws -> FollowerSize {
        guard let size = value as? [String: Any], let cols = integer(size["cols"]), let rows = integer(size["rows"]),
              cols > 0, rows > 0 else {
            throw ProtocolError("size must be {\"cols\": C, \"rows\": R}, both positive")
        }
        return FollowerSize(cols: cols, rows: rows)
    }

    /// A whole number from JSON (a number that is an integer, not a Bool), within ±1,000,000.
    private static func integer(_ value: Any?) -> Int? {
        guard let number = value as? NSNumber, !(value is Bool) else { return nil }
        let double = number.doubleValue
        guard double.rounded() == double, abs(double) <= 1_000_000 else { return nil }
        return Int(double)
    }
}
