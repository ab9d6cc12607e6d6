import Tensor

/// A weight matrix of a linear map `x · W + b`: floats in DESIGN.md's `[in, out]` layout (as given, or
/// packed once into the matrix product's panels), or a GGUF file's quantized blocks in the Linear layout
/// `[out, in]`, multiplied in place.
enum LinearWeight: Sendable {
    case dense(Tensor)
    /// A second copy of the floats in the product's panel layout (the parameter itself stays as it
    /// is, for a learner to read): products skip packing the weight, with the same results.
    case packed(PackedMatrix)
    case quantized(QuantizedMatrix)

    /// The parameter `name` with DESIGN.md's `shape` `[in, out]`, quantized when the model keeps it so;
    /// float weights packed when `packing`.
    init(_ name: String, shape: [Int], parameters: Parameters, packing: Bool = false) throws {
        if let matrix = try parameters.quantized(name, shape: shape) {
            self = .quantized(matrix)
        } else {
            let weight = try parameters.require(name, shape: shape)
            self = packing ? .packed(PackedMatrix(weight)) : .dense(weight)
        }
    }

    /// `x [T,in]` → `x · W + bias` `[T,out]`.
    func apply(_ x: Tensor, addingRow bias: Tensor?) -> Tensor {
        switch self {
        case .dense(let weight): return matmul(x, weight, addingRow: bias)
        case .packed(let weight): return matmul(x, weight, addingRow: bias)
        case .quantized(let matrix): return matrix.product(x, addingRow: bias)
        }
    }
}
