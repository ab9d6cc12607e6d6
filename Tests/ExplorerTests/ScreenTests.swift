import Lessons
import Testing
@testable import Explorer
import Terminal
import Transformer

@Suite struct Screens {
    static let sizes = [(80, 24), (120, 40)]

    @Test func exploreScreenSnapshots() throws {
        for (w, h) in Self.sizes {
            let app = try Fixtures.app(width: w, height: h)
            // "it" (query 9) looking at "animal" (key 1) in the pronoun head.
            app.send(.key(.character("}")))
            for _ in 0..<3 { app.send(.key(.up)) }
            app.send(.key(.right))
            assertSnapshot(app.view(), named: "explore-\(w)x\(h)")
        }
    }

    @Test func everyScreenInEveryThemeAtBothSizes() throws {
        let themes: [(String, ThemeChoice)] = [
            ("dark", ThemeChoice()), ("light", ThemeChoice(background: .light)),
            ("mono", ThemeChoice(monochrome: true)), ("colorblind", ThemeChoice(colorBlindSafe: true)),
        ]
        for (name, theme) in themes {
            for screen in [Screen.home, .modelGrid, .residual] {
                let state = try Fixtures.app(screen: screen, width: 120, height: 40, theme: theme)
                assertSnapshot(state.view(), named: "\(screen)-\(name)-120x40")
            }
            let explore = try Fixtures.app(width: 80, height: 24, theme: theme)
            assertSnapshot(explore.view(), named: "explore-\(name)-80x24")
        }
    }

    @Test func helpOverlay() throws {
        let app = try Fixtures.app(width: 80, height: 24)
        app.send(.key(.character("?")))
        assertSnapshot(app.view(), named: "help-80x24")
    }

    @Test func tooSmallSaysWhatItNeeds() throws {
        let app = try Fixtures.app()
        app.send(.resize(width: 60, height: 15))
        let text = app.view().text
        #expect(text.contains("terminal too small: need 80×24, have 60×15"))
        app.send(.resize(width: 120, height: 40))
        #expect(!app.view().text.contains("too small"))
    }

    @Test func encoderDecoderCrossAttentionIsNonSquare() throws {
        let app = try Fixtures.app(model: "tiny-transformer", text: "a dog chased the red ball")
        while app.state.site?.name != "decoder.blocks.0.cross_attn" { app.send(.key(.character("]"))) }
        assertSnapshot(app.view(), named: "explore-cross-attention-120x40")
    }

    @Test func editingShowsTheCursorAndNonASCIIText() throws {
        let app = try Fixtures.app(text: "the cat")
        app.send(.key(.character("e")))
        for c in " café 東京" { app.send(.key(.character(c))) }
        let canvas = app.view()
        #expect(canvas.text.contains("editing:  the cat café 東京"))
        let cursor = try #require(cursorPosition(app.state))
        #expect(cursor.y == 1)
        #expect(cursor.x == 1 + 10 + DisplayWidth.of("the cat café 東京"))
    }

    /// The numbers the explore screen shows for the selected cell are the cache's.
    @Test func shownNumbersAreTheCachesNumbers() throws {
        let app = try Fixtures.app()
        app.send(.key(.character("}")))
        for _ in 0..<3 { app.send(.key(.up)) }
        app.send(.key(.right))
        let cache = app.session.cache!
        let text = app.view().text
        let weight = cache["blocks.0.attn.pattern"]![1, app.state.selection.query, app.state.selection.key]
        let score = cache["blocks.0.attn.scores"]![1, app.state.selection.query, app.state.selection.key]
        let scaled = cache["blocks.0.attn.scaled"]![1, app.state.selection.query, app.state.selection.key]
        #expect(text.contains(NumberText.format(weight, decimals: 4)))
        #expect(text.contains("= " + NumberText.format(score, decimals: 4)))
        #expect(text.contains("= " + NumberText.format(scaled, decimals: 4)))
        #expect(text.contains("it → animal"))
        // The dot product lists its largest terms first, and says how many it leaves out.
        let q = cache["blocks.0.attn.q"]!.slice(1).slice(app.state.selection.query).scalars
        let k = cache["blocks.0.attn.k"]!.slice(1).slice(app.state.selection.key).scalars
        let largest = q.indices.max { abs(q[$0] * k[$0]) < abs(q[$1] * k[$1]) }!
        #expect(text.contains("q·k = \(NumberText.format(q[largest]))×\(NumberText.format(k[largest])) + "), "\(text)")
        #expect(text.contains(" more = " + NumberText.format(score, decimals: 4)))
    }

    @Test func mouseClickSelectsAHeatmapCell() throws {
        let app = try Fixtures.app()
        let layout = app.state.layout.heatmap!
        let x = layout.grid.x + 2 * layout.cellWidth, y = layout.grid.y + 3
        app.send(.mouse(MouseEvent(action: .press, x: x, y: y)))
        #expect(app.state.selection.key == 2 && app.state.selection.query == 3)
    }
}
