import Tensor

/// A model's parameters by the names of DESIGN.md (TransformerLens' convention:
/// `embed.W_E [V,D]`, `blocks.0.attn.W_Q [H,D,dh]`, …), whatever the file called them.
public struct Parameters: Sendable {
    /// The tensors by name.
    public var tensors: [String: Tensor]
    /// Weights kept in a GGUF file's quantized blocks, by the same names; the forward pass multiplies
    /// by them in place, and reading one here (`self[name]`, `require`) widens it on demand.
    public var quantized: [String: QuantizedParameter] = [:]
    /// Where they came from, for error messages (a file path or a description).
    public var source: String

    public init(_ tensors: [String: Tensor] = [:], source: String = "parameters") {
        self.tensors = tensors
        self.source = source
    }

    /// The tensor called `name`, checked against `shape`; throws a clear error when it is missing or
    /// shaped otherwise.
    public func require(_ name: String, shape: [Int]) throws -> Tensor {
        if tensors[name] == nil, let weight = quantized[name] {
            guard weight.shape == shape else {
                throw ModelError.wrongShape(name: name, expected: shape, got: weight.shape, file: source)
            }
            return weight.widened()
        }
        guard let tensor = tensors[name] else { throw ModelError.missingTensor(name: name, file: source) }
        guard tensor.shape == shape else {
            throw ModelError.wrongShape(name: name, expected: shape, got: tensor.shape, file: source)
        }
        return tensor
    }

    /// The tensor called `name` if present (checked against `shape`), nil if absent.
    public func optional(_ name: String, shape: [Int]) throws -> Tensor? {
        tensors[name] == nil && quantized[name] == nil ? nil : try require(name, shape: shape)
    }

    /// The tensor called `name` (a quantized weight widened on demand); setting stores a float tensor.
    public subscript(name: String) -> Tensor? {
        get { tensors[name] ?? quantized[name]?.widened() }
        set { tensors[name] = newValue }
    }

    /// The quantized weight `name`, checked against its shape in DESIGN.md's layout; nil when the
    /// parameter is held as floats or absent.
    public func quantized(_ name: String, shape: [Int]) throws -> QuantizedMatrix? {
        guard tensors[name] == nil, let weight = quantized[name] else { return nil }
        guard weight.shape == shape else {
            throw ModelError.wrongShape(name: name, expected: shape, got: weight.shape, file: source)
        }
        return weight.matrix
    }

    /// The names in sorted order (float and quantized).
    public var names: [String] { Set(tensors.keys).union(quantized.keys).sorted() }

    /// How many numbers the parameters hold, quantized ones included.
    public var elementCount: Int {
        tensors.values.reduce(0) { $0 + $1.count } + quantized.values.reduce(0) { $0 + $1.matrix.rows * $1.matrix.columns }
    }
}
