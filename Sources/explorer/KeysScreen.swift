import Terminal

/// What `explorer keys` shows about the terminal it runs in (fixed at start).
struct TerminalFacts: Hashable, Sendable {
    var term: String
    var description: String
    var colors: Int
    var colorPairs: Int
    var encoding: String
}

/// The state of the keys screen: the terminal's facts, its size, and the events received.
struct KeysState: Hashable, Sendable {
    /// How many events the screen remembers.
    static let remembered = 15

    var facts: TerminalFacts
    var width: Int
    var height: Int
    /// The last events, oldest first.
    var events: [LoggedEvent] = []
    /// Events received in all (they are numbered from 1).
    var received = 0

    /// One event as the screen lists it.
    struct LoggedEvent: Hashable, Sendable {
        var number: Int
        var text: String
    }

    /// Records `event`; returns false when it asks to quit (`q`, Esc, or Ctrl-C, which is how a
    /// quit signal arrives).
    mutating func update(_ event: Event) -> Bool {
        switch event {
        case .key(.character("q")), .key(.escape), .key(.ctrl("c")):
            return false
        case .resize(let width, let height):
            self.width = width
            self.height = height
        default:
            break
        }
        received += 1
        events.append(LoggedEvent(number: received, text: describe(event)))
        if events.count > Self.remembered { events.removeFirst(events.count - Self.remembered) }
        return true
    }
}

/// An event as a line a user can read: `key: left`, `key: ctrl-a`, `key: character "é" U+00E9`,
/// `paste: "two\nlines" (9 characters)`, `mouse: press at 12,5`, `resize: 100×30`.
func describe(_ event: Event) -> String {
    switch event {
    case .key(let key):
        return "key: " + describe(key)
    case .paste(let text):
        let shown = Sanitizer.sanitize(text)
        let clipped = shown.count > 60 ? String(shown.prefix(59)) + "…" : shown
        return "paste: \"\(clipped)\" (\(text.count) character\(text.count == 1 ? "" : "s"))"
    case .mouse(let mouse):
        let action = switch mouse.action {
        case .press: "press"
        case .release: "release"
        case .scrollUp: "scroll up"
        case .scrollDown: "scroll down"
        }
        return "mouse: \(action) at \(mouse.x),\(mouse.y)"
    case .resize(let width, let height):
        return "resize: \(width)×\(height)"
    }
}

func describe(_ key: Key) -> String {
    switch key {
    case .character(let character):
        let codes = character.unicodeScalars.map { "U+" + hex($0.value) }.joined(separator: " ")
        return "character \"\(Sanitizer.sanitize(String(character)))\" \(codes)"
    case .ctrl(let letter): return "ctrl-\(letter)"
    case .up: return "up"
    case .down: return "down"
    case .left: return "left"
    case .right: return "right"
    case .home: return "home"
    case .end: return "end"
    case .pageUp: return "page up"
    case .pageDown: return "page down"
    case .tab: return "tab"
    case .backTab: return "back-tab (shift-tab)"
    case .enter: return "enter"
    case .escape: return "escape"
    case .backspace: return "backspace"
    case .delete: return "delete"
    case .insert: return "insert"
    case .function(let n): return "f\(n)"
    }
}

private func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}

/// What a number of colours means: direct colour, the 256-colour palette, ANSI colours, or none.
func colorDepthName(_ colors: Int) -> String {
    switch colors {
    case (1 << 24)...: return "24-bit direct colour"
    case 256...: return "256-colour palette"
    case 16...: return "16 ANSI colours"
    case 8...: return "8 ANSI colours"
    default: return "no colour"
    }
}

