extension Tensor {
    /// Softmax over the last axis: `[..., N]` → `[..., N]`, each row of N summing to 1.
    /// Numerically stable (the row's maximum is subtracted first). `-inf` entries become
    /// exactly 0; a row that is all `-inf` becomes all 0. Runs the vectorised CKernels
    /// softmax (rows split between threads for large tensors).
    public func softmaxLastAxis() -> Tensor {
        softmaxLastAxis(kernel: .automatic, threads: 0)
    }

    /// `softmaxLastAxis()` with a kernel choice and a thread count (see `softmaxRows`).
    func softmaxLastAxis(kernel: GemmKernel, threads: Int) -> Tensor {
        guard let n = shape.last, n > 0 else { return self }
        var out = Tensor(uninitializedShape: shape)
        withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                guard let x = src.baseAddress, let y = dst.baseAddress else { return }
                softmaxRows(x, y, rows: src.count / n, length: n, kernel: kernel, threads: threads)
            }
        }
        return out
    }
}
