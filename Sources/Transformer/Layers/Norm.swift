import Tensor

/// A LayerNorm or RMSNorm over the model width, with its learned gain `w [D]` (and bias `b [D]`).
public struct Norm: Sendable {
    public let kind: ModelConfig.NormKind
    public let weight: Tensor
    public let bias: Tensor?
    public let eps: Float

    /// Loads `<name>.w` (and `<name>.b` when the norm is a LayerNorm and `config.biases.norm` is set).
    init(_ name: String, config: ModelConfig, parameters: Parameters) throws {
        let d = config.dModel
        kind = config.norm
        eps = config.normEps
        weight = try parameters.require("\(name).w", shape: [d])
        bias = config.hasNormBias ? try parameters.require("\(name).b", shape: [d]) : nil
    }

    /// Normalises each row of `x [T,D]`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        switch kind {
        case .layerNorm: return x.layerNorm(weight: weight, bias: bias, eps: eps)
        case .rmsNorm: return x.rmsNorm(weight: weight, eps: eps)
        }
    }
}
