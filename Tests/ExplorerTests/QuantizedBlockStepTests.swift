import Lessons
import Testing
@testable import Explorer
import Terminal

/// The model-files lesson's step 5, "What a quantized file holds": a Q4_1 block of tiny-gpt's embed.W_E
/// with its bytes, d, m, codes and widened values, as the learner reads it.
@Suite struct QuantizedBlockStep {
    static func step5(width: Int, height: Int) throws -> TestApp {
        let app = try LessonRunner.lessonState("model-files", width: width, height: height)
        for _ in 0..<4 { app.press(.character("n")) }
        #expect(app.state.lesson!.evaluated!.title == "Step 5: What a quantized file holds")
        return app
    }

    /// The top of the step on both screens, and the block's table further down the page.
    @Test func atBothSizes() throws {
        for (w, h) in Screens.sizes {
            let app = try Self.step5(width: w, height: h)
            assertSnapshot(app.view(), named: "model-files-step5-\(w)x\(h)")
        }
        let app = try Self.step5(width: 80, height: 24)
        let page = LessonRunner.pageText(app)
        let table = try #require(page.range(of: "Q4_1 block of embed.W_E (quantized here)"), "\(page)")
        let lines = page[table.lowerBound...].split(separator: "\n", omittingEmptySubsequences: false)
        let rows = lines.filter { $0.contains("[0, ") && $0.contains("[1, ") }
        #expect(rows.count == 16, "the block's 32 values, two to a row:\n\(page)")
        for _ in 0..<2 { app.press(.character(" ")) }
        assertSnapshot(app.view(), named: "model-files-step5-table-80x24")
    }

    /// The page shows the same bytes and numbers the evaluator computes (one implementation, shown).
    @Test func pageShowsTheBlocksBytes() throws {
        let app = try Self.step5(width: 120, height: 40)
        let page = LessonRunner.pageText(app)
        #expect(page.contains("d9 33 db bd 66 f6 66 66 66 66 6e d0 ed 66 66 66 66 66 66 66"), "\(page)")
        #expect(page.contains("5 bits a weight"))
    }
}
