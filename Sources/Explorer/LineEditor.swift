import Terminal

/// A one-line text editor as a value: the text, a cursor between characters, and the text it had
/// when editing began (so Esc can restore it). Works on grapheme clusters, so `é`, `東` and `👩‍👩‍👧`
/// each move and delete as one.
public struct LineEditor: Equatable, Codable, Sendable {
    public private(set) var text: String
    /// The cursor, counted in characters from the start (0…text.count).
    public private(set) var cursor: Int
    /// The text before this edit began.
    public let original: String

    public init(_ text: String) {
        self.text = text
        original = text
        cursor = text.count
    }

    /// Applies a key or a paste; returns whether the text changed.
    @discardableResult
    public mutating func apply(_ event: Event) -> Bool {
        switch event {
        case .paste(let pasted):
            // A pasted newline or tab becomes a space: the input is one line.
            insert(String(pasted.map { $0.isNewline || $0 == "\t" ? " " : $0 }))
            return true
        case .key(let key):
            switch key {
            case .character(let c): insert(String(c)); return true
            case .left: cursor = max(0, cursor - 1)
            case .right: cursor = min(text.count, cursor + 1)
            case .home, .ctrl("a"): cursor = 0
            case .end, .ctrl("e"): cursor = text.count
            case .backspace:
                guard cursor > 0 else { return false }
                let at = text.index(text.startIndex, offsetBy: cursor - 1)
                text.remove(at: at)
                cursor -= 1
                return true
            case .delete, .ctrl("d"):
                guard cursor < text.count else { return false }
                text.remove(at: text.index(text.startIndex, offsetBy: cursor))
                return true
            case .ctrl("u"):
                guard cursor > 0 else { return false }
                text.removeSubrange(text.startIndex..<text.index(text.startIndex, offsetBy: cursor))
                cursor = 0
                return true
            case .ctrl("k"):
                guard cursor < text.count else { return false }
                text.removeSubrange(text.index(text.startIndex, offsetBy: cursor)...)
                return true
            default: break
            }
        default: break
        }
        return false
    }

    mutating func insert(_ piece: String) {
        let at = text.index(text.startIndex, offsetBy: cursor)
        let before = text.count
        text.insert(contentsOf: piece, at: at)
        // Count what the insertion added (a combining mark may merge with the character before it).
        cursor += text.count - before
    }

    /// The display column of the cursor (wide characters count 2).
    public var cursorColumn: Int { DisplayWidth.of(String(text.prefix(cursor))) }
}
