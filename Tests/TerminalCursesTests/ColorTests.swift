import Terminal
import Testing
@testable import TerminalCurses

@Suite struct ColorTests {
    typealias Colors = ColorPairs.Colors

    @Test func pairsAreAllocatedOncePerCombination() {
        var pairs = ColorPairs(limit: 256)
        #expect(pairs.pair(for: Colors(foreground: -1, background: -1)) == (0, false))
        #expect(pairs.pair(for: Colors(foreground: 1, background: -1)) == (1, true))
        #expect(pairs.pair(for: Colors(foreground: 2, background: 4)) == (2, true))
        #expect(pairs.pair(for: Colors(foreground: 1, background: -1)) == (1, false))
        #expect(pairs.assigned.count == 2)
    }

    @Test func runningOutOfPairsFallsBackToTheNearestPair() {
        var pairs = ColorPairs(limit: 4)   // pairs 1, 2, 3 usable
        _ = pairs.pair(for: Colors(foreground: 1, background: 10))
        _ = pairs.pair(for: Colors(foreground: 2, background: 20))
        _ = pairs.pair(for: Colors(foreground: 3, background: 30))
        #expect(pairs.pair(for: Colors(foreground: 9, background: 20)) == (2, false))   // same background
        #expect(pairs.pair(for: Colors(foreground: 3, background: 99)) == (3, false))   // same foreground
        #expect(pairs.pair(for: Colors(foreground: 8, background: 88)) == (0, false))   // nothing alike
        #expect(pairs.assigned.count == 3)
        #expect(ColorPairs(limit: 0).limit == 1)
    }

    @Test func aRefusedPairDrawsWithDefaultColours() {
        var pairs = ColorPairs(limit: 8)
        let odd = Colors(foreground: 300, background: 1)
        #expect(pairs.pair(for: odd) == (1, true))
        pairs.refuse(odd)
        #expect(pairs.pair(for: odd) == (0, false))
        #expect(pairs.pair(for: Colors(foreground: 2, background: 1)) == (2, true))   // numbers are not reused
    }

    @Test func coloursMapToWhatTheTerminalHas() {
        let map = BasicColorMapping.map
        #expect(map(.terminalDefault, 256) == -1)
        #expect(map(.red, 0) == -1)
        #expect(map(.ansi(9), 256) == 9)
        #expect(map(.ansi(9), 8) == 1)
        #expect(map(.rgb(255, 0, 0), 256) == 196)
        #expect(map(.rgb(95, 135, 175), 256) == 16 + 36 * 1 + 6 * 2 + 3)
        #expect(map(.rgb(128, 128, 128), 256) == 244)   // a grey is nearer the grey ramp than the cube
        #expect(map(.rgb(250, 10, 10), 16) == 9)
        #expect(map(.rgb(250, 10, 10), 8) == 1)
        #expect(map(.rgb(0x12, 0x34, 0x56), 1 << 24) == 0x123456)
        #expect(map(.rgb(0, 0, 3), 1 << 24) == 8)   // below 8 would mean an ANSI colour
        #expect(map(.ansi(2), 1 << 24) == 2)
    }

    @Test func terminfoDelaysAreRemoved() {
        #expect(CursesTerminal.withoutDelays("\u{1B}[?1049l$<5>\u{1B}[m$<2/>") == "\u{1B}[?1049l\u{1B}[m")
        #expect(CursesTerminal.withoutDelays("cost $5") == "cost $5")
    }
}
