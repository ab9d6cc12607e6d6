import Terminal
import Testing
@testable import explorer

@Suite struct KeysScreenTests {
    let facts = TerminalFacts(term: "tmux-256color", description: "tmux with 256 colors", colors: 256,
                              colorPairs: 65536, encoding: "UTF-8")

    func lines(_ canvas: Canvas) -> [String] {
        canvas.text.split(separator: "\n", omittingEmptySubsequences: false).map {
            String($0.reversed().drop(while: { $0 == " " }).reversed())
        }
    }

    @Test func eventsReadAsText() {
        #expect(describe(.key(.left)) == "key: left")
        #expect(describe(.key(.ctrl("a"))) == "key: ctrl-a")
        #expect(describe(.key(.character("é"))) == "key: character \"é\" U+00E9")
        #expect(describe(.key(.character("e\u{301}"))) == "key: character \"é\" U+0065 U+0301")
        #expect(describe(.key(.function(5))) == "key: f5")
        #expect(describe(.paste("a\nb\u{1B}[31m")) == "paste: \"a\\nb\\e[31m\" (8 characters)")
        #expect(describe(.paste(String(repeating: "x", count: 100))) == "paste: \"\(String(repeating: "x", count: 59))…\" (100 characters)")
        #expect(describe(.mouse(MouseEvent(action: .press, x: 12, y: 5))) == "mouse: press at 12,5")
        #expect(describe(.mouse(MouseEvent(action: .scrollDown, x: 0, y: 1))) == "mouse: scroll down at 0,1")
        #expect(describe(.resize(width: 100, height: 30)) == "resize: 100×30")
        #expect(colorDepthName(1 << 24) == "24-bit direct colour")
        #expect(colorDepthName(256) == "256-colour palette")
        #expect(colorDepthName(8) == "8 ANSI colours")
        #expect(colorDepthName(0) == "no colour")
    }

    @Test func quitsOnQEscapeAndCtrlC() {
        var state = KeysState(facts: facts, width: 80, height: 24)
        let typed = state.update(.key(.character("x")))
        let resized = state.update(.resize(width: 100, height: 30))
        #expect(typed && resized)
        #expect(state.width == 100 && state.height == 30)
        for quit in [Event.key(.character("q")), .key(.escape), .key(.ctrl("c"))] {
            var copy = state
            let keepGoing = copy.update(quit)
            #expect(!keepGoing)
        }
        for n in 0..<20 { _ = state.update(.key(.function(n % 12 + 1))) }
        #expect(state.events.count == KeysState.remembered)
        #expect(state.events.last?.number == 22)
    }

    @Test func screenAt80By24() {
        var state = KeysState(facts: facts, width: 80, height: 24)
        _ = state.update(.key(.left))
        _ = state.update(.key(.character("é")))
        _ = state.update(.paste("hi\nthere"))
        let canvas = keysScreen(state, width: 80, height: 24)
        let text = lines(canvas)
        #expect(text.count == 24)
        #expect(text[0] == " explorer keys: what this terminal sends and shows               q or Esc quits")
        #expect(text[2] == " size      80×24            TERM      tmux-256color (tmux with 256 colors)")
        #expect(text[3] == " colours   256 (256-colour palette), 65536 pairs")
        #expect(text[4] == " encoding  UTF-8")
        #expect(text[12] == " blocks    ▀▄█░▒▓⣿  ⠁⠃⠇⡇⣇⣧⣷⣿  wide: 東京 🙂  combining: e\u{301}")
        #expect(text[15] == " Press keys, click, scroll, paste, resize. Ctrl-C quits too; Ctrl-Z suspends.")
        #expect(text[16] == " last events, newest first")
        #expect(text[17] == " 3     paste: \"hi\\nthere\" (8 characters)")
        #expect(text[18] == " 2     key: character \"é\" U+00E9")
        #expect(text[19] == " 1     key: left")
        // Swatches are painted through the backend's colour mapping: their cells carry the colours.
        #expect(canvas[11, 6].style.background == .ansi(0))
        #expect(canvas[11 + 2 * 15, 6].style.background == .ansi(15))
        #expect(canvas[11, 7].style.foreground == .rgb(0, 0, 0))
        #expect(canvas[11, 7].style.background == .rgb(0, 95, 0))
        #expect(canvas[11, 10].style.background == .rgb(8, 8, 8))
        #expect(canvas[11, 11].text == "▀")
    }

    @Test func smallScreensKeepTheSizeAndEvents() {
        var state = KeysState(facts: facts, width: 60, height: 15)
        _ = state.update(.key(.ctrl("a")))
        let text = lines(keysScreen(state, width: 60, height: 15))
        #expect(text[0] == " explorer keys: what this terminal sends and shows")
        #expect(text[2].hasPrefix(" size      60×15"))
        #expect(text[7] == " last events, newest first")
        #expect(text[8] == " 1     key: ctrl-a")
        #expect(!text.contains { $0.contains("ANSI 16") })
        // Even a tiny screen renders without trouble.
        #expect(keysScreen(state, width: 5, height: 2).width == 5)
    }
}
