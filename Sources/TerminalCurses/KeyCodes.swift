import CNcurses
import Terminal

/// One thing `wget_wch` returned: a character (one Unicode scalar; a character the user typed
/// may arrive as several) or one of ncurses' key codes (`KEY_LEFT`, `KEY_MOUSE`, …).
enum RawInput: Hashable, Sendable {
    case scalar(UInt32)
    case code(Int32)
}

/// How ncurses' key codes and control characters become `Key`s.
enum KeyCodes {
    /// The codes `define_key` gives the bracketed-paste markers `ESC [ 200 ~` and `ESC [ 201 ~`:
    /// far above `KEY_MAX` and the codes ncurses hands out to terminfo's extended keys, below 65536.
    static let pasteBegin: Int32 = 0xF000
    static let pasteEnd: Int32 = 0xF001
    static let pasteBeginSequence = "\u{1B}[200~"
    static let pasteEndSequence = "\u{1B}[201~"

    /// The key for an ncurses key code, or nil for codes the program does not use.
    static func key(forCode code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME, KEY_FIND: return .home
        case KEY_END, KEY_SELECT: return .end
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_BTAB: return .backTab
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_IC: return .insert
        case te_key_f(1)...te_key_f(63): return .function(Int(code - te_key_f(0)))
        default: return nil
        }
    }

    /// The key for a control character read as a character (Tab, Enter, Backspace, Esc, Ctrl and
    /// a letter), nil for other control characters; printable characters are not keys here.
    static func key(forControl scalar: UInt32) -> Key? {
        switch scalar {
        case 9: return .tab
        case 10, 13: return .enter
        case 8, 127: return .backspace
        case 27: return .escape
        case 1...26: return .ctrl(Character(Unicode.Scalar(UInt8(scalar) + 96)))   // 1 → "a"
        default: return nil
        }
    }

    /// Whether `scalar` is a control character (C0 or DEL) rather than text.
    static func isControl(_ scalar: UInt32) -> Bool { scalar < 0x20 || scalar == 0x7F }
}

/// The button-state bits of the mouse events the backend asks for.
struct MouseMasks: Sendable {
    var press: UInt32, release: UInt32, wheelUp: UInt32, wheelDown: UInt32

    /// ncurses' own values: button 1 press and release, wheel as buttons 4 and 5.
    static var ncurses: MouseMasks {
        MouseMasks(press: te_button1_pressed(), release: te_button1_released(),
                   wheelUp: te_wheel_up(), wheelDown: te_wheel_down())
    }

    var all: UInt32 { press | release | wheelUp | wheelDown }

    /// The mouse event for a button state at a cell, or nil for a state the program does not use.
    func event(state: UInt32, x: Int, y: Int) -> MouseEvent? {
        let action: MouseEvent.Action
        if state & press != 0 { action = .press }
        else if state & release != 0 { action = .release }
        else if state & wheelUp != 0 { action = .scrollUp }
        else if state & wheelDown != 0 { action = .scrollDown }
        else { return nil }
        return MouseEvent(action: action, x: x, y: y)
    }
}
