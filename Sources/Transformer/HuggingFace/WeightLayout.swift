import Tensor

/// The layout changes between Hugging Face's weight matrices and DESIGN.md's per-head parameters.
///
/// Two conventions meet here. PyTorch's `nn.Linear` (BERT, Llama) stores `weight [out, in]` and
/// computes `x · weightᵀ`; GPT-2's `Conv1D` stores `weight [in, out]` and computes `x · weight`.
/// DESIGN.md's parameters are always read as `x · W`, one matrix per head: `W_Q [H,D,dh]`,
/// `W_O [H,dh,D]`. In both conventions the `out` (or `in`) axis of a projection to or from the heads
/// is head-major: feature `h·dh + c` is component `c` of head `h`.
///
/// Only what must move is copied; where the layouts agree the result views the file's memory.
enum WeightLayout {
    /// A Linear projection to the heads, `weight [H·dh, D]`, as `[H, D, dh]`:
    /// `out[h, d, c] = weight[h·dh + c, d]`. A copy.
    static func headsFromLinear(_ weight: Tensor, heads: Int) -> Tensor {
        let (rows, d) = (weight.shape[0], weight.shape[1])
        let dh = rows / heads
        // Each head's block of rows [dh, D] transposed to [D, dh], blocks stacked: the whole is the
        // transpose of every row block, which `transpose` does block by block.
        var out = Tensor(shape: [heads, d, dh])
        weight.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for h in 0..<heads {
                    transpose(src.baseAddress! + h * dh * d, rows: dh, columns: d, sourceStride: d,
                              into: dst.baseAddress! + h * d * dh)
                }
            }
        }
        return out
    }

    /// Columns `first ..< first + H·dh` of a Conv1D weight `[D, N]` (e.g. the query third of GPT-2's
    /// `c_attn.weight [D, 3D]`) as `[H, D, dh]`: `out[h, d, c] = weight[d, first + h·dh + c]`. A copy.
    static func headsFromConv1D(_ weight: Tensor, firstColumn first: Int, heads: Int, headSize dh: Int) -> Tensor {
        let (d, n) = (weight.shape[0], weight.shape[1])
        var out = Tensor(shape: [heads, d, dh])
        weight.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for h in 0..<heads {
                    for row in 0..<d {
                        (dst.baseAddress! + (h * d + row) * dh)
                            .update(from: src.baseAddress! + row * n + first + h * dh, count: dh)
                    }
                }
            }
        }
        return out
    }

    /// A Linear projection from the heads, `weight [D, H·dh]`, as `[H, dh, D]`:
    /// `out[h, c, d] = weight[d, h·dh + c]` (the transpose, seen per head). A copy.
    static func outputFromLinear(_ weight: Tensor, heads: Int) -> Tensor {
        let (d, columns) = (weight.shape[0], weight.shape[1])
        return transposed(weight).reshaped([heads, columns / heads, d])
    }

    /// `matrix [R, C]` → `[C, R]`. A copy (the Linear `[out, in]` → DESIGN's `[in, out]`).
    static func transposed(_ matrix: Tensor) -> Tensor {
        let (r, c) = (matrix.shape[0], matrix.shape[1])
        var out = Tensor(shape: [c, r])
        matrix.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                transpose(src.baseAddress!, rows: r, columns: c, sourceStride: c, into: dst.baseAddress!)
            }
        }
        return out
    }

    /// Writes the transpose of `rows × columns` floats at `source` (row stride `sourceStride`) to
    /// `destination` as `columns × rows`, in tiles so that both sides stay in cache.
    static func transpose(_ source: UnsafePointer<Float>, rows: Int, columns: Int, sourceStride: Int,
                          into destination: UnsafeMutablePointer<Float>) {
        let tile = 32
        var i0 = 0
        while i0 < rows {
            let i1 = min(i0 + tile, rows)
            var j0 = 0
            while j0 < columns {
                let j1 = min(j0 + tile, columns)
                for i in i0..<i1 {
                    for j in j0..<j1 { destination[j * rows + i] = source[i * sourceStride + j] }
                }
                j0 = j1
            }
            i0 = i1
        }
    }

    /// A bias of the heads `[H·dh]` (or a slice of a fused one) as `[H, dh]`. A view.
    static func headBias(_ bias: Tensor, heads: Int) -> Tensor {
        bias.reshaped([heads, bias.count / heads])
    }

    /// Part `index` of a fused vector `[parts · n]` (GPT-2's `c_attn.bias [3D]`): `[n]`. A view.
    static func part(_ fused: Tensor, _ index: Int, of parts: Int) -> Tensor {
        fused.reshaped([parts, fused.count / parts]).slice(index)
    }
}
