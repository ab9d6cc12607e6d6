#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The non-linearities of the feed-forward network, as scalar functions.
public enum Activation: String, Codable, Sendable, CaseIterable {
    /// GELU with the exact Gaussian CDF: `x · Φ(x) = x/2 · (1 + erf(x/√2))` (BERT, the erf form).
    case gelu
    /// GELU's tanh approximation: `x/2 · (1 + tanh(√(2/π) (x + 0.044715 x³)))` (GPT-2's `gelu_new`).
    case geluTanh = "gelu_tanh"
    /// `max(0, x)` (the original Transformer).
    case relu
    /// `x · σ(x)` (Llama's SwiGLU gate).
    case silu

    /// The activation of one value.
    @inlinable
    public func callAsFunction(_ x: Float) -> Float {
        switch self {
        case .gelu: return 0.5 * x * (1 + erff(x * 0.70710678118654752))
        case .geluTanh:
            return 0.5 * x * (1 + tanhf(0.79788456080286536 * (x + 0.044715 * x * x * x)))
        case .relu: return x > 0 ? x : 0
        case .silu: return x / (1 + expf(-x))
        }
    }
}

extension Tensor {
    /// The activation applied to every element (one tight loop per kind, no call per element
    /// but the math function's own).
    public func applying(_ activation: Activation) -> Tensor {
        var out = Tensor(uninitializedShape: shape)
        withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                let n = src.count
                switch activation {
                case .gelu:
                    for i in 0..<n { let x = src[i]; dst[i] = 0.5 * x * (1 + erff(x * 0.70710678118654752)) }
                case .geluTanh:
                    for i in 0..<n {
                        let x = src[i]
                        dst[i] = 0.5 * x * (1 + tanhf(0.79788456080286536 * (x + 0.044715 * x * x * x)))
                    }
                case .relu:
                    for i in 0..<n { dst[i] = src[i] > 0 ? src[i] : 0 }
                case .silu:
                    for i in 0..<n { let x = src[i]; dst[i] = x / (1 + expf(-x)) }
                }
            }
        }
        return out
    }
}
