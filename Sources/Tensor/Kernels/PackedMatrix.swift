import CKernels

/// A right-hand matrix B `[K,N]` packed once into the matrix product's panel layout, for the many
/// products that share it (a layer's weights: every forward pass multiplies by the same matrix).
///
/// `gemm` packs the B it is given into panels of NR columns, slice of k by slice, before its
/// micro-kernel reads them: at a few tokens that packing costs about as much as the product. A
/// `PackedMatrix` holds those panels ready (`ck_sgemm_pack_b`), so `matmul(_:_:addingRow:)` with it
/// only packs A; the arithmetic, and so every bit of the result, is that of the product with B as
/// given. The layout belongs to one kernel tier (its NR and slice depth), chosen when packing.
///
/// What a learner inspects stays the model's parameters (`W_Q`, `W_in`, …, exact and unpacked);
/// this is a second copy of a weight in another order, for speed.
public struct PackedMatrix: Sendable {
    /// K: rows of B, the depth of a product.
    public let rows: Int
    /// N: columns of B, the width of a product's result.
    public let columns: Int
    /// The tier the panels are laid out for; products with this matrix run on it.
    public let kernel: GemmKernel
    /// The panels: `ck_sgemm_packed_b_floats(K, N)` floats, 64-byte aligned (a tensor's storage is).
    let panels: Tensor

    /// Packs `matrix [K,N]` for products on `kernel` (the automatic tier by default).
    public init(_ matrix: Tensor, kernel: GemmKernel = .automatic) {
        precondition(matrix.rank == 2, "PackedMatrix needs a matrix, got \(matrix.shape)")
        self.init(rows: matrix.shape[0], columns: matrix.shape[1], kernel: kernel) { packed, tier in
            matrix.withUnsafeBufferPointer { source in
                ck_sgemm_pack_b(matrix.shape[0], matrix.shape[1], source.baseAddress!, matrix.shape[1], 0, packed, tier)
            }
        }
    }

    /// Packs B `[K,N]` given as its transpose, `transposed [N,K]` (a Linear layer's `[out, in]`).
    public init(transposing transposed: Tensor, kernel: GemmKernel = .automatic) {
        precondition(transposed.rank == 2, "PackedMatrix needs a matrix, got \(transposed.shape)")
        let (n, k) = (transposed.shape[0], transposed.shape[1])
        self.init(rows: k, columns: n, kernel: kernel) { packed, tier in
            transposed.withUnsafeBufferPointer { source in
                ck_sgemm_pack_b(k, n, source.baseAddress!, k, 1, packed, tier)
            }
        }
    }

    private init(rows: Int, columns: Int, kernel: GemmKernel,
                 pack: (UnsafeMutablePointer<Float>, ck_kernel) -> Void) {
        (self.rows, self.columns, self.kernel) = (rows, columns, kernel)
        var panels = Tensor(shape: [max(Int(ck_sgemm_packed_b_floats(rows, columns, kernel.cValue)), 0)])
        if rows > 0 && columns > 0 {
            panels.withUnsafeMutableBufferPointer { pack($0.baseAddress!, kernel.cValue) }
        }
        self.panels = panels
    }

    /// Floats the packed copy holds (K × N with N rounded up to whole panels).
    public var packedCount: Int { panels.count }

    /// B again, unpacked `[K,N]` (for tests; a learner reads the model's own parameter).
    public func unpacked() -> Tensor {
        var out = Tensor(uninitializedShape: [rows, columns])
        let layout = PackedLayout(kernel: kernel, depth: rows, columns: columns)
        panels.withUnsafeBufferPointer { packed in
            out.withUnsafeMutableBufferPointer { dst in
                for p in 0..<rows {
                    for j in 0..<columns { dst[p * columns + j] = packed[layout.offset(row: p, column: j)] }
                }
            }
        }
        return out
    }
}

/// Where row p, column j of a packed B lies: slices of `sliceDepth` rows, each `width` (N rounded
/// up to panels) times its depth floats, holding panels of NR columns one after another.
struct PackedLayout {
    let panelColumns: Int, sliceDepth: Int, width: Int

    init(kernel: GemmKernel, depth k: Int, columns n: Int) {
        panelColumns = Int(ck_sgemm_packed_panel_columns(kernel.cValue))
        sliceDepth = Int(ck_sgemm_packed_slice_depth(k, kernel.cValue))
        width = (n + panelColumns - 1) / panelColumns * panelColumns
        self.depth = k
    }

    let depth: Int

    /// The depth of the slice that starts at row `start`.
    func depth(ofSliceAt start: Int) -> Int { min(sliceDepth, depth - start) }

    func offset(row p: Int, column j: Int) -> Int {
        let start = p / sliceDepth * sliceDepth
        let panel = j / panelColumns
        return start * width + panel * depth(ofSliceAt: start) * panelColumns + (p - start) * panelColumns + j % panelColumns
    }
}

