import Tensor

/// A parameter kept as a quantized matrix in the file's Linear layout (`[out, in]` rows of blocks), with
/// how DESIGN.md lays the same numbers out, so that a learner who asks for it sees `W_Q [H, D, dh]`
/// like any other model's, widened on demand.
public struct QuantizedParameter: Sendable {
    /// How the matrix's rows map onto the parameter's DESIGN.md layout.
    public enum Layout: Sendable, Equatable {
        /// As stored: a token table `embed.W_E [V, D]`.
        case rows
        /// A projection to the heads, `[H·dh, D]` → `[H, D, dh]` (`W_Q`, `W_K`, `W_V`).
        case headsIn(heads: Int)
        /// A projection from the heads, `[D, H·dh]` → `[H, dh, D]` (`W_O`).
        case headsOut(heads: Int)
        /// A Linear weight `[out, in]` → `[in, out]` (`W_in`, `W_gate`, `W_out`, `W_U`).
        case transposed
    }

    /// The blocks, rows `[out, in]` as the file stores them (Q and K rows already in Hugging Face's order).
    public let matrix: QuantizedMatrix
    public let layout: Layout

    public init(_ matrix: QuantizedMatrix, layout: Layout) {
        self.matrix = matrix
        self.layout = layout
    }

    /// The parameter's shape in DESIGN.md's layout.
    public var shape: [Int] {
        let (rows, columns) = (matrix.rows, matrix.columns)
        switch layout {
        case .rows: return [rows, columns]
        case .headsIn(let heads): return [heads, columns, rows / heads]
        case .headsOut(let heads): return [heads, columns / heads, rows]
        case .transposed: return [columns, rows]
        }
    }

    /// The parameter widened to floats in DESIGN.md's layout (4 bytes an element, made on each call).
    public func widened() -> Tensor {
        let rows = matrix.widened()
        switch layout {
        case .rows: return rows
        case .headsIn(let heads): return WeightLayout.headsFromLinear(rows, heads: heads)
        case .headsOut(let heads): return WeightLayout.outputFromLinear(rows, heads: heads)
        case .transposed: return WeightLayout.transposed(rows)
        }
    }
}
