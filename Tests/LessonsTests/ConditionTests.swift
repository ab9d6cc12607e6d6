import Testing
@testable import Lessons
import Transformer

/// Comparisons, `and` / `or` / `not`, `weight(q, k)`, and `@if` … `@else` … `@end`: what keeps a
/// lesson's claims true on the learner's own sentence.
@Suite struct Conditions {
    @Test func comparisonsAndLogicParseWithTheirPrecedence() throws {
        let parsed = try ExpressionParser.parse("not a < 1 or b >= 2 and c != 'x'")
        #expect(parsed == .logical(.or, [.not(.compare(.name("a"), .less, .number(1))),
                                         .logical(.and, [.compare(.name("b"), .greaterOrEqual, .number(2)),
                                                         .compare(.name("c"), .notEqual, .token("x"))])]))
        // Arithmetic binds tighter than comparison; the description reads back as the same tree.
        let sum = try ExpressionParser.parse("x + 1 <= y * 2")
        #expect(sum == .compare(.binary(.add, .name("x"), .number(1)), .lessOrEqual, .binary(.multiply, .name("y"), .number(2))))
        for text in ["a < 1 or b >= 2 and c != 'x'", "(a or b) and c", "not (a and b)", "weight('it', 'cat') > 0.5"] {
            let tree = try ExpressionParser.parse(text)
            #expect(try ExpressionParser.parse(tree.description) == tree, "\(text) → \(tree.description)")
        }
    }

    @Test func malformedComparisonsAreRefusedWithAReason() {
        for (text, said) in [("a = 1", "'=' alone"), ("a < b < c", "one comparison at a time"), ("< 2", "needs something on its left"),
                             ("a ! b", "'!='")] {
            #expect(throws: ExpressionSyntaxError.self) { try ExpressionParser.parse(text) }
            do { _ = try ExpressionParser.parse(text) } catch let error as ExpressionSyntaxError {
                #expect(error.message.contains(said), "\(text): \(error.message)")
            } catch {}
        }
    }

    @Test func conditionsEvaluateOnTheLiveRun() throws {
        let live = try Live()
        let weight = live.tensor("blocks.0.attn.pattern")[1, 9, 1]
        #expect(try live.text("{{ weight('it', 'animal') | 4 }}") == NumberText.format(weight, decimals: 4))
        #expect(try live.text("{{ weight(query, key) > 0.5 }}") == (weight > 0.5 ? "1" : "0"))
        #expect(try live.text("{{ token(query) == 'it' and not (token(key) != 'animal') }}") == "1")
        #expect(try live.text("{{ 1 < 2 or weight('it', 'nothing') > 0 }}") == "1", "or stops once the answer is known")
        #expect(try live.text("{{ 2 < 1 and weight('it', 'nothing') > 0 }}") == "0", "and stops once the answer is known")
    }

    static let body = """
        @if weight('it', 'animal') > 0.5
        **it** looks at **animal**.
        @else
        **it** looks elsewhere.
        @end
        After.
        """

    @Test func ifPicksTheBranchThatIsTrueOnTheSentence() throws {
        let lesson = try parseClean(lessonText("# Step 1: Test\n" + Self.body))
        guard case .conditional(let conditional) = lesson.steps[0].blocks.first else { Issue.record("no @if"); return }
        #expect(conditional.line == 9 && conditional.then.count == 1 && conditional.otherwise.count == 1)

        let looks = try Live()
        #expect(looks.tensor("blocks.0.attn.pattern")[1, 9, 1] > 0.5)
        #expect(try looks.text(Self.body).hasPrefix("**it** looks at **animal**."))
        // On a sentence where it looks elsewhere, the other branch, and no claim that is false.
        let elsewhere = try Live("the animal sat and the dog ran because it was tired")
        let position = try #require(elsewhere.context.position(of: "it"))
        let animal = try #require(elsewhere.context.position(of: "animal"))
        let step = try elsewhere.step(Self.body, selection: Selection(layer: 0, head: 1, query: position, key: animal))
        let texts = step.blocks.compactMap { if case .text(let text) = $0 { return text } else { return nil } }
        let holds = elsewhere.tensor("blocks.0.attn.pattern")[1, position, animal] > 0.5
        #expect(texts.first == (holds ? "**it** looks at **animal**." : "**it** looks elsewhere."))
        // Without the word, the @else branch, and the reason said once above.
        let without = try Live("the dog sat on the mat because it was tired").step(Self.body)
        let said = without.blocks.compactMap { if case .text(let text) = $0 { return text } else { return nil } }
        #expect(said == ["⚠ No 'animal' in your sentence: the numbers that need it show as — below.", "**it** looks elsewhere.", "After."])
    }

    @Test func nestingAndMistakesAreLocated() throws {
        let nested = try parseClean(lessonText("# Step 1: Test\n@if 1 < 2\nA\n@if 2 < 1\nB\n@end\n@else\nC\n@end\n"))
        guard case .conditional(let outer) = nested.steps[0].blocks.first, case .conditional(let inner)? = outer.then.last else {
            Issue.record("nested @if"); return
        }
        #expect(inner.line == 11 && outer.otherwise.count == 1)
        #expect(parseErrors(lessonText("# Step 1: Test\n@if 1 <\nA\n@end\n")).first?.hasPrefix("9: @if 1 <:") == true)
        #expect(parseErrors(lessonText("# Step 1: Test\n@else\nA\n")) == ["9: @else without an @if before it"])
        #expect(parseErrors(lessonText("# Step 1: Test\n@if 1 < 2\nA\n# Step 2: Next\nB\n")) == ["9: unterminated @if: add @end after what it shows"])
        #expect(parseErrors(lessonText("# Step 1: Test\n@if 1 < 2\n@quiz choice\nQ?\n- [x] a\n@end\n@end\n")).first?
            .contains("@quiz inside @if (line 9)") == true)
    }

    /// The checker reads both branches: a mistake in the branch not taken on the lesson's sentence is found.
    @Test func theCheckerReadsBothBranches() throws {
        let mistakes = try Checking.check("# Step 1: Test\n@if 1 < 2\nFine.\n@else\n{{ blocks.0.attn.nothing[0] }}\n@end\n")
        #expect(mistakes.contains { $0.hasPrefix("12:") && $0.contains("nothing") }, "\(mistakes)")
    }
}