/// `a · b + bias` with B packed ahead: a `[M,K]`, b `[K,N]`, bias `[N]` (nil: none) added to every
/// row → `[M,N]`, the same bits as `matmul(a, B, addingRow: bias)` with B unpacked (one row included,
/// which reads the panels once, as `gemm` reads an unpacked B for one row).
public func matmul(_ a: Tensor, _ b: PackedMatrix, addingRow bias: Tensor? = nil) -> Tensor {
    precondition(a.rank == 2 && a.shape[1] == b.rows && (bias == nil || bias!.count == b.columns),
                 "matmul of \(a.shape) and a packed [\(b.rows), \(b.columns)]\(bias.map { " plus \($0.shape)" } ?? "")")
    let (m, n) = (a.shape[0], b.columns)
    var c = Tensor(uninitializedShape: [m, n])
    a.withUnsafeBufferPointer { pa in
        c.withUnsafeMutableBufferPointer { pc in
            if let bias {
                bias.withUnsafeBufferPointer { pbias in
                    for i in 0..<m { (pc.baseAddress! + i * n).update(from: pbias.baseAddress!, count: n) }
                }
            }
            b.multiply(m: m, a: pa.baseAddress!, lda: b.rows, c: pc.baseAddress!, ldc: n, accumulate: bias != nil,
                       threads: GemmParallelism.maxThreads)
        }
    }
    return c
}

extension PackedMatrix {
    /// C[m×N] (=|+=) A[m×K] · B, rows of A and C with strides `lda` and `ldc`, on at most `limit`
    /// threads (as many as `GemmParallelism` finds worth it). One row on the automatic tier runs as
    /// `gemm` runs it: each weight read once, A not packed.
    func multiply(m: Int, a: UnsafePointer<Float>, lda: Int, c: UnsafeMutablePointer<Float>, ldc: Int,
                  accumulate: Bool, threads limit: Int) {
        if m == 1 && kernel == .automatic && columns > 0 {
            panels.withUnsafeBufferPointer { packed in
                vectorTimesPackedMatrix(n: columns, k: rows, a: a, packed: packed.baseAddress!,
                                        layout: PackedLayout(kernel: kernel, depth: rows, columns: columns),
                                        c: c, accumulate: accumulate, threads: limit)
            }
            return
        }
        multiply(m: m, a: a, lda: lda, c: c, ldc: ldc, accumulate: accumulate,
                 splitAcross: GemmParallelism.threads(m: m, n: columns, k: rows, limit: limit))
    }

    /// The blocked product split across `threads` threads whatever the size (tests reach the split so).
    func multiply(m: Int, a: UnsafePointer<Float>, lda: Int, c: UnsafeMutablePointer<Float>, ldc: Int,
                  accumulate: Bool, splitAcross threads: Int) {
        precondition(m >= 0 && (m <= 1 || (lda >= rows && ldc >= columns)), "gemm leading dimension smaller than a row")
        guard m > 0 && columns > 0 else { return }
        if rows == 0 {
            // An empty sum: C = 0, or C unchanged when accumulating.
            if !accumulate { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: columns) } }
            return
        }
        panels.withUnsafeBufferPointer { packed in
            ck_sgemm_parallel_packed(m, columns, rows, a, lda, packed.baseAddress!, c, ldc, accumulate ? 1 : 0,
                                     max(threads, 1), kernel.cValue)
        }
    }
}

/// `c[n] = a[k] · B` (+ c when `accumulate`) with B packed: every column summed over k in order, as
/// `vectorTimesMatrix` sums it (so the same bits), 16 columns at a time, the panels split between
/// the cores.
func vectorTimesPackedMatrix(
    n: Int, k: Int, a: UnsafePointer<Float>, packed: UnsafePointer<Float>, layout: PackedLayout,
    c: UnsafeMutablePointer<Float>, accumulate: Bool, threads: Int
) {
    let groups = (n + 15) / 16
    let parts = Parallel.chunks(groups, parts: vectorThreads(n: n, k: k, limit: threads))
    let work = { (part: Int) in
        for group in parts[part] {
            let column = group * 16
            let (panel, within) = (column / layout.panelColumns, column % layout.panelColumns)
            var sums = SIMD16<Float>(repeating: 0)
            var start = 0
            while start < k {
                let depth = layout.depth(ofSliceAt: start)
                var weights = UnsafeRawPointer(packed + start * layout.width + panel * depth * layout.panelColumns + within)
                for row in start..<(start + depth) {
                    sums += SIMD16<Float>(repeating: a[row]) * weights.loadUnaligned(as: SIMD16<Float>.self)
                    weights += layout.panelColumns * MemoryLayout<Float>.stride
                }
                start += depth
            }
            let width = min(16, n - column)
            if width == 16 {
                let target = UnsafeMutableRawPointer(c + column)
                if accumulate { sums += target.loadUnaligned(as: SIMD16<Float>.self) }
                target.storeBytes(of: sums, as: SIMD16<Float>.self)
            } else {
                for j in 0..<width { c[column + j] = accumulate ? c[column + j] + sums[j] : sums[j] }
            }
        }
    }
    if parts.count == 1 { work(0) } else { Parallel.forEach(parts.count, work) }
}

extension GemmKernel {
    /// The columns of one panel of a `PackedMatrix` on this tier (its micro-kernel's width).
    public var packedPanelColumns: Int { Int(ck_sgemm_packed_panel_columns(cValue)) }
}
