import Testing
@testable import Tensor

/// The batched attention kernel against its plainly written reference, and a case worked by hand.
@Suite struct BatchedAttentionTests {
    /// One head, two tokens, dh = 1, causal: every number worked out on paper.
    @Test func aCaseWorkedByHand() throws {
        let q = Tensor(shape: [1, 2, 1], scalars: [1, 2])
        let k = Tensor(shape: [1, 2, 1], scalars: [3, 4])
        let v = Tensor(shape: [1, 2, 1], scalars: [10, 20])
        let causal = HiddenKeys(queries: 2, keys: 2) { $1 > $0 }
        let out = BatchedAttention(queries: q, keys: k, values: v, hidden: causal, keepScaled: true, keepMasked: true)
        // Scores q·k: [[3, 4], [6, 8]]; dh = 1, so scaling by 1/√1 changes nothing.
        #expect(out.scores.scalars == [3, 4, 6, 8])
        #expect(out.scaled?.scalars == [3, 4, 6, 8])
        #expect(out.masked?.scalars == [3, -.infinity, 6, 8])
        // Row 0 sees only key 0; row 1: softmax(6, 8) = (1, e²) / (1 + e²).
        let e2 = Float(7.389056)
        let p1 = e2 / (1 + e2)
        let pattern = out.pattern.scalars
        #expect(pattern[0] == 1 && pattern[1] == 0)
        #expect(abs(pattern[2] - (1 - p1)) < 1e-6 && abs(pattern[3] - p1) < 1e-6)
        // z: row 0 is v₀ = 10; row 1 is 10·(1 − p) + 20·p.
        #expect(abs(out.z.scalars[0] - 10) < 1e-5)
        #expect(abs(out.z.scalars[1] - (10 * (1 - p1) + 20 * p1)) < 1e-4)
    }

    /// Random queries, keys and values for many shapes, grouped-query heads and masks: the kernel
    /// (heads split across threads, keys read transposed in place) equals the reference within
    /// 1e-5 × (1 + |reference|), −∞ where the reference has −∞.
    @Test(arguments: [(1, 1, 1, 1, 1), (2, 1, 5, 5, 3), (4, 2, 7, 7, 8), (6, 3, 13, 13, 16), (4, 4, 3, 9, 4), (12, 12, 16, 16, 32),
                      (2, 1, 150, 150, 8), (3, 3, 70, 130, 4)])   // longer inputs, and fewer queries than keys
    func kernelMatchesReference(heads: Int, kvHeads: Int, queries t: Int, keys s: Int, headSize dh: Int) {
        var generator = UniformFloats(seed: UInt64(heads * 7919 + t * 104_729 + s * 31 + dh))
        func random(_ shape: [Int]) -> Tensor {
            Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in 3 * generator.next() })
        }
        let q = random([heads, t, dh]), k = random([kvHeads, s, dh]), v = random([kvHeads, s, dh])
        let masks: [HiddenKeys?] = [nil, HiddenKeys(queries: t, keys: s) { $1 > $0 + (s - t) },
                                    HiddenKeys(queries: t, keys: s) { $1 > $0 && $1 >= 2 }]
        for hidden in masks {
            let kernel = BatchedAttention(queries: q, keys: k, values: v, hidden: hidden, keepScaled: true, keepMasked: true)
            let reference = BatchedAttention.reference(queries: q, keys: k, values: v, hidden: hidden)
            #expect(worst(kernel.scores, reference.scores) <= 1)
            #expect(worst(kernel.scaled!, reference.scaled!) <= 1)
            #expect(worst(kernel.masked ?? kernel.scaled!, reference.masked!) <= 1)
            #expect(worst(kernel.pattern, reference.pattern) <= 1)
            #expect(worst(kernel.z, reference.z) <= 1)
            for h in 0..<heads {
                for i in 0..<t {
                    let row = (0..<s).reduce(Float(0)) { $0 + kernel.pattern[h, i, $1] }
                    #expect(abs(row - 1) < 1e-5, "softmax rows sum to 1")
                }
            }
        }
    }

    /// The worst |a − b| / (1e-5 × (1 + |b|)) over the elements; infinities must agree exactly.
    func worst(_ a: Tensor, _ b: Tensor) -> Float {
        guard a.shape == b.shape else { return .infinity }
        var worst: Float = 0
        for (x, y) in zip(a.scalars, b.scalars) {
            if y.isInfinite || x.isInfinite {
                if x != y { return .infinity }
                continue
            }
            worst = max(worst, abs(x - y) / (1e-5 * (1 + abs(y))))
        }
        return worst
    }
}
