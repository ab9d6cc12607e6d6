import Foundation
import Testing
import Tensor
@testable import Transformer

/// A 3-token, 1-head attention worked out by hand: W_Q = W_K = W_V = W_O = I (2×2), no biases,
/// so q = k = v = x for x = [[1,0],[0,1],[1,1]].
@Suite struct HandWorkedAttention {
    static let config = ModelConfig(
        architecture: .decoder, normPosition: .pre, activation: .relu, positional: .learned,
        vocabSize: 3, dModel: 2, nHeads: 1, dFF: 2, nLayers: 1, maxPositions: 3, biases: .none, mask: .causal)

    static func identityAttention() throws -> Attention {
        let eye = Tensor(shape: [1, 2, 2], scalars: [1, 0, 0, 1])
        let parameters = Parameters(["a.W_Q": eye, "a.W_K": eye, "a.W_V": eye, "a.W_O": eye])
        return try Attention("a", config: config, parameters: parameters, rotary: nil)
    }

    static let x = Tensor(rows: [[1, 0], [0, 1], [1, 1]])

    func run(mask: AttentionMask) throws -> ActivationCache {
        var recorder = Recorder(filter: .all)
        _ = try Self.identityAttention()(Self.x, mask: mask, name: "a", recorder: &recorder)
        return recorder.cache
    }

    @Test func scoresAreDotProducts() throws {
        let cache = try run(mask: .causal)
        // Step 2: scores[i,j] = q_i · k_j.
        let expected: [Float] = [
            1 * 1 + 0 * 0, 1 * 0 + 0 * 1, 1 * 1 + 0 * 1,
            0 * 1 + 1 * 0, 0 * 0 + 1 * 1, 0 * 1 + 1 * 1,
            1 * 1 + 1 * 0, 1 * 0 + 1 * 1, 1 * 1 + 1 * 1,
        ]
        #expect(cache["a.scores"]!.scalars == expected)
        // Step 3: divided by √dh = √2.
        let scaled = cache["a.scaled"]!.scalars
        for (s, e) in zip(scaled, expected) { #expect(abs(s - e / 2.0.squareRoot().float) < 1e-6) }
    }

    @Test func causalMaskAndSoftmax() throws {
        let cache = try run(mask: .causal)
        let masked = cache["a.masked"]!
        #expect(masked[0, 0, 1] == -.infinity && masked[0, 0, 2] == -.infinity && masked[0, 1, 2] == -.infinity)
        #expect(masked[0, 1, 0] == 0)
        let p = cache["a.pattern"]!
        // Row 0 sees only itself.
        #expect(p[0, 0, 0] == 1 && p[0, 0, 1] == 0 && p[0, 0, 2] == 0)
        // Row 1: softmax([0, 1/√2]) = [1, e^(1/√2)] / (1 + e^(1/√2)).
        let e1 = exp(1 / 2.0.squareRoot())
        #expect(abs(Double(p[0, 1, 0]) - 1 / (1 + e1)) < 1e-6)
        #expect(abs(Double(p[0, 1, 1]) - e1 / (1 + e1)) < 1e-6)
        #expect(p[0, 1, 2] == 0)
        // Row 2: softmax([1/√2, 1/√2, 2/√2]).
        let a = exp(1 / 2.0.squareRoot()), b = exp(2 / 2.0.squareRoot())
        let total = a + a + b
        #expect(abs(Double(p[0, 2, 0]) - a / total) < 1e-6)
        #expect(abs(Double(p[0, 2, 2]) - b / total) < 1e-6)
    }

    @Test func weightedSumIsTheOutput() throws {
        let cache = try run(mask: .causal)
        let p = cache["a.pattern"]!
        let w = cache["a.weighted"]!
        let z = cache["a.z"]!
        #expect(w.shape == [1, 3, 3, 2])
        // Step 5: weighted[i,j] = pattern[i,j] · v_j; step 6: z_i = Σ_j weighted[i,j].
        let v: [[Float]] = [[1, 0], [0, 1], [1, 1]]
        for i in 0..<3 {
            for c in 0..<2 {
                var sum: Float = 0
                for j in 0..<3 {
                    #expect(abs(w[0, i, j, c] - p[0, i, j] * v[j][c]) < 1e-7)
                    sum += p[0, i, j] * v[j][c]
                }
                #expect(abs(z[0, i, c] - sum) < 1e-6)
            }
        }
        // Row 1: z = p10·[1,0] + p11·[0,1].
        #expect(abs(z[0, 1, 0] - p[0, 1, 0]) < 1e-7 && abs(z[0, 1, 1] - p[0, 1, 1]) < 1e-7)
        // W_O = I, so the head's result and the output equal z.
        #expect(cache["a.out"]!.maxRelativeError(to: z.reshaped([3, 2])) < 1e-7)
    }

    @Test func bidirectionalSeesTheFuture() throws {
        let p = try run(mask: .bidirectional)["a.pattern"]!
        #expect(p[0, 0, 2] > 0)
        // Row 0: softmax([1, 0, 1]/√2).
        let a = exp(1 / 2.0.squareRoot())
        #expect(abs(Double(p[0, 0, 1]) - 1 / (2 * a + 1)) < 1e-6)
    }

    @Test func prefixMaskFollowsThePrefixRule() throws {
        let masked = try run(mask: .prefix(2))["a.masked"]!
        // Keys 0 and 1 form the prefix: visible to every query; key 2 only to query 2.
        #expect(masked[0, 0, 1] != -.infinity)
        #expect(masked[0, 0, 2] == -.infinity && masked[0, 1, 2] == -.infinity)
        #expect(masked[0, 2, 2] != -.infinity)
    }
}

private extension Double {
    var float: Float { Float(self) }
}
