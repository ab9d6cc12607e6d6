import CNcurses
import Terminal

/// What one decoded input asks of the backend: an event ready to hand on, or a mouse report or
/// resize whose details the backend must fetch from ncurses (`getmouse`, the new screen size).
enum DecodedInput: Hashable, Sendable {
    case event(Event)
    case mouseReport
    case resized
}

/// Turns the inputs `wget_wch` returns, one at a time, into events: it joins the scalars of one
/// user-perceived character (e + U+0301, a flag, a family emoji) into one `.character`, and the
/// text between the bracketed-paste markers into one `.paste`.
///
/// A character is held back until an input that cannot extend it arrives, or until `flush()`,
/// which the backend calls when no more input is waiting.
struct InputDecoder: Sendable {
    /// The text pasted so far, while inside a bracketed paste.
    private(set) var pasted: String?
    /// The scalars of a character not yet known to be complete.
    private var pending = ""
    private var lastPastedWasReturn = false

    var isPasting: Bool { pasted != nil }

    mutating func feed(_ input: RawInput) -> [DecodedInput] {
        if pasted != nil { return feedPaste(input) }
        switch input {
        case .code(KeyCodes.pasteBegin):
            let out = flush()
            pasted = ""
            lastPastedWasReturn = false
            return out
        case .code(KeyCodes.pasteEnd):
            return []
        case .code(KEY_MOUSE):
            return flush() + [.mouseReport]
        case .code(KEY_RESIZE):
            return flush() + [.resized]
        case .code(let code):
            return flush() + (KeyCodes.key(forCode: code).map { [.event(.key($0))] } ?? [])
        case .scalar(let value):
            if KeyCodes.isControl(value) {
                return flush() + (KeyCodes.key(forControl: value).map { [.event(.key($0))] } ?? [])
            }
            guard let scalar = Unicode.Scalar(value) else { return [] }
            if !pending.isEmpty {
                var joined = pending
                joined.unicodeScalars.append(scalar)
                if joined.count == 1 { pending = joined; return [] }
            }
            let out = flush()
            pending.unicodeScalars.append(scalar)
            return out
        }
    }

    /// Emits the held-back character, if any.
    mutating func flush() -> [DecodedInput] {
        guard let character = pending.first else { return [] }
        pending = ""
        return [.event(.key(.character(character)))]
    }

    /// Ends a paste whose closing marker never came, emitting what arrived.
    mutating func finishPaste() -> [DecodedInput] {
        guard let text = pasted else { return [] }
        pasted = nil
        return [.event(.paste(text))]
    }

    /// Inside a paste: text verbatim, with line ends (CR, CR LF, LF) as "\n"; keys that ncurses
    /// recognised in the pasted bytes are dropped, except Enter.
    private mutating func feedPaste(_ input: RawInput) -> [DecodedInput] {
        switch input {
        case .code(KeyCodes.pasteEnd):
            return finishPaste()
        case .code(KEY_ENTER):
            pasted! += "\n"
            lastPastedWasReturn = false
        case .code:
            break
        case .scalar(13):
            pasted! += "\n"
            lastPastedWasReturn = true
            return []
        case .scalar(10) where lastPastedWasReturn:
            break
        case .scalar(let value):
            if let scalar = Unicode.Scalar(value) { pasted!.unicodeScalars.append(scalar) }
        }
        lastPastedWasReturn = false
        return []
    }
}
