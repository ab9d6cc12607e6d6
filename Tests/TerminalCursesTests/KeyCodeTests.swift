import CNcurses
import Terminal
import Testing
@testable import TerminalCurses

@Suite struct KeyCodeTests {
    @Test func cursesKeyCodesBecomeKeys() {
        let table: [(Int32, Key)] = [
            (KEY_UP, .up), (KEY_DOWN, .down), (KEY_LEFT, .left), (KEY_RIGHT, .right),
            (KEY_HOME, .home), (KEY_END, .end), (KEY_PPAGE, .pageUp), (KEY_NPAGE, .pageDown),
            (KEY_BTAB, .backTab), (KEY_ENTER, .enter), (KEY_BACKSPACE, .backspace), (KEY_DC, .delete),
            (KEY_IC, .insert), (te_key_f(1), .function(1)), (te_key_f(12), .function(12)),
            (te_key_f(24), .function(24)),
        ]
        for (code, key) in table { #expect(KeyCodes.key(forCode: code) == key, "code \(code)") }
        #expect(KeyCodes.key(forCode: KEY_MAX + 40) == nil)
        #expect(KeyCodes.key(forCode: KEY_MOUSE) == nil)
    }

    @Test func controlCharactersBecomeKeys() {
        let table: [(UInt32, Key)] = [
            (9, .tab), (10, .enter), (13, .enter), (8, .backspace), (127, .backspace), (27, .escape),
            (1, .ctrl("a")), (3, .ctrl("c")), (19, .ctrl("s")), (26, .ctrl("z")),
        ]
        for (scalar, key) in table { #expect(KeyCodes.key(forControl: scalar) == key, "scalar \(scalar)") }
        for scalar: UInt32 in [0, 28, 29, 30, 31] { #expect(KeyCodes.key(forControl: scalar) == nil) }
        #expect(KeyCodes.isControl(0x1B) && KeyCodes.isControl(0x7F) && !KeyCodes.isControl(0x20) && !KeyCodes.isControl(0xE9))
    }

    @Test func mouseButtonStatesBecomeMouseEvents() {
        let masks = MouseMasks(press: 0b0010, release: 0b0001, wheelUp: 0b1000_0000, wheelDown: 0b1_0000_0000)
        #expect(masks.event(state: 0b0010, x: 12, y: 5) == MouseEvent(action: .press, x: 12, y: 5))
        #expect(masks.event(state: 0b0001, x: 0, y: 0) == MouseEvent(action: .release, x: 0, y: 0))
        #expect(masks.event(state: 0b1000_0000, x: 3, y: 4) == MouseEvent(action: .scrollUp, x: 3, y: 4))
        #expect(masks.event(state: 0b1_0000_0000, x: 3, y: 4) == MouseEvent(action: .scrollDown, x: 3, y: 4))
        #expect(masks.event(state: 0b0100, x: 1, y: 1) == nil)
        // ncurses' own masks are distinct bits.
        let real = MouseMasks.ncurses
        #expect(Set([real.press, real.release, real.wheelUp, real.wheelDown]).count == 4)
        #expect([real.press, real.release, real.wheelUp, real.wheelDown].allSatisfy { $0.nonzeroBitCount == 1 })
    }
}
