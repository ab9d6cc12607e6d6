import Terminal

/// A key as a browser names it (`KeyboardEvent.key`: `"n"`, `"ArrowUp"`, `"PageDown"`, `"Escape"`, …)
/// turned into the key the terminal would have read. Names the explorer has no key for give nil.
public enum DOMKey {
    /// The key named `name`, with Ctrl held when `ctrl` is true (only Ctrl and a letter exist) and
    /// Shift when `shift` is (Shift-Tab is the back tab; a character already says its case).
    public static func key(_ name: String, ctrl: Bool = false, shift: Bool = false) -> Key? {
        if shift, name == "Tab" { return .backTab }
        if ctrl {
            guard name.count == 1, let letter = name.lowercased().first, letter.isASCII, letter.isLetter else { return nil }
            return .ctrl(letter)
        }
        if let named = named[name] { return named }
        if name.hasPrefix("F"), let n = Int(name.dropFirst()), (1...12).contains(n) { return .function(n) }
        // One printable character (a grapheme cluster), never a control character.
        guard name.count == 1, let character = name.first,
              !character.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.value == 0x7F })
        else { return nil }
        return .character(character)
    }

    private static let named: [String: Key] = [
        "ArrowUp": .up, "ArrowDown": .down, "ArrowLeft": .left, "ArrowRight": .right,
        "Home": .home, "End": .end, "PageUp": .pageUp, "PageDown": .pageDown,
        "Tab": .tab, "Enter": .enter, "Escape": .escape, "Esc": .escape,
        "Backspace": .backspace, "Delete": .delete, "Insert": .insert,
        "Spacebar": .character(" "),
    ]
}
