import Foundation
import Testing
import Tensor
import Transformer
@testable import Analysis

/// Token alignment as a diff aligns lines, worked by hand.
@Suite struct TokenAlignmentByHand {
    @Test func oneWordReplaced() {
        let a = ["it", "was", "too", "tired", "."], b = ["it", "was", "too", "wide", "."]
        let alignment = TokenAlignment(a, b)
        #expect(alignment.pairs.map { [$0.a, $0.b] } == [[0, 0], [1, 1], [2, 2], [4, 4]])
        #expect(alignment.onlyInA == [3] && alignment.onlyInB == [3])
        #expect(alignment.partner(ofA: 4) == 4 && alignment.partner(ofA: 3) == nil && alignment.partner(ofB: 2) == 2)
        #expect(!alignment.isComplete)
    }

    @Test func insertionsShiftThePartners() {
        let alignment = TokenAlignment(["the", "cat", "sat"], ["the", "big", "black", "cat", "sat"])
        #expect(alignment.pairs.map { [$0.a, $0.b] } == [[0, 0], [1, 3], [2, 4]])
        #expect(alignment.onlyInA.isEmpty && alignment.onlyInB == [1, 2])
        #expect(TokenAlignment(["a", "b"], ["a", "b"]).isComplete)
        let none = TokenAlignment(["x"], [])
        #expect(none.pairs.isEmpty && none.onlyInA == [0] && none.onlyInB.isEmpty)
    }
}

/// B − A over the paired cells, worked by hand, and on two real runs against their own patterns.
@Suite struct PatternComparisonTests {
    @Test func differenceOverPairedCellsOnly() {
        // A: tokens x y z; B: tokens x w z (y and w unpaired).
        let a = Tensor(shape: [3, 3], scalars: [1, 0, 0, 0.5, 0.5, 0, 0.2, 0.3, 0.5])
        let b = Tensor(shape: [3, 3], scalars: [1, 0, 0, 0.4, 0.6, 0, 0.1, 0.1, 0.8])
        let alignment = TokenAlignment(["x", "y", "z"], ["x", "w", "z"])
        let c = PatternComparison(a: a, b: b, queries: alignment, keys: alignment)
        #expect(c.difference.shape == [2, 2])
        // Rows x, z; columns x, z.
        let expected: [Float] = [0, 0, 0.1 - 0.2, 0.8 - 0.5]
        for (got, want) in zip(c.difference.scalars, expected) { #expect(abs(got - want) <= 1e-6) }
        #expect(c.cell(queryA: 2, keyA: 2) == (0.5, 0.8))
        #expect(c.cell(queryA: 1, keyA: 0).b == nil)
    }

    @Test func maskedCellsInBothDifferByZero() {
        let a = Tensor(shape: [2, 2], scalars: [1, -.infinity, 2, 3])
        let b = Tensor(shape: [2, 2], scalars: [1.5, -.infinity, 2, 4])
        let alignment = TokenAlignment(["p", "q"], ["p", "q"])
        let c = PatternComparison(a: a, b: b, queries: alignment, keys: alignment)
        #expect(c.difference.scalars == [0.5, 0, 0, 1])
    }

    @Test func twoRealRunsAgreeWithTheirOwnPatterns() throws {
        let loaded = try Models.load("tiny-gpt")
        let runA = try Models.run(loaded, text: "the cat sat because it was tired")
        let runB = try Models.run(loaded, text: "the cat sat because it was wide")
        let hook = try #require(loaded.config.hook(.pattern, at: Site(layer: 0, kind: .attention)))
        let head = 1
        let c = try #require(PatternComparison(
            hook: hook, head: head,
            a: ComparedRun(cache: runA.result.cache, input: runA.tokens.map(\.text)),
            b: ComparedRun(cache: runB.result.cache, input: runB.tokens.map(\.text))))
        let patternA = try #require(runA.result.cache[hook.name]).slice(head)
        let patternB = try #require(runB.result.cache[hook.name]).slice(head)
        #expect(c.queries == c.keys && !c.queries.isComplete)
        for (i, row) in c.queries.pairs.enumerated() {
            for (j, column) in c.keys.pairs.enumerated() {
                let want = patternB[row.b, column.b] - patternA[row.a, column.a]
                #expect(abs(c.difference[i, j] - want) <= 1e-6)
            }
        }
        // A hook that is not a [H, T_q, T_k] matrix, and a head past the last, compare to nothing.
        let q = try #require(loaded.config.hook(.q, at: hook.site))
        let runs = (ComparedRun(cache: runA.result.cache, input: []), ComparedRun(cache: runB.result.cache, input: []))
        #expect(PatternComparison(hook: q, head: 0, a: runs.0, b: runs.1) == nil)
        #expect(PatternComparison(hook: hook, head: loaded.config.nHeads, a: runs.0, b: runs.1) == nil)
    }
}
