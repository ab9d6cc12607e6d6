import Testing
@testable import Explorer
import Terminal
import Transformer

@Suite struct Navigation {
    @Test func arrowsMoveTheCellWithinTheMatrix() throws {
        var state = try Fixtures.state()
        let tokens = state.session.inspection!.tokens.count
        #expect(state.row == tokens - 1 && state.column == 0)
        update(&state, .key(.right))
        update(&state, .key(.character("l")))
        #expect(state.column == 2)
        for _ in 0..<50 { update(&state, .key(.down)) }
        #expect(state.row == tokens - 1)
        for _ in 0..<50 { update(&state, .key(.left)) }
        #expect(state.column == 0)
        update(&state, .key(.character("k")))
        #expect(state.row == tokens - 2)
    }

    @Test func bracketsCycleLayersAndHeads() throws {
        var state = try Fixtures.state()
        #expect(state.site == "blocks.0.attn")
        update(&state, .key(.character("]")))
        #expect(state.site == "blocks.1.attn")
        update(&state, .key(.character("]")))
        #expect(state.site == "blocks.0.attn")
        update(&state, .key(.character("}")))
        #expect(state.head == 1)
        update(&state, .key(.character("}")))
        #expect(state.head == 0)
        update(&state, .key(.character("{")))
        #expect(state.head == 1)
    }

    @Test func stagesCycle() throws {
        var state = try Fixtures.state()
        #expect(state.stage == .pattern)
        update(&state, .key(.character("s")))
        #expect(state.stage == .scores)
        update(&state, .key(.character("S")))
        #expect(state.stage == .pattern)
    }

    @Test func zoomTogglesTheOverview() throws {
        var state = try Fixtures.state(text: String(repeating: "the cat sat on the mat . ", count: 4))
        #expect(!state.overview)
        update(&state, .key(.character("z")))
        #expect(state.overview)
        let layout = ExploreLayout(state).heatmap!.layout(in: ExploreLayout(state).heatmapArea)
        #expect(layout.compact && layout.rows.count == 28, "all 28 rows fit in the overview")
        update(&state, .key(.character("z")))
        #expect(!state.overview)
    }

    @Test func helpOverlayOpensAndClosesAndQIsQuit() throws {
        var state = try Fixtures.state()
        update(&state, .key(.character("?")))
        #expect(state.showHelp)
        update(&state, .key(.right))
        #expect(state.column == 0, "keys do not reach the screen under the overlay")
        update(&state, .key(.escape))
        #expect(!state.showHelp)
        update(&state, .key(.character("q")))
        #expect(state.quit)
    }

    @Test func homeOpensAnotherModel() throws {
        var state = try Fixtures.state(screen: .home)
        update(&state, .key(.down))
        update(&state, .key(.down))
        update(&state, .key(.enter))
        #expect(state.screen == .explore)
        #expect(state.session.loaded.name == "tiny-bert")
        #expect(state.session.inspection?.tokens.first?.text == "[CLS]")
    }

    @Test func screensSwitchAndEscapeBacksOut() throws {
        var state = try Fixtures.state()
        update(&state, .key(.character("m")))
        #expect(state.screen == .modelGrid)
        update(&state, .key(.down))
        update(&state, .key(.right))
        update(&state, .key(.enter))
        #expect(state.screen == .explore && state.site == "blocks.1.attn" && state.head == 1)
        update(&state, .key(.character("r")))
        #expect(state.screen == .residual)
        update(&state, .key(.escape))
        #expect(state.screen == .explore)
        update(&state, .key(.escape))
        #expect(state.screen == .home)
    }

    @Test func encoderDecoderSitesIncludeCrossAttention() throws {
        var state = try Fixtures.state(model: "tiny-transformer", text: "a dog chased the red ball")
        var seen: [String] = []
        for _ in 0..<state.session.sites.count {
            seen.append(state.site!)
            update(&state, .key(.character("]")))
        }
        #expect(seen.contains("decoder.blocks.0.cross_attn"))
        #expect(seen.first == "encoder.blocks.0.attn")
    }
}

