import Testing
@testable import Explorer
import Terminal

/// The projector layout (`w`, `--layout projector`) and theme: at 100×30 a 15-token heatmap across
/// the whole width, with its numbers.
@Suite struct ProjectorLayout {
    static let fifteen = "the quick brown fox jumps over the lazy dog because it was too tired today"

    @Test func fifteenTokensShowTheirNumbersAt100x30() throws {
        for (name, theme) in [("dark", ThemeChoice()), ("projector", ThemeChoice(background: .projector))] {
            let app = try Fixtures.app(text: Self.fifteen, width: 100, height: 30, theme: theme)
            #expect(app.state.run?.tokens.count == 15)
            app.press(.character("w"))
            #expect(app.state.explore.projector)
            let canvas = app.view()
            assertSnapshot(canvas, named: "explore-projector-\(name)-100x30")
            // Every one of the 15 rows shows its unmasked weights with two decimals, and they are the
            // model's: row 14 (the last token) lists its 15 weights, the cursor's in brackets.
            let pattern = try #require(app.session.tensor(.pattern, at: app.state.site!)).slice(0)
            let lastRow = try #require(canvas.text.split(separator: "\n").first { $0.hasPrefix("   <unk> ") })
            let shown = lastRow.dropFirst(9).split(separator: " ").map { $0.trimmingCharacters(in: ["[", "]"]) }
            #expect(shown.count == 15)
            for (k, text) in shown.enumerated() {
                let value = Double(text.hasPrefix(".") ? "0" + text : text)!
                #expect(abs(value - Double(pattern.scalars[14 * 15 + k])) <= 0.005, "key \(k): \(text)")
            }
            // The numbers pane is left out at this size, so Tab stays on the heatmap.
            app.press(.tab)
            #expect(app.state.explore.pane == .heatmap)
            // The standard layout at this size has no room for them.
            app.press(.character("w"))
            #expect(!app.view().text.contains("0.96"))
        }
    }

    @Test func numbersPaneGoesBelowWhenThereIsRoom() throws {
        let app = try Fixtures.app(text: "the cat sat on the mat", width: 100, height: 30)
        app.press(.character("w"))
        assertSnapshot(app.view(), named: "explore-projector-short-100x30")
        let lines = app.view().text.split(separator: "\n")
        let rule = try #require(lines.firstIndex { $0.hasPrefix("────") })
        #expect(lines[rule + 1].contains("mat (query 5) → the (key 0)"))
        app.press(.tab)
        #expect(app.state.explore.pane == .details)
    }
}
