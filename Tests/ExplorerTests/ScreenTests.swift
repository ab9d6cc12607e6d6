import Lessons
import Testing
@testable import Explorer
import Terminal
import Transformer

@Suite struct Screens {
    static let sizes = [(80, 24), (120, 40)]

    @Test func exploreScreenSnapshots() throws {
        for (w, h) in Self.sizes {
            var state = try Fixtures.state(width: w, height: h)
            // "it" (query 9) looking at "animal" (key 1) in the pronoun head.
            update(&state, .key(.character("}")))
            for _ in 0..<3 { update(&state, .key(.up)) }
            update(&state, .key(.right))
            assertSnapshot(view(state), named: "explore-\(w)x\(h)")
        }
    }

    @Test func everyScreenInEveryThemeAtBothSizes() throws {
        let themes: [(String, ThemeChoice)] = [
            ("dark", ThemeChoice()), ("light", ThemeChoice(background: .light)),
            ("mono", ThemeChoice(monochrome: true)), ("colorblind", ThemeChoice(colorBlindSafe: true)),
        ]
        for (name, theme) in themes {
            for screen in [Screen.home, .modelGrid, .residual] {
                let state = try Fixtures.state(screen: screen, width: 120, height: 40, theme: theme)
                assertSnapshot(view(state), named: "\(screen)-\(name)-120x40")
            }
            let explore = try Fixtures.state(width: 80, height: 24, theme: theme)
            assertSnapshot(view(explore), named: "explore-\(name)-80x24")
        }
    }

    @Test func helpOverlay() throws {
        var state = try Fixtures.state(width: 80, height: 24)
        update(&state, .key(.character("?")))
        assertSnapshot(view(state), named: "help-80x24")
    }

    @Test func tooSmallSaysWhatItNeeds() throws {
        var state = try Fixtures.state()
        update(&state, .resize(width: 60, height: 15))
        let text = view(state).text
        #expect(text.contains("terminal too small: need 80×24, have 60×15"))
        update(&state, .resize(width: 120, height: 40))
        #expect(!view(state).text.contains("too small"))
    }

    @Test func encoderDecoderCrossAttentionIsNonSquare() throws {
        var state = try Fixtures.state(model: "tiny-transformer", text: "a dog chased the red ball")
        while state.site != "decoder.blocks.0.cross_attn" { update(&state, .key(.character("]"))) }
        assertSnapshot(view(state), named: "explore-cross-attention-120x40")
    }

    @Test func editingShowsTheCursorAndNonASCIIText() throws {
        var state = try Fixtures.state(text: "the cat")
        update(&state, .key(.character("e")))
        for c in " café 東京" { update(&state, .key(.character(c))) }
        let canvas = view(state)
        #expect(canvas.text.contains("editing:  the cat café 東京"))
        let cursor = try #require(cursorPosition(state))
        #expect(cursor.y == 1)
        #expect(cursor.x == 1 + 10 + DisplayWidth.of("the cat café 東京"))
    }

    /// The numbers the explore screen shows for the selected cell are the cache's.
    @Test func shownNumbersAreTheCachesNumbers() throws {
        var state = try Fixtures.state()
        update(&state, .key(.character("}")))
        for _ in 0..<3 { update(&state, .key(.up)) }
        update(&state, .key(.right))
        let cache = state.session.cache!
        let text = view(state).text
        let weight = cache["blocks.0.attn.pattern"]![1, state.row, state.column]
        let score = cache["blocks.0.attn.scores"]![1, state.row, state.column]
        let scaled = cache["blocks.0.attn.scaled"]![1, state.row, state.column]
        #expect(text.contains(NumberText.format(weight, decimals: 4)))
        #expect(text.contains("= " + NumberText.format(score, decimals: 4)))
        #expect(text.contains("= " + NumberText.format(scaled, decimals: 4)))
        #expect(text.contains("it → animal"))
    }

    @Test func mouseClickSelectsAHeatmapCell() throws {
        var state = try Fixtures.state()
        let layout = ExploreLayout(state).heatmap!.layout(in: ExploreLayout(state).heatmapArea)
        let x = layout.grid.x + 2 * layout.cellWidth, y = layout.grid.y + 3
        update(&state, .mouse(MouseEvent(action: .press, x: x, y: y)))
        #expect(state.column == 2 && state.row == 3)
    }
}
