/// A key the user pressed, as a value.
public enum Key: Hashable, Sendable {
    /// A printable character (any script).
    case character(Character)
    /// Ctrl and a letter (`ctrl("c")`).
    case ctrl(Character)
    case up, down, left, right, home, end, pageUp, pageDown
    case tab, backTab, enter, escape, backspace, delete, insert
    case function(Int)
}

/// A mouse action at a cell.
public struct MouseEvent: Hashable, Codable, Sendable {
    public enum Action: String, Hashable, Codable, Sendable { case press, release, scrollUp, scrollDown }
    public var action: Action
    public var x: Int
    public var y: Int
    public init(action: Action, x: Int, y: Int) { self.action = action; self.x = x; self.y = y }
}

/// Everything the app reacts to from the terminal.
public enum Event: Hashable, Sendable {
    case key(Key)
    /// Bracketed paste: the pasted text as one value.
    case paste(String)
    case mouse(MouseEvent)
    /// The terminal is now `width × height` cells.
    case resize(width: Int, height: Int)
}
