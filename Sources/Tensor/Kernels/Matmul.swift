/// Matrix products. Every product in the project goes through `gemm`, so making it fast here
/// makes the whole model fast.

/// C[m×n] = A[m×k] · B[k×n] (+ C when `accumulate`), row-major with leading dimensions.
///
/// Runs the blocked, packed kernel in `CKernels` (AVX2+FMA where the CPU has it, chosen at run
/// time, else portable C), on both cores when the product is big enough to pay for it
/// (see `GemmParallelism`).
///
/// - Parameters:
///   - a: `m` rows of `k` floats, row stride `lda`.
///   - b: `k` rows of `n` floats, row stride `ldb`.
///   - c: `m` rows of `n` floats, row stride `ldc`; overwritten unless `accumulate`.
public func gemm(
    m: Int, n: Int, k: Int,
    a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int,
    accumulate: Bool = false
) {
    gemm(m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc,
         accumulate: accumulate, threads: GemmParallelism.maxThreads, kernel: .automatic)
}

/// `gemm` on at most `threads` threads: 1 keeps the product on the calling thread (work already
/// split between the cores, e.g. one attention head per task, calls it so).
public func gemm(
    m: Int, n: Int, k: Int,
    a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int,
    accumulate: Bool = false, threads: Int
) {
    gemm(m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc,
         accumulate: accumulate, threads: threads, kernel: .automatic)
}

/// C[m×n] = A[m×k] · Bᵀ (+ C when `accumulate`) where `transposedB` holds B as `n` rows of `k`
/// floats (row stride `ldb`), read as stored; on at most `threads` threads (as `gemm`).
public func gemm(
    m: Int, n: Int, k: Int,
    a: UnsafePointer<Float>, lda: Int,
    transposedB b: UnsafePointer<Float>, ldb: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int,
    accumulate: Bool = false, threads: Int = GemmParallelism.maxThreads
) {
    gemmTransposingB(m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, accumulate: accumulate,
                     threads: threads)
}

/// The matrix product `a · b`: a `[M,K]`, b `[K,N]` → `[M,N]`.
public func matmul(_ a: Tensor, _ b: Tensor) -> Tensor {
    precondition(a.rank == 2 && b.rank == 2 && a.shape[1] == b.shape[0],
                 "matmul of \(a.shape) and \(b.shape)")
    let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
    var c = Tensor(uninitializedShape: [m, n])
    a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            c.withUnsafeMutableBufferPointer { pc in
                gemm(m: m, n: n, k: k, a: pa.baseAddress!, lda: k, b: pb.baseAddress!, ldb: n,
                     c: pc.baseAddress!, ldc: n)
            }
        }
    }
    return c
}

/// The affine map `a · b + bias`: a `[M,K]`, b `[K,N]`, bias `[N]` added to every row → `[M,N]`.
/// The bias is written first and the product accumulated onto it, so no second pass is made.
public func matmul(_ a: Tensor, _ b: Tensor, addingRow bias: Tensor?) -> Tensor {
    guard let bias else { return matmul(a, b) }
    precondition(a.rank == 2 && b.rank == 2 && a.shape[1] == b.shape[0] && bias.count == b.shape[1],
                 "matmul of \(a.shape) and \(b.shape) plus \(bias.shape)")
    let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
    var c = Tensor(uninitializedShape: [m, n])
    a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            bias.withUnsafeBufferPointer { pbias in
                c.withUnsafeMutableBufferPointer { pc in
                    for i in 0..<m { (pc.baseAddress! + i * n).update(from: pbias.baseAddress!, count: n) }
                    gemm(m: m, n: n, k: k, a: pa.baseAddress!, lda: k, b: pb.baseAddress!, ldb: n,
                         c: pc.baseAddress!, ldc: n, accumulate: true)
                }
            }
        }
    }
    return c
}

/// The product with a transposed right side, `a · bᵀ`: a `[M,K]`, b `[N,K]` → `[M,N]`
/// (e.g. queries `[T,dh]` times keys `[T,dh]` gives scores `[T,T]`).
/// B is read as it is stored (no transposed copy is made).
public func matmul(_ a: Tensor, transposing b: Tensor) -> Tensor {
    precondition(a.rank == 2 && b.rank == 2 && a.shape[1] == b.shape[1],
                 "matmul of \(a.shape) and the transpose of \(b.shape)")
    let (m, k, n) = (a.shape[0], a.shape[1], b.shape[0])
    var c = Tensor(uninitializedShape: [m, n])
    a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            c.withUnsafeMutableBufferPointer { pc in
                gemmTransposingB(m: m, n: n, k: k, a: pa.baseAddress!, lda: k, b: pb.baseAddress!, ldb: k,
                                 c: pc.baseAddress!, ldc: n)
            }
        }
    }
    return c
}

extension Tensor {
    /// The transpose of a rank-2 tensor: `[R,C]` → `[C,R]`.
    public func transposed() -> Tensor {
        precondition(rank == 2, "transposed() needs a matrix, got \(shape)")
        let (r, c) = (shape[0], shape[1])
        var out = Tensor(uninitializedShape: [c, r])
        withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<r { for j in 0..<c { dst[j * r + i] = src[i * c + j] } }
            }
        }
        return out
    }
}