/// The keys screen: the terminal's size, type and colours, swatches painted as the backend maps
/// them (16 ANSI colours, the 256-colour cube and grey ramp, an rgb gradient), block and braille
/// characters, and the last events received, newest first. Below 24 rows the samples make way
/// for the events.
func keysScreen(_ state: KeysState, width: Int, height: Int) -> Canvas {
    var canvas = Canvas(width: width, height: height)
    let bar = Style(attributes: .reverse)
    canvas.fill(Rect(x: 0, y: 0, width: width, height: 1), with: Cell(" ", style: bar))
    canvas.write(" explorer keys: what this terminal sends and shows", x: 0, y: 0, style: bar)
    let quit = "q or Esc quits "
    if width >= 52 + quit.count { canvas.write(quit, x: width - quit.count, y: 0, style: bar) }

    let facts = state.facts
    label("size", row: 2, on: &canvas)
    canvas.write("\(state.width)×\(state.height)", x: 11, y: 2, style: Style(attributes: .bold))
    canvas.write("TERM", x: 28, y: 2, style: labelStyle)
    canvas.write("\(facts.term) (\(facts.description))", x: 38, y: 2)
    label("colours", row: 3, on: &canvas)
    let colours = facts.colors == 0 ? "none" : "\(facts.colors) (\(colorDepthName(facts.colors))), \(facts.colorPairs) pairs"
    canvas.write(colours, x: 11, y: 3)
    label("encoding", row: 4, on: &canvas)
    canvas.write(facts.encoding, x: 11, y: 4)

    var y = 6
    if height >= 24 {
        drawSamples(on: &canvas, from: y)
        y += 9
    }
    canvas.write("Press keys, click, scroll, paste, resize. Ctrl-C quits too; Ctrl-Z suspends.", x: 1, y: y)
    canvas.write("last events, newest first", x: 1, y: y + 1, style: Style(attributes: [.bold, .underline]))
    if state.events.isEmpty { canvas.write("(none yet)", x: 3, y: y + 2, style: labelStyle) }
    for (i, event) in state.events.reversed().enumerated() where y + 2 + i < height {
        canvas.write(String(event.number), x: 1, y: y + 2 + i, style: labelStyle, maxWidth: 5)
        canvas.write(event.text, x: 7, y: y + 2 + i, maxWidth: width - 8)
    }
    return canvas
}

private let labelStyle = Style(attributes: .dim)

private func label(_ name: String, row: Int, on canvas: inout Canvas) {
    canvas.write(name, x: 1, y: row, style: labelStyle)
}

/// Seven rows of samples from `top`: the 16 ANSI colours, the 6×6×6 colour cube (one block per red
/// level, green down two levels a row as ▀, blue across), the 24 greys, an rgb hue gradient, block,
/// braille, wide and combining characters, and the text attributes.
private func drawSamples(on canvas: inout Canvas, from top: Int) {
    let x = 11
    label("ANSI 16", row: top, on: &canvas)
    for n in 0..<16 {
        canvas.write("  ", x: x + 2 * n, y: top, style: Style(background: .ansi(UInt8(n))))
    }
    let levels: [UInt8] = [0, 95, 135, 175, 215, 255]
    label("256 cube", row: top + 1, on: &canvas)
    for r in 0..<6 {
        for g in stride(from: 0, to: 6, by: 2) {
            for b in 0..<6 {
                let style = Style(foreground: .rgb(levels[r], levels[g], levels[b]),
                                  background: .rgb(levels[r], levels[g + 1], levels[b]))
                canvas.write("▀", x: x + r * 7 + b, y: top + 1 + g / 2, style: style)
            }
        }
    }
    label("greys", row: top + 4, on: &canvas)
    for n in 0..<24 {
        let v = UInt8(8 + 10 * n)
        canvas.write(" ", x: x + n, y: top + 4, style: Style(background: .rgb(v, v, v)))
    }
    label("rgb", row: top + 5, on: &canvas)
    let span = max(1, min(72, canvas.width - x - 1))
    for i in 0..<span {
        let hue = Double(i) / Double(span)
        canvas.write("▀", x: x + i, y: top + 5,
                     style: Style(foreground: rgb(hue: hue, value: 1), background: rgb(hue: hue, value: 0.5)))
    }
    label("blocks", row: top + 6, on: &canvas)
    canvas.write("▀▄█░▒▓⣿  ⠁⠃⠇⡇⣇⣧⣷⣿  wide: 東京 🙂  combining: e\u{301}", x: x, y: top + 6)
    label("styles", row: top + 7, on: &canvas)
    var column = x
    for (name, attributes) in [("bold", Attributes.bold), ("dim", .dim), ("underline", .underline),
                               ("reverse", .reverse), ("italic", .italic)] {
        column += canvas.write(name, x: column, y: top + 7, style: Style(attributes: attributes)) + 1
    }
}

/// A fully saturated colour of the given hue (0–1 around the colour wheel) at brightness `value`.
private func rgb(hue: Double, value: Double) -> Color {
    let h = hue * 6, sector = Int(h) % 6, f = h - Double(Int(h))
    let (r, g, b): (Double, Double, Double) = switch sector {
    case 0: (1, f, 0)
    case 1: (1 - f, 1, 0)
    case 2: (0, 1, f)
    case 3: (0, 1 - f, 1)
    case 4: (f, 0, 1)
    default: (1, 0, 1 - f)
    }
    func byte(_ c: Double) -> UInt8 { UInt8((c * value * 255).rounded()) }
    return .rgb(byte(r), byte(g), byte(b))
}
