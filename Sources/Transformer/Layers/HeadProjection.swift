import Tensor

/// Per-head linear maps and their inverse, on `[H,D,dh]` weights, without copying the weights.
enum HeadProjection {
    /// `x [T,D]` times each head's `W[h] [D,dh]`, plus `b[h] [dh]`: → `[H,T,dh]`.
    static func project(_ x: Tensor, _ w: Tensor, _ b: Tensor?) -> Tensor {
        let (t, d) = (x.shape[0], x.shape[1])
        let (heads, dh) = (w.shape[0], w.shape[2])
        var out = Tensor(uninitializedShape: [heads, t, dh])
        x.withUnsafeBufferPointer { px in
            w.withUnsafeBufferPointer { pw in
                out.withUnsafeMutableBufferPointer { po in
                    for h in 0..<heads {
                        gemm(m: t, n: dh, k: d, a: px.baseAddress!, lda: d,
                             b: pw.baseAddress! + h * d * dh, ldb: dh,
                             c: po.baseAddress! + h * t * dh, ldc: dh)
                    }
                }
            }
        }
        if let b { out = out.addingPerHeadBias(b) }
        return out
    }

    /// Per-head weights `[H_i,D,dh]` laid side by side as one `[D, Σ H_i·dh]` matrix: column block
    /// `h` of part `i` is `weights[i][h]`.
    static func pack(_ weights: [Tensor]) -> Tensor {
        let d = weights[0].shape[1], dh = weights[0].shape[2]
        let width = weights.reduce(0) { $0 + $1.shape[0] * dh }
        var packed = Tensor(uninitializedShape: [d, width])
        packed.withUnsafeMutableBufferPointer { dst in
            var column = 0
            for w in weights {
                w.withUnsafeBufferPointer { src in
                    for h in 0..<w.shape[0] {
                        for row in 0..<d {
                            (dst.baseAddress! + row * width + column).update(from: src.baseAddress! + (h * d + row) * dh, count: dh)
                        }
                        column += dh
                    }
                }
            }
        }
        return packed
    }

    /// `x [T,D]` times the `[D, Σ H_i·dh]` matrix of `pack` (packed for the product) plus its bias
    /// `[Σ H_i·dh]`, split back into `[H_i,T,dh]` per part.
    static func projectPacked(_ x: Tensor, _ packed: PackedMatrix, bias: Tensor?, heads: [Int], headSize dh: Int) -> [Tensor] {
        let product = matmul(x, packed, addingRow: bias)                  // [T, Σ H_i·dh]
        let (t, width) = (product.shape[0], product.shape[1])
        var column = 0
        return heads.map { count in
            var part = Tensor(uninitializedShape: [count, t, dh])
            product.withUnsafeBufferPointer { src in
                part.withUnsafeMutableBufferPointer { dst in
                    for h in 0..<count {
                        for i in 0..<t {
                            (dst.baseAddress! + (h * t + i) * dh).update(from: src.baseAddress! + i * width + column + h * dh, count: dh)
                        }
                    }
                }
            }
            column += count * dh
            return part
        }
    }

    /// Each head's `z[h] [T,dh]` times its `W_O[h] [dh,D]`: → `[H,T,D]` (the per-head results).
    static func perHeadResults(_ z: Tensor, _ wO: Tensor) -> Tensor {
        let (heads, t, dh) = (z.shape[0], z.shape[1], z.shape[2])
        let d = wO.shape[2]
        var out = Tensor(uninitializedShape: [heads, t, d])
        let parts = Parallel.chunks(heads, parts: Parallel.threads)
        z.withUnsafeBufferPointer { pz in
            wO.withUnsafeBufferPointer { pw in
                out.withUnsafeMutableBufferPointer { po in
                    let (z, w, o) = (pz.baseAddress!, pw.baseAddress!, po.baseAddress!)
                    Parallel.forEach(parts.count) { part in
                        for h in parts[part] {
                            gemm(m: t, n: d, k: dh, a: z + h * t * dh, lda: dh, b: w + h * dh * d, ldb: d,
                                 c: o + h * t * d, ldc: d, threads: 1)
                        }
                    }
                }
            }
        }
        return out
    }

    /// All heads at once: `Σ_h z[h] · W_O[h] + b` as one product of `[T, H·dh]` and `W_O` seen as
    /// `[H·dh, D]` (read from `packed`, that matrix packed, when given), plus `bias [D]` on every row → `[T,D]`.
    static func combinedOutput(_ z: Tensor, _ wO: Tensor, packed: PackedMatrix? = nil, bias: Tensor?) -> Tensor {
        let (heads, t, dh) = (z.shape[0], z.shape[1], z.shape[2])
        let d = wO.shape[2]
        // Interleave heads per token: zt[i, h·dh + c] = z[h, i, c].
        var zt = Tensor(uninitializedShape: [t, heads * dh])
        z.withUnsafeBufferPointer { pz in
            zt.withUnsafeMutableBufferPointer { pt in
                for h in 0..<heads {
                    for i in 0..<t {
                        (pt.baseAddress! + i * heads * dh + h * dh)
                            .update(from: pz.baseAddress! + (h * t + i) * dh, count: dh)
                    }
                }
            }
        }
        if let packed { return matmul(zt, packed, addingRow: bias) }
        return matmul(zt, wO.reshaped([heads * dh, d]), addingRow: bias)
    }
}

extension Tensor {
    /// Adds `bias [H,dh]` to every row of each head of `self [H,T,dh]`.
    func addingPerHeadBias(_ bias: Tensor) -> Tensor {
        let (heads, t, dh) = (shape[0], shape[1], shape[2])
        var out = self
        out.withUnsafeMutableBufferPointer { po in
            bias.withUnsafeBufferPointer { pb in
                for h in 0..<heads {
                    for i in 0..<t {
                        for c in 0..<dh { po[(h * t + i) * dh + c] += pb[h * dh + c] }
                    }
                }
            }
        }
        return out
    }
}
