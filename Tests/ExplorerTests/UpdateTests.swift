import Testing
@testable import Explorer
import Terminal
import Transformer

@Suite struct Navigation {
    @Test func arrowsMoveTheCellWithinTheMatrix() throws {
        let app = try Fixtures.app()
        let tokens = app.session.inspection!.tokens.count
        #expect(app.state.selection.query == tokens - 1 && app.state.selection.key == 0)
        app.send(.key(.right))
        app.send(.key(.character("l")))
        #expect(app.state.selection.key == 2)
        for _ in 0..<50 { app.send(.key(.down)) }
        #expect(app.state.selection.query == tokens - 1)
        for _ in 0..<50 { app.send(.key(.left)) }
        #expect(app.state.selection.key == 0)
        app.send(.key(.character("k")))
        #expect(app.state.selection.query == tokens - 2)
    }

    @Test func bracketsCycleLayersAndHeads() throws {
        let app = try Fixtures.app()
        #expect(app.state.site?.name == "blocks.0.attn")
        app.send(.key(.character("]")))
        #expect(app.state.site?.name == "blocks.1.attn")
        app.send(.key(.character("]")))
        #expect(app.state.site?.name == "blocks.0.attn")
        app.send(.key(.character("}")))
        #expect(app.state.selection.head == 1)
        app.send(.key(.character("}")))
        #expect(app.state.selection.head == 0)
        app.send(.key(.character("{")))
        #expect(app.state.selection.head == 1)
    }

    @Test func stagesCycle() throws {
        let app = try Fixtures.app()
        #expect(app.state.explore.stage == .pattern)
        app.send(.key(.character("s")))
        #expect(app.state.explore.stage == .scores)
        app.send(.key(.character("S")))
        #expect(app.state.explore.stage == .pattern)
    }

    @Test func zoomTogglesTheOverview() throws {
        let app = try Fixtures.app(text: String(repeating: "the cat sat on the mat . ", count: 4))
        #expect(!app.state.explore.overview)
        app.send(.key(.character("z")))
        #expect(app.state.explore.overview)
        let layout = app.state.layout.heatmap!
        #expect(layout.compact && layout.rows.count == 28, "all 28 rows fit in the overview")
        app.send(.key(.character("z")))
        #expect(!app.state.explore.overview)
    }

    @Test func helpOverlayOpensAndClosesAndQIsQuit() throws {
        let app = try Fixtures.app()
        app.send(.key(.character("?")))
        #expect(app.state.showHelp)
        app.send(.key(.right))
        #expect(app.state.selection.key == 0, "keys do not reach the screen under the overlay")
        app.send(.key(.escape))
        #expect(!app.state.showHelp)
        app.send(.key(.character("q")))
        #expect(app.state.quit)
    }

    @Test func homeOpensAnotherModel() throws {
        let app = try Fixtures.app(screen: .home)
        app.send(.key(.down))
        app.send(.key(.down))
        app.send(.key(.enter))
        #expect(app.state.screen == .explore)
        #expect(app.session.loaded.name == "tiny-bert")
        #expect(app.session.inspection?.tokens.first?.text == "[CLS]")
    }

    @Test func screensSwitchAndEscapeBacksOut() throws {
        let app = try Fixtures.app()
        app.send(.key(.character("m")))
        #expect(app.state.screen == .modelGrid)
        app.send(.key(.down))
        app.send(.key(.right))
        app.send(.key(.enter))
        #expect(app.state.screen == .explore && app.state.site?.name == "blocks.1.attn" && app.state.selection.head == 1)
        app.send(.key(.character("r")))
        #expect(app.state.screen == .residual)
        app.send(.key(.escape))
        #expect(app.state.screen == .explore)
        app.send(.key(.escape))
        #expect(app.state.screen == .home)
    }

    @Test func encoderDecoderSitesIncludeCrossAttention() throws {
        let app = try Fixtures.app(model: "tiny-transformer", text: "a dog chased the red ball")
        var seen: [String] = []
        for _ in 0..<app.state.run!.sites.count {
            seen.append(app.state.site!.name)
            app.send(.key(.character("]")))
        }
        #expect(seen.contains("decoder.blocks.0.cross_attn"))
        #expect(seen.first == "encoder.blocks.0.attn")
    }
}

@Suite struct Editing {
    @Test func typingReRunsTheModelAndEnterKeepsIt() throws {
        let app = try Fixtures.app(text: "the cat")
        app.send(.key(.character("e")))
        #expect(app.state.editor != nil)
        for c in " sat" { app.send(.key(.character(c))) }
        #expect(app.session.text == "the cat sat")
        #expect(app.session.inspection?.tokens.count == 3)
        app.send(.key(.enter))
        #expect(app.state.editor == nil)
        #expect(app.session.text == "the cat sat")
        // Outside the mode, letters navigate again.
        app.send(.key(.character("h")))
        #expect(app.session.text == "the cat sat")
    }

    @Test func escapeRestoresTheOldSentence() throws {
        let app = try Fixtures.app(text: "the cat")
        app.send(.key(.character("/")))
        app.send(.key(.backspace))
        app.send(.key(.backspace))
        #expect(app.session.text == "the c")
        app.send(.key(.escape))
        #expect(app.state.editor == nil)
        #expect(app.session.text == "the cat")
        #expect(app.session.inspection?.tokens.map(\.text) == ["the", "cat"])
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
        let app = try Fixtures.app(text: "the cat")
        app.send(.key(.character("e")))
        app.send(.paste(String(repeating: " the cat", count: 20)))
        #expect(app.session.problem?.contains("context is 32 tokens") == true)
        #expect(app.session.inspection?.tokens.count == 2)
    }
}

@Suite struct HomeScreenWidths {
    /// On a narrow terminal a line's detail takes a shorter form that fits, never a word cut short.
    @Test(arguments: [80, 81, 84, 100, 120])
    func detailsFitWhole(width: Int) throws {
        let state = try Fixtures.app(screen: .home, width: width, height: 24)
        let text = state.view().text
        let line = try #require(text.split(separator: "\n").first { $0.contains("Explore tiny-gpt on your sentence") })
        let detail = line.components(separatedBy: "on your sentence").last!.trimmingCharacters(in: .whitespaces)
        #expect(["attention heatmaps with every number", "every number shown", "heatmaps"].contains(detail), "\(line)")
        #expect(line.count <= width)
    }
}

@Suite struct TitleBarWidths {
    /// The title bar drops the program's name before it would cut the token count.
    @Test func aLongModelNameKeepsTheFacts() throws {
        let state = try Fixtures.app(model: "tiny-transformer", width: 80, height: 24)
        let title = String(state.view().text.split(separator: "\n")[0]).trimmingCharacters(in: .whitespaces)
        #expect(title.hasPrefix("tiny-transformer · encoder-decoder · mask causal · "), "\(title)")
        #expect(title.hasSuffix(" tokens"), "\(title)")
        let wide = try Fixtures.app(model: "tiny-transformer", width: 120, height: 40)
        #expect(wide.view().text.split(separator: "\n")[0].contains("Transformer Explorer · tiny-transformer"))
    }
}
