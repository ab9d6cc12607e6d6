import CKernels

extension Tensor {
    /// LayerNorm over the last axis (Ba et al. 2016): `(x − mean) / sqrt(var + eps) · weight + bias`,
    /// with the biased variance. `self` `[..., D]`, `weight` and `bias` `[D]`. Runs the vectorised
    /// CKernels loop (rows split between threads for large tensors).
    public func layerNorm(weight: Tensor, bias: Tensor?, eps: Float) -> Tensor {
        layerNorm(weight: weight, bias: bias, eps: eps, kernel: .automatic, threads: 0)
    }

    /// `layerNorm` with a kernel choice and a thread count (as `softmaxRows`).
    func layerNorm(weight: Tensor, bias: Tensor?, eps: Float, kernel: GemmKernel, threads: Int) -> Tensor {
        let d = shape.last ?? 0
        precondition(weight.count == d && (bias?.count ?? d) == d, "layerNorm of \(shape) with \(weight.shape)")
        guard d > 0 else { return self }
        var out = Tensor(uninitializedShape: shape)
        withUnsafeBufferPointer { x in
            weight.withUnsafeBufferPointer { w in
                out.withUnsafeMutableBufferPointer { y in
                    guard let bias else {
                        ck_layer_norm_rows(x.baseAddress, y.baseAddress, x.count / d, d, w.baseAddress, nil, eps,
                                           kernel.cValue, threads)
                        return
                    }
                    bias.withUnsafeBufferPointer { b in
                        ck_layer_norm_rows(x.baseAddress, y.baseAddress, x.count / d, d, w.baseAddress, b.baseAddress,
                                           eps, kernel.cValue, threads)
                    }
                }
            }
        }
        return out
    }

    /// RMSNorm over the last axis (Zhang & Sennrich 2019): `x / sqrt(mean(x²) + eps) · weight`.
    /// `self` `[..., D]`, `weight` `[D]`.
    public func rmsNorm(weight: Tensor, eps: Float) -> Tensor {
        rmsNorm(weight: weight, eps: eps, kernel: .automatic, threads: 0)
    }

    /// `rmsNorm` with a kernel choice and a thread count (as `softmaxRows`).
    func rmsNorm(weight: Tensor, eps: Float, kernel: GemmKernel, threads: Int) -> Tensor {
        let d = shape.last ?? 0
        precondition(weight.count == d, "rmsNorm of \(shape) with \(weight.shape)")
        guard d > 0 else { return self }
        var out = Tensor(uninitializedShape: shape)
        withUnsafeBufferPointer { x in
            weight.withUnsafeBufferPointer { w in
                out.withUnsafeMutableBufferPointer { y in
                    ck_rms_norm_rows(x.baseAddress, y.baseAddress, x.count / d, d, w.baseAddress, eps,
                                     kernel.cValue, threads)
                }
            }
        }
        return out
    }
}
