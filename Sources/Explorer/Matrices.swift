import Tensor
import Terminal

extension Tensor {
    /// The rank-2 tensor as the terminal widgets' plain `Matrix` (`[R,C]` → R×C).
    var matrix: Matrix {
        precondition(rank == 2, "a matrix needs rank 2, got \(shape)")
        return Matrix(rows: shape[0], columns: shape[1], values: scalars)
    }
}
