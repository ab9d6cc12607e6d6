import Testing
@testable import Terminal

@Suite struct ColorDepthTests {
    struct Case: Sendable, CustomStringConvertible {
        var environment: [String: String]
        var reported: Int
        var expected: ColorDepth
        var description: String { "\(environment) \(reported) → \(expected)" }
    }

    static let detection: [Case] = [
        Case(environment: ["NO_COLOR": "1", "COLORTERM": "truecolor", "TERM": "xterm-256color"], reported: 256, expected: .none),
        Case(environment: ["NO_COLOR": "", "TERM": "xterm-256color"], reported: 256, expected: .x256),
        Case(environment: ["TERM": "dumb", "COLORTERM": "truecolor"], reported: 0, expected: .none),
        Case(environment: ["COLORTERM": "truecolor", "TERM": "xterm"], reported: 8, expected: .direct),
        Case(environment: ["COLORTERM": "24bit", "TERM": "screen"], reported: 8, expected: .direct),
        Case(environment: ["TERM": "xterm-direct"], reported: 16_777_216, expected: .direct),
        Case(environment: ["TERM": "tmux-256color"], reported: 8, expected: .x256),
        Case(environment: ["TERM": "xterm-256color", "COLORTERM": "rxvt-xpm"], reported: 256, expected: .x256),
        Case(environment: ["TERM": "xterm-16color"], reported: 16, expected: .sixteen),
        Case(environment: ["TERM": "linux"], reported: 8, expected: .eight),
        Case(environment: ["TERM": "vt100"], reported: 0, expected: .none),
        Case(environment: [:], reported: -1, expected: .none),
        Case(environment: ["TERM": "xterm"], reported: 256, expected: .x256),
    ]

    @Test(arguments: detection) func detects(_ c: Case) {
        #expect(ColorDepth.detect(environment: c.environment, reportedColors: c.reported) == c.expected)
    }

    @Test func xtermPaletteEntries() {
        #expect(XtermPalette.rgb(16) == RGB(0, 0, 0))
        #expect(XtermPalette.rgb(196) == RGB(255, 0, 0))
        #expect(XtermPalette.rgb(67) == RGB(95, 135, 175))
        #expect(XtermPalette.rgb(231) == RGB(255, 255, 255))
        #expect(XtermPalette.rgb(232) == RGB(8, 8, 8))
        #expect(XtermPalette.rgb(244) == RGB(128, 128, 128))
        #expect(XtermPalette.rgb(255) == RGB(238, 238, 238))
        #expect(XtermPalette.rgb(9) == RGB(255, 0, 0))
    }

    @Test func rgbTo256() {
        let d = ColorDepth.x256
        #expect(d.map(.rgb(255, 0, 0)) == .ansi(196))          // pure red: a cube corner
        #expect(d.map(.rgb(128, 128, 128)) == .ansi(244))      // grey 128: exactly on the grey ramp
        #expect(d.map(.rgb(255, 255, 255)) == .ansi(231))
        #expect(d.map(.rgb(0, 0, 0)) == .ansi(16))
        #expect(d.map(.rgb(95, 135, 175)) == .ansi(67))        // exactly a cube entry
        #expect(d.map(.rgb(100, 100, 100)) == .ansi(241))      // grey 98 beats cube grey 95 and 135
        #expect(d.map(.rgb(0x44, 0x01, 0x54)) == .ansi(53))    // viridis' dark end: (95, 0, 95)
        #expect(d.map(.rgb(0xFD, 0xE7, 0x25)) == .ansi(220))   // viridis' yellow end: (255, 215, 0)
        #expect(d.map(.ansi(3)) == .ansi(3))
        #expect(d.map(.terminalDefault) == .terminalDefault)
    }

    @Test func rgbTo16And8() {
        #expect(ColorDepth.sixteen.map(.rgb(255, 0, 0)) == .ansi(9))
        #expect(ColorDepth.sixteen.map(.rgb(200, 0, 0)) == .ansi(1))
        #expect(ColorDepth.sixteen.map(.rgb(128, 128, 128)) == .ansi(8))
        #expect(ColorDepth.sixteen.map(.rgb(250, 250, 250)) == .ansi(15))
        #expect(ColorDepth.sixteen.map(.ansi(196)) == .ansi(9))
        #expect(ColorDepth.sixteen.map(.ansi(12)) == .ansi(12))
        #expect(ColorDepth.eight.map(.rgb(255, 0, 0)) == .ansi(1))
        #expect(ColorDepth.eight.map(.rgb(0, 0, 200)) == .ansi(4))
        #expect(ColorDepth.eight.map(.ansi(9)) == .ansi(1))
        #expect(ColorDepth.eight.map(.ansi(2)) == .ansi(2))
    }

    @Test func noneAndDirect() {
        for color in [Color.rgb(1, 2, 3), .ansi(5), .ansi(200), .terminalDefault] {
            #expect(ColorDepth.none.map(color) == .terminalDefault)
            #expect(ColorDepth.direct.map(color) == color)
        }
        let style = Style(foreground: .rgb(255, 0, 0), background: .rgb(0, 0, 0), attributes: [.reverse, .bold])
        #expect(ColorDepth.none.map(style) == Style(attributes: [.reverse, .bold]))
        #expect(ColorDepth.x256.map(style) == Style(foreground: .ansi(196), background: .ansi(16), attributes: [.reverse, .bold]))
    }

    @Test func depthsAreOrdered() {
        #expect(ColorDepth.none < .eight && .eight < .sixteen && .sixteen < .x256 && .x256 < .direct)
        #expect(ColorDepth.x256.showsScales && !ColorDepth.sixteen.showsScales)
        #expect(Theme.recommended(for: .none, lightBackground: true) == .monochrome)
        #expect(Theme.recommended(for: .x256, lightBackground: true) == .light)
    }
}