/// `@expect`: claims tested on the lesson's sentence and on the variants made from it.
@Suite struct Expectations {
    @Test func theVariantsAreTheDocumentedOnes() {
        let variants = LessonExpectations.variants(of: "the cat sat on the mat because it was tired")
        #expect(variants.map(\.text) == ["the cat sat on the mat because it was tired",
                                         "the cat sat on the mat it was tired",
                                         "the cat sat on the mat because it was tired and the new car",
                                         "café the cat sat on the mat because it was tired",
                                         "the cat sat on the mat because it was tired 🙂"])
        #expect(variants[1].name == "'because' removed")
    }

    /// A claim true on the lesson's sentence and false on a variant is reported with the variant; one
    /// that names a token a variant lacks is skipped there; one that holds everywhere says nothing.
    @Test func aClaimThatFailsOnAVariantIsReportedThere() throws {
        let mistakes = try Checking.check("""
            # Step 1: Test
            @select layer=0 head=1 query='it' key='cat'
            The sentence has {{ count(tokens) }} tokens, and it looks at cat.
            @expect count(tokens) == 10
            @expect weight('it', 'because') < 0.5
            @expect token(argmax(blocks.0.attn.pattern[1, 'it'])) == 'cat'
            """)
        #expect(mistakes.count == 4, "every variant changes the count: \(mistakes)")
        #expect(mistakes.allSatisfy { $0.hasPrefix("11: @expect count(tokens) == 10 does not hold on") }, "\(mistakes)")
        #expect(mistakes.contains { $0.contains("on 'because' removed: \"the cat sat on the mat it was tired\"") })
        #expect(mistakes.contains { $0.contains("' and the new car' appended") })
        #expect(mistakes.contains { $0.contains("'café ' put before it") }, "café is one more token (<unk>)")

        // Head 0 looks at the previous token: "it" at "because", wherever "because" is.
        let lesson = try parseClean(lessonText("# Step 1: Test\nText.\n@expect weight('it', 'because') > 0.5\n"))
        let findings = LessonExpectations.check(lesson, loaded: try Repository.model("tiny-gpt"))
        #expect(findings.failures.isEmpty && findings.skipped == 1, "skipped on the sentence without 'because'")
    }

    @Test func aMalformedExpectIsAParseMistake() {
        #expect(parseErrors(lessonText("# Step 1: Test\nText.\n@expect\n")) == ["10: @expect needs a condition, such as @expect weight('it', 'animal') > 0.5"])
        #expect(parseErrors(lessonText("# Step 1: Test\nText.\n@expect a <\n")).first?.hasPrefix("10: @expect a <:") == true)
    }
}

/// `@quiz token`: the answer is a token of the learner's sentence, checked against the live model.
@Suite struct TokenQuizzes {
    static let body = """
        @quiz token argmax(blocks.0.attn.pattern[1, query])
        Which token does **{{ token(query) }}** look at most?
        @end
        """

    @Test func theAnswerIsTheLiveTokenByTextOrPosition() throws {
        let live = try Live()
        let step = try live.step(Self.body)
        guard case .quiz(let quiz)? = step.blocks.first, case .token(let answer, let position) = quiz.kind else {
            Issue.record("no token quiz: \(step.blocks)"); return
        }
        let row = live.tensor("blocks.0.attn.pattern").slice(1).slice(9).scalars
        #expect(position == row.indices.max { row[$0] < row[$1] }! && answer == "animal")
        #expect(quiz.check(answer: "animal").correct && quiz.check(answer: " Animal ").correct)
        #expect(quiz.check(answer: String(position)).correct)
        #expect(!quiz.check(answer: "street").correct && !quiz.check(answer: "").understood)
        // On another sentence the right token is that sentence's.
        let other = try Live("the cat sat on the mat because it was tired")
        let query = try #require(other.context.position(of: "it"))
        guard case .quiz(let again)? = try other.step(Self.body, selection: Selection(layer: 0, head: 1, query: query, key: 0)).blocks.first,
              case .token(let cat, _) = again.kind else { Issue.record("no token quiz"); return }
        #expect(cat == "cat")
    }

    @Test func mistakesAreLocated() {
        #expect(parseErrors(lessonText("# Step 1: Test\n@quiz token\nQ?\n@end\n")).first?.hasPrefix("9: @quiz token needs the token") == true)
        #expect(parseErrors(lessonText("# Step 1: Test\n@quiz token 1\nQ?\n- [x] a\n@end\n")).first?
            .contains("a number or token quiz has no options") == true)
        #expect(parseErrors(lessonText("# Step 1: Test\n@quiz words\nQ?\n@end\n")) == ["9: unknown quiz kind 'words' (kinds: choice, number, token)"])
    }
}
