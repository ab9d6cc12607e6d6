import Foundation
@testable import Terminal

/// Test data shaped like what the app copies out of a model's cache.
enum Fixtures {
    static let tokens = ["The", "animal", "didn't", "cross", "it"]

    /// A causal attention pattern [n, n]: row i spreads over keys 0…i in proportion 1, 2, …, i+1;
    /// the keys after i are masked (-inf), as the app marks them.
    static func causalPattern(_ n: Int) -> Matrix {
        var values: [Float] = []
        for i in 0..<n {
            let total = Float((i + 1) * (i + 2) / 2)
            for j in 0..<n { values.append(j <= i ? Float(j + 1) / total : -.infinity) }
        }
        return Matrix(rows: n, columns: n, values: values)
    }

    /// Causal scaled scores [n, n]: signed values, -inf above the diagonal.
    static func causalScores(_ n: Int) -> Matrix {
        var values: [Float] = []
        for i in 0..<n { for j in 0..<n { values.append(j <= i ? Float(2.5 * sin(Double(3 * i + 2 * j) * 0.7)) : -.infinity) } }
        return Matrix(rows: n, columns: n, values: values)
    }

    /// Cross-attention weights [3, 7]: French queries over English keys, rows summing to 1.
    static let cross = Matrix([
        [0.40, 0.30, 0.05, 0.05, 0.05, 0.05, 0.10],
        [0.02, 0.08, 0.10, 0.70, 0.05, 0.03, 0.02],
        [0.01, 0.04, 0.80, 0.10, 0.02, 0.02, 0.01],
    ])
    static let crossQueries = ["Le", "chat", "noir"]
    static let crossKeys = ["<s>", "The", "black", "cat", "sat", "down", "."]
}
