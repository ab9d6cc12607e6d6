import Terminal

extension DOMKey {
    /// The browser's name for `key` and whether Ctrl or Shift goes with it: what a terminal follower
    /// sends for a key its terminal read.
    public static func name(for key: Key) -> (name: String, ctrl: Bool, shift: Bool)? {
        switch key {
        case .character(let character): return (String(character), false, false)
        case .ctrl(let letter): return (String(letter), true, false)
        case .up: return ("ArrowUp", false, false)
        case .down: return ("ArrowDown", false, false)
        case .left: return ("ArrowLeft", false, false)
        case .right: return ("ArrowRight", false, false)
        case .home: return ("Home", false, false)
        case .end: return ("End", false, false)
        case .pageUp: return ("PageUp", false, false)
        case .pageDown: return ("PageDown", false, false)
        case .tab: return ("Tab", false, false)
        case .backTab: return ("Tab", false, true)
        case .enter: return ("Enter", false, false)
        case .escape: return ("Escape", false, false)
        case .backspace: return ("Backspace", false, false)
        case .delete: return ("Delete", false, false)
        case .insert: return ("Insert", false, false)
        case .function(let n): return (1...12).contains(n) ? ("F\(n)", false, false) : nil
        }
    }

    /// The JSON message for `key`.
    public static func message(for key: Key) -> String? {
        guard let (name, ctrl, shift) = name(for: key) else { return nil }
        return "{\"key\":\(JSONText.string(name))" + (ctrl ? ",\"ctrl\":true" : "") + (shift ? ",\"shift\":true" : "") + "}"
    }
}
