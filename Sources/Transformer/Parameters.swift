import Tensor

/// A model's parameters by the names of DESIGN.md (TransformerLens' convention:
/// `embed.W_E [V,D]`, `blocks.0.attn.W_Q [H,D,dh]`, …), whatever the file called them.
public struct Parameters: Sendable {
    /// The tensors by name.
    public var tensors: [String: Tensor]
    /// Where they came from, for error messages (a file path or a description).
    public var source: String

    public init(_ tensors: [String: Tensor] = [:], source: String = "parameters") {
        self.tensors = tensors
        self.source = source
    }

    /// The tensor called `name`, checked against `shape`; throws a clear error when it is missing or
    /// shaped otherwise.
    public func require(_ name: String, shape: [Int]) throws -> Tensor {
        guard let tensor = tensors[name] else { throw ModelError.missingTensor(name: name, file: source) }
        guard tensor.shape == shape else {
            throw ModelError.wrongShape(name: name, expected: shape, got: tensor.shape, file: source)
        }
        return tensor
    }

    /// The tensor called `name` if present (checked against `shape`), nil if absent.
    public func optional(_ name: String, shape: [Int]) throws -> Tensor? {
        tensors[name] == nil ? nil : try require(name, shape: shape)
    }

    public subscript(name: String) -> Tensor? {
        get { tensors[name] }
        set { tensors[name] = newValue }
    }

    /// The names in sorted order.
    public var names: [String] { tensors.keys.sorted() }
}
