import Tensor

/// A weight matrix of a linear map `x · W + b`: floats in DESIGN.md's `[in, out]` layout, or a GGUF
/// file's quantized blocks in the Linear layout `[out, in]`, multiplied in place.
enum LinearWeight: Sendable {
    case dense(Tensor)
    case quantized(QuantizedMatrix)

    /// The parameter `name` with DESIGN.md's `shape` `[in, out]`, quantized when the model keeps it so.
    init(_ name: String, shape: [Int], parameters: Parameters) throws {
        if let matrix = try parameters.quantized(name, shape: shape) {
            self = .quantized(matrix)
        } else {
            self = .dense(try parameters.require(name, shape: shape))
        }
    }

    /// `x [T,in]` → `x · W + bias` `[T,out]`.
    func apply(_ x: Tensor, addingRow bias: Tensor?) -> Tensor {
        switch self {
        case .dense(let weight): return matmul(x, weight, addingRow: bias)
        case .quantized(let matrix): return matrix.product(x, addingRow: bias)
        }
    }
}
