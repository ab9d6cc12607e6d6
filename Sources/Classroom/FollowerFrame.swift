import Foundation
import Terminal

/// A frame as a follower reads it (README, "Classroom protocol").
public struct FollowerFrame: Sendable, Equatable {
    public var seq: Int
    /// Milliseconds since the Unix epoch at which the state shown changed.
    public var t: Int64
    public var screen: String
    public var lesson: String?
    /// 1-based.
    public var step: Int?
    public var text: String
    public var mode: FollowerMode
    public var locked: Bool
    public var ended: Bool
    public var canvas: Canvas

    /// Reads a frame from its JSON object.
    public init(_ object: [String: Any]) throws {
        guard let seq = object["seq"] as? Int, let t = (object["t"] as? NSNumber)?.int64Value,
              let state = object["state"] as? [String: Any], let screen = state["screen"] as? String,
              let text = state["text"] as? String, let mode = (state["mode"] as? String).flatMap(FollowerMode.init(rawValue:)),
              let drawn = object["screen"] else {
            throw ScreenCoding.DecodingError(description: "a frame needs seq, t, state {screen, text, mode} and screen")
        }
        self.seq = seq
        self.t = t
        self.screen = screen
        lesson = state["lesson"] as? String
        step = state["step"] as? Int
        self.text = text
        self.mode = mode
        locked = state["locked"] as? Bool ?? false
        ended = object["ended"] as? Bool ?? false
        canvas = try ScreenCoding.decode(drawn)
    }
}
