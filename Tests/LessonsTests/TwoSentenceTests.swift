import Foundation
import Testing
import Analysis
import Tensor
@testable import Lessons
import Transformer

/// `@input` (a step's own sentence) and `@compare` (a second sentence beside it): parsing, the
/// runtime's `compared(…)` and `@show compare`, and the checker.
@Suite struct TwoSentences {
    static let tired = "the cat sat on the mat because it was tired"
    static let wide = "the cat sat on the mat because it was wide"

    @Test func parsesInputAndCompare() throws {
        let lesson = try parseClean(lessonText("""
            # Step 1: Own sentence
            @input the dog ran
            @compare "the dog sat"
            Text.
            # Step 2: Back
            Text.
            """))
        #expect(lesson.steps[0].input == SentenceSpec(text: "the dog ran", line: 9))
        #expect(lesson.steps[0].compare == SentenceSpec(text: "the dog sat", line: 10))
        #expect(lesson.steps[1].input == nil && lesson.steps[1].compare == nil)
        #expect(LessonRuntime.sentence(for: lesson.steps[0], lessonSentence: "x") == "the dog ran")
        #expect(LessonRuntime.sentence(for: lesson.steps[1], lessonSentence: "x") == "x")
    }

    @Test func inputAndCompareMistakes() {
        #expect(parseErrors(lessonText("# Step 1\n@input\nText.")) == [
            "9: @input needs a sentence, such as @input The animal didn't cross the street because it was too wide"])
        #expect(parseErrors(lessonText("# Step 1\n@compare a b\n@compare c d\nText.")) == [
            "10: a step has one @compare (this step's first is on line 9)"])
        #expect(parseErrors(lessonText("# Step 1\n@if 1 > 0\n@input a b\n@end\nText.")) == [
            "10: @input inside @if (line 9): only text and @show may depend on the sentence"])
    }

    /// `compared(…)` is the expression on the second sentence, its quoted tokens found there and the
    /// selection's query carried to its partner token.
    @Test func comparedEvaluatesOnTheSecondSentence() throws {
        let live = try Live(Self.tired)
        let step = try live.step("""
            @compare \(Self.wide)
            {{ weight('it', 'cat') }} {{ compared(weight('it', 'cat')) }} {{ compared(token(query)) }} {{ compared(count(tokens)) }}
            """, selection: Selection(layer: 0, head: 1, query: 7, key: 1))
        #expect(step.problems.isEmpty, "\(step.problems)")
        guard case .text(let text) = step.blocks.first else { Issue.record("no text"); return }
        let other = try LessonContext(loaded: live.context.loaded, text: Self.wide)
        let query = try #require(other.position(of: "it")), key = try #require(other.position(of: "cat"))
        let there = try #require(other.cache["blocks.0.attn.pattern"])[1, query, key]
        let here = try #require(live.context.cache["blocks.0.attn.pattern"])[1, 7, 1]
        #expect(text == "\(NumberText.format(here)) \(NumberText.format(there)) it \(other.tokens.count)", "\(text)")
    }

    @Test func comparedWithoutACompareSentenceIsAProblem() throws {
        let step = try Live(Self.tired).step("{{ compared(weight('it', 'cat')) }}")
        #expect(step.problems.first?.message.contains("add @compare") == true, "\(step.problems)")
    }

    /// `@show compare`: both matrices as each run has them, and B − A at the lined-up cells.
    @Test func showCompareGivesBothGridsAndTheDifference() throws {
        let live = try Live(Self.tired, model: "tiny-bert")
        let lesson = try parseClean(lessonText("""
            # Step 1: Two
            @compare \(Self.wide)
            @show compare blocks.1.attn.pattern
            """))
        let selection = Selection(layer: 1, head: 0, query: 8, key: 2)
        let step = LessonRuntime.evaluate(lesson, step: 0, in: live.context, selection: selection)
        #expect(step.problems.isEmpty, "\(step.problems)")
        guard case .show(let shown) = step.blocks.first, case .comparison(let comparison) = shown.content else {
            Issue.record("no comparison: \(step.blocks)"); return
        }
        let other = try LessonContext(loaded: live.context.loaded, text: Self.wide)
        let a = try #require(live.context.cache["blocks.1.attn.pattern"]).slice(0)
        let b = try #require(other.cache["blocks.1.attn.pattern"]).slice(0)
        #expect(comparison.a.values.joined().elementsEqual(a.scalars))
        #expect(comparison.b.values.joined().elementsEqual(b.scalars))
        #expect(comparison.onlyInA == ["tired"] && comparison.onlyInB == ["wide"])
        let alignment = TokenAlignment(live.context.tokens.map(\.text), other.tokens.map(\.text))
        for (i, row) in alignment.pairs.enumerated() {
            for (j, column) in alignment.pairs.enumerated() {
                let want = b[row.b, column.b] - a[row.a, column.a]
                #expect(abs(comparison.difference.values[i][j] - want) <= 1e-6)
            }
        }
        #expect(comparison.difference.rowLabels.count == alignment.pairs.count)
        // The selected query and key are marked in the difference too (both line up).
        #expect(comparison.difference.highlightedRow == alignment.pairs.firstIndex { $0.b == 8 })
    }

    /// The checker runs a step with `@input` on its own sentence: a token only that sentence has is
    /// no mistake there, and its claims are tested on that sentence's variants.
    @Test func checkerRunsAnInputStepOnItsOwnSentence() throws {
        let good = try Checking.check("""
            # Step 1
            @input the dog ran home because it was tired
            @expect weight('it', 'dog') >= 0
            The dog: {{ weight('it', 'dog') }}.
            """)
        #expect(good.isEmpty, "\(good)")
        let bad = try Checking.check("""
            # Step 1
            The dog: {{ weight('it', 'dog') }}.
            """)
        #expect(bad.first?.contains("unknown token 'dog'") == true, "\(bad)")
        // A claim true on the step's sentence, false once " and the new car" is appended.
        let failing = try Checking.check("""
            # Step 1
            @input the dog ran home because it was tired
            @expect count(tokens) < 12
            Text.
            """)
        #expect(failing.count == 1 && failing[0].contains("' and the new car' appended") == true, "\(failing)")
    }
}
