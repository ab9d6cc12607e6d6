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

    /// The activation of one value: the readable definition, with the C library's math
    /// functions. `Tensor.applying(_:)` computes the same functions with vectorised kernels
    /// (within about 1e-7 · max(1, |y|) of the exact values).
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
    /// The activation applied to every element: `[...]` → `[...]`, the same shape. GELU (both
    /// forms) and SiLU run the vectorised CKernels functions (split between threads for large
    /// tensors); ReLU is a plain loop.
    public func applying(_ activation: Activation) -> Tensor {
        applying(activation, kernel: .automatic, threads: 0)
    }

    /// `applying(_:)` with a kernel choice and a thread count (see `applyElementwise`).
    func applying(_ activation: Activation, kernel: GemmKernel, threads: Int) -> Tensor {
        var out = Tensor(uninitializedShape: shape)
        withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                guard let x = src.baseAddress, let y = dst.baseAddress else { return }
                if let function = activation.elementwiseFunction {
                    applyElementwise(function, x, y, count: src.count, kernel: kernel, threads: threads)
                } else {
                    for i in 0..<src.count { y[i] = x[i] > 0 ? x[i] : 0 }
                }
            }
        }
        return out
    }
}