@Suite struct Editing {
    @Test func typingReRunsTheModelAndEnterKeepsIt() throws {
        var state = try Fixtures.state(text: "the cat")
        update(&state, .key(.character("e")))
        #expect(state.editor != nil)
        for c in " sat" { update(&state, .key(.character(c))) }
        #expect(state.session.text == "the cat sat")
        #expect(state.session.inspection?.tokens.count == 3)
        update(&state, .key(.enter))
        #expect(state.editor == nil)
        #expect(state.session.text == "the cat sat")
        // Outside the mode, letters navigate again.
        update(&state, .key(.character("h")))
        #expect(state.session.text == "the cat sat")
    }

    @Test func escapeRestoresTheOldSentence() throws {
        var state = try Fixtures.state(text: "the cat")
        update(&state, .key(.character("/")))
        update(&state, .key(.backspace))
        update(&state, .key(.backspace))
        #expect(state.session.text == "the c")
        update(&state, .key(.escape))
        #expect(state.editor == nil)
        #expect(state.session.text == "the cat")
        #expect(state.session.inspection?.tokens.map(\.text) == ["the", "cat"])
    }

    @Test func nonASCIITextEditsByCharacter() {
        var editor = LineEditor("")
        for c in "café 東京 👩‍👩‍👧" { editor.apply(.key(.character(c))) }
        #expect(editor.text == "café 東京 👩‍👩‍👧")
        editor.apply(.key(.backspace))
        #expect(editor.text == "café 東京 ")
        editor.apply(.key(.home))
        editor.apply(.key(.right))
        editor.apply(.key(.right))
        editor.apply(.key(.right))
        editor.apply(.key(.delete))
        #expect(editor.text == "caf 東京 ")
        editor.apply(.key(.end))
        #expect(editor.cursorColumn == 3 + 1 + 4 + 1)
        // A combining accent typed after "e" joins it.
        var combining = LineEditor("e")
        combining.apply(.key(.character("\u{301}")))
        #expect(combining.text == "e\u{301}" && combining.cursor == 1)
        // A paste is one event; its newlines become spaces.
        combining.apply(.paste("x\ny"))
        #expect(combining.text == "e\u{301}x y")
    }

    @Test func textTooLongKeepsTheLastGoodRunAndSaysWhy() throws {
        var state = try Fixtures.state(text: "the cat")
        update(&state, .key(.character("e")))
        update(&state, .paste(String(repeating: " the cat", count: 20)))
        #expect(state.session.problem?.contains("context is 32 tokens") == true)
        #expect(state.session.inspection?.tokens.count == 2)
    }
}

@Suite struct HomeScreenWidths {
    /// On a narrow terminal a line's detail takes a shorter form that fits, never a word cut short.
    @Test(arguments: [80, 81, 84, 100, 120])
    func detailsFitWhole(width: Int) throws {
        let state = try Fixtures.state(screen: .home, width: width, height: 24)
        let text = view(state).text
        let line = try #require(text.split(separator: "\n").first { $0.contains("Explore tiny-gpt on your sentence") })
        let detail = line.components(separatedBy: "on your sentence").last!.trimmingCharacters(in: .whitespaces)
        #expect(["attention heatmaps with every number", "every number shown", "heatmaps"].contains(detail), "\(line)")
        #expect(line.count <= width)
    }
}

@Suite struct TitleBarWidths {
    /// The title bar drops the program's name before it would cut the token count.
    @Test func aLongModelNameKeepsTheFacts() throws {
        let state = try Fixtures.state(model: "tiny-transformer", width: 80, height: 24)
        let title = String(view(state).text.split(separator: "\n")[0]).trimmingCharacters(in: .whitespaces)
        #expect(title.hasPrefix("tiny-transformer · encoder-decoder · mask causal · "), "\(title)")
        #expect(title.hasSuffix(" tokens"), "\(title)")
        let wide = try Fixtures.state(model: "tiny-transformer", width: 120, height: 40)
        #expect(view(wide).text.split(separator: "\n")[0].contains("Transformer Explorer · tiny-transformer"))
    }
}
