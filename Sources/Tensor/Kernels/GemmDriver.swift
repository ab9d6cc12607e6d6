import CKernels

/// Which tier of kernels a product runs on (the gemm's micro-kernel, and the instruction set of
/// the element-wise kernels). `.automatic` is what `gemm` and the tensor operations use; the
/// others exist so tests and benchmarks can run each tier on purpose. A tier the CPU lacks runs
/// as the best lower one (`isSupported` tells).
public enum GemmKernel: Sendable, CaseIterable, CustomStringConvertible {
    /// The fastest tier this CPU supports, decided once at run time; `EXPLORER_KERNEL`
    /// (portable, avx2, avx512) in the environment lowers it.
    case automatic
    /// The portable C kernels, whatever the CPU.
    case portable
    /// AVX2+FMA.
    case avx2
    /// AVX-512 (F, BW, DQ, VL).
    case avx512
    /// For tests: the AVX-512 tier's gemm tiles and blocking compiled for AVX2+FMA, so a machine
    /// without AVX-512 checks them too.
    case avx512TilesOnAVX2

    var cValue: ck_kernel {
        switch self {
        case .automatic: CK_KERNEL_AUTO
        case .portable: CK_KERNEL_PORTABLE
        case .avx2: CK_KERNEL_AVX2_FMA
        case .avx512: CK_KERNEL_AVX512
        case .avx512TilesOnAVX2: CK_KERNEL_AVX512_TILES_ON_AVX2
        }
    }

    /// "avx512", "avx2-fma" or "portable": what this choice runs on this CPU.
    public var resolvedName: String { String(cString: ck_sgemm_kernel_name(cValue)) }

    /// Whether this CPU runs this tier itself (not a lower one in its place).
    public var isSupported: Bool { ck_kernel_supported(cValue) != 0 }

    /// The tiers this CPU runs, lowest first (the test tier left out).
    public static var supportedTiers: [GemmKernel] { [.portable, .avx2, .avx512].filter(\.isSupported) }

    /// The best tier of this CPU, whatever `EXPLORER_KERNEL` says.
    public static var cpuBest: GemmKernel {
        switch ck_cpu_best_kernel() {
        case CK_KERNEL_AVX512: .avx512
        case CK_KERNEL_AVX2_FMA: .avx2
        default: .portable
        }
    }

    public var description: String {
        switch self {
        case .automatic: "automatic"
        case .portable: "portable"
        case .avx2: "avx2"
        case .avx512: "avx512"
        case .avx512TilesOnAVX2: "avx512-tiles-on-avx2"
        }
    }
}

/// How `gemm` spreads one product over threads.
public enum GemmParallelism {
    /// The most threads one product uses: the number of online processors.
    public static var maxThreads: Int { Int(ck_sgemm_max_threads()) }

    /// Products with fewer multiply-adds than this per thread run on the calling thread alone
    /// (2^20 is about 11 µs at 90 GFLOPS): a spinning worker takes a task in well under a
    /// microsecond, but a sleeping one needs tens of microseconds to wake, and each thread
    /// packs its own copy of the operand that is not split.
    public static let minMultiplyAddsPerThread = 1 << 20

    /// Threads worth using for an `m×k · k×n` product, at most `limit`.
    static func threads(m: Int, n: Int, k: Int, limit: Int) -> Int {
        let work = m * n * k
        guard limit > 1, work >= 2 * minMultiplyAddsPerThread else { return 1 }
        return max(1, min(limit, work / minMultiplyAddsPerThread))
    }
}

/// `gemm` with a thread limit and a kernel choice: uses as many threads, up to `limit`, as
/// `GemmParallelism` finds worth it for the size.
func gemm(
    m: Int, n: Int, k: Int,
    a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int,
    accumulate: Bool, threads limit: Int, kernel: GemmKernel
) {
    if m == 1 && kernel == .automatic {
        vectorTimesMatrix(n: n, k: k, a: a, b: b, ldb: ldb, c: c, accumulate: accumulate, threads: limit)
        return
    }
    let threads = GemmParallelism.threads(m: m, n: n, k: k, limit: limit)
    gemm(m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc,
         accumulate: accumulate, splitAcross: threads, kernel: kernel)
}

/// `C = A · Bᵀ` (+ C when `accumulate`) for B given as `n` rows of `k` floats (row stride `ldb`),
/// without a transposed copy of B; threads and kernel as `gemm`.
func gemmTransposingB(
    m: Int, n: Int, k: Int,
    a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int,
    accumulate: Bool = false, threads limit: Int = GemmParallelism.maxThreads, kernel: GemmKernel = .automatic
) {
    precondition(m >= 0 && n >= 0 && k >= 0, "gemm with negative size \(m)×\(k)×\(n)")
    precondition((m <= 1 || lda >= k) && (n <= 1 || ldb >= k) && (m <= 1 || ldc >= n),
                 "gemm leading dimension smaller than a row")
    if m == 1 && kernel == .automatic {
        vectorTimesTransposedMatrix(n: n, k: k, a: a, b: b, ldb: ldb, c: c, accumulate: accumulate, threads: limit)
        return
    }
    gemmTransposingB(m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, accumulate: accumulate,
                     splitAcross: GemmParallelism.threads(m: m, n: n, k: k, limit: limit), kernel: kernel)
}

/// `gemmTransposingB` split across `threads` threads whatever the size (for tests).
func gemmTransposingB(
    m: Int, n: Int, k: Int,
    a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int,
    accumulate: Bool, splitAcross threads: Int, kernel: GemmKernel
) {
    ck_sgemm_parallel_transposing(m, n, k, a, lda, b, ldb, 1, c, ldc, accumulate ? 1 : 0, max(threads, 1), kernel.cValue)
}

/// `gemm` split across `threads` threads whatever the size (tests use it to reach the
/// multi-threaded split on small products).
func gemm(
    m: Int, n: Int, k: Int,
    a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int,
    accumulate: Bool, splitAcross threads: Int, kernel: GemmKernel
) {
    precondition(m >= 0 && n >= 0 && k >= 0, "gemm with negative size \(m)×\(k)×\(n)")
    // Rows may not overlap (a single row may have any stride).
    precondition((m <= 1 || lda >= k) && (k <= 1 || ldb >= n) && (m <= 1 || ldc >= n),
                 "gemm leading dimension smaller than a row")
    ck_sgemm_parallel(m, n, k, a, lda, b, ldb, c, ldc, accumulate ? 1 : 0, max(threads, 1), kernel.cValue)
}
