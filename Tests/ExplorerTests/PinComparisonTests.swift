import Foundation
import Testing
@testable import Explorer
import Analysis
import Terminal
import Transformer

/// Explore's pinned sentence: `p` pins the run on screen, an edit runs the new sentence, and the screen
/// shows both maps and their difference, with the selected cell's two values.
@Suite struct PinComparison {
    static let tired = "the animal crossed the street because it was tired"

    /// Pins on tiny-bert (every token sees the change), edits the last word, and returns the app.
    static func pinnedAndEdited(width: Int = 120, height: Int = 40) throws -> TestApp {
        let app = try Fixtures.app(model: "tiny-bert", text: tired, width: width, height: height)
        app.press(.character("p"))
        #expect(app.state.explore.pinned?.input.text == tired)
        app.press(.character("e"))
        for _ in 0..<"tired".count { app.press(.backspace) }
        app.send(.paste("wide"))
        app.press(.enter)
        #expect(app.state.input.text == "the animal crossed the street because it was wide")
        return app
    }

    @Test func theScreenShowsBothMapsTheDifferenceAndTheCellsTwoValues() throws {
        let app = try Self.pinnedAndEdited()
        // Layer 1, head 1: select because → it, which the last word's change moves most.
        let tokens = app.state.run!.tokens
        let query = try #require(tokens.firstIndex(of: "because")), key = try #require(tokens.firstIndex(of: "it"))
        app.press(.character("]"))
        app.press(.character("}"))
        app.apply { state in state.selection.query = query; state.selection.key = key; return [] }
        let text = app.view().text
        #expect(text.contains("pinned") && text.contains("now − pinned"), "\(text)")
        #expect(text.contains("only in the pinned sentence: tired · only now: wide"), "\(text)")
        // The values on screen are the two runs' own weights, and their difference.
        let store = app.program.store
        let pinned = try #require(store.run(app.state.explore.pinned!.id)).inspection
        let now = try #require(app.session.inspection)
        let hook = "blocks.1.attn.pattern"
        let before = try #require(pinned.result.cache[hook]).slice(1)[query, key]
        let after = try #require(now.result.cache[hook]).slice(1)[query, key]
        let expected = "because → it: pinned \(NumberFormat.fixed(before, decimals: 4)) · now \(NumberFormat.fixed(after, decimals: 4))"
        #expect(text.contains(expected), "\(expected)\n\(text)")
        #expect(before != after)
    }

    @Test func thePinnedRunOutlivesLaterRuns() throws {
        let app = try Self.pinnedAndEdited()
        let pinnedID = try #require(app.state.explore.pinned?.id)
        for word in [" a", " b", " c", " d", " e", " f"] {
            app.press(.character("e"))
            app.send(.paste(word))
            app.press(.enter)
        }
        #expect(app.program.store.run(pinnedID) != nil)
        #expect(app.view().text.contains("now − pinned"))
        // Unpinning goes back to the one heatmap, and the store lets the run go with the next ones.
        app.press(.character("p"))
        #expect(app.state.explore.pinned == nil)
        #expect(!app.view().text.contains("now − pinned"))
        for word in [" g", " h", " i", " j", " k"] {
            app.press(.character("e"))
            app.send(.paste(word))
            app.press(.enter)
        }
        #expect(app.program.store.run(pinnedID) == nil)
    }

    @Test func beforeAnEditThePinSaysWhatToDo() throws {
        let app = try Fixtures.app(model: "tiny-bert", text: Self.tired)
        app.press(.character("p"))
        let text = app.view().text
        #expect(text.contains("edit the sentence (e) to compare"), "\(text)")
        #expect(!text.contains("now − pinned"))
    }

    /// At the smallest size and at 120×40 the comparison is drawn without overlapping lines.
    @Test(arguments: [(80, 24), (120, 40)])
    func snapshot(size: (Int, Int)) throws {
        let app = try Self.pinnedAndEdited(width: size.0, height: size.1)
        app.press(.character("]"))
        app.press(.character("}"))
        assertSnapshot(app.view(), named: "pin-comparison-\(size.0)x\(size.1)")
    }
}
