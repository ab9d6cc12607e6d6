#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Tensor {
    /// LayerNorm over the last axis (Ba et al. 2016): `(x − mean) / sqrt(var + eps) · weight + bias`,
    /// with the biased variance. `self` `[..., D]`, `weight` and `bias` `[D]`.
    public func layerNorm(weight: Tensor, bias: Tensor?, eps: Float) -> Tensor {
        let d = shape.last ?? 0
        precondition(weight.count == d && (bias?.count ?? d) == d, "layerNorm of \(shape) with \(weight.shape)")
        var out = Tensor(uninitializedShape: shape)
        withUnsafeBufferPointer { x in
            weight.withUnsafeBufferPointer { w in
                out.withUnsafeMutableBufferPointer { y in
                    var start = 0
                    while start < x.count {
                        var mean: Float = 0
                        for j in 0..<d { mean += x[start + j] }
                        mean /= Float(d)
                        var variance: Float = 0
                        for j in 0..<d { let c = x[start + j] - mean; variance += c * c }
                        variance /= Float(d)
                        let inverse = 1 / sqrtf(variance + eps)
                        for j in 0..<d { y[start + j] = (x[start + j] - mean) * inverse * w[j] }
                        start += d
                    }
                }
            }
        }
        if let bias { out = out.addingRow(bias) }
        return out
    }

    /// RMSNorm over the last axis (Zhang & Sennrich 2019): `x / sqrt(mean(x²) + eps) · weight`.
    /// `self` `[..., D]`, `weight` `[D]`.
    public func rmsNorm(weight: Tensor, eps: Float) -> Tensor {
        let d = shape.last ?? 0
        precondition(weight.count == d, "rmsNorm of \(shape) with \(weight.shape)")
        var out = Tensor(uninitializedShape: shape)
        withUnsafeBufferPointer { x in
            weight.withUnsafeBufferPointer { w in
                out.withUnsafeMutableBufferPointer { y in
                    var start = 0
                    while start < x.count {
                        var meanSquare: Float = 0
                        for j in 0..<d { meanSquare += x[start + j] * x[start + j] }
                        meanSquare /= Float(d)
                        let inverse = 1 / sqrtf(meanSquare + eps)
                        for j in 0..<d { y[start + j] = x[start + j] * inverse * w[j] }
                        start += d
                    }
                }
            }
        }
        return out
    }
}
