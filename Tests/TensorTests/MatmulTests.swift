import Testing
@testable import Tensor
import CKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `gemm` against a plain double-precision loop, over shapes that reach every edge of the
/// blocked kernel: partial micro-tiles in both directions, several slices of k (KC = 256),
/// several row blocks (MC = 144), several column blocks (NC = 4096), padded rows, accumulation,
/// empty dimensions, every kernel tier and the one- and two-thread splits.
@Suite struct MatmulTests {
    /// One product to check: sizes, extra row padding of each operand, and accumulation.
    struct Shape: Sendable, CustomTestStringConvertible {
        var m: Int, k: Int, n: Int
        var padA = 0, padB = 0, padC = 0
        var accumulate = false
        var testDescription: String {
            "\(m)×\(k)×\(n)" + (padA + padB + padC > 0 ? " ld+(\(padA),\(padB),\(padC))" : "")
                + (accumulate ? " accumulate" : "")
        }
    }

    static let shapes: [Shape] = [
        Shape(m: 1, k: 1, n: 1),
        Shape(m: 7, k: 13, n: 5),
        Shape(m: 6, k: 16, n: 16),              // exactly one micro-tile
        Shape(m: 12, k: 16, n: 16),
        Shape(m: 17, k: 33, n: 65),
        Shape(m: 64, k: 384, n: 384),
        Shape(m: 64, k: 384, n: 1536),
        Shape(m: 64, k: 1536, n: 384),          // six slices of k
        Shape(m: 129, k: 70, n: 257),
        Shape(m: 150, k: 300, n: 50),           // two row blocks, two slices of k, edge columns
        Shape(m: 300, k: 17, n: 8),             // narrower than one tile
        Shape(m: 3, k: 5, n: 4100),             // two column blocks
        Shape(m: 1, k: 600, n: 33),
        Shape(m: 33, k: 2, n: 1),
        // Leading dimensions larger than the rows.
        Shape(m: 7, k: 13, n: 5, padA: 3, padB: 5, padC: 7),
        Shape(m: 129, k: 70, n: 257, padA: 1, padB: 16, padC: 3),
        Shape(m: 160, k: 300, n: 40, padA: 9, padB: 2, padC: 31),
        // Accumulation onto existing values.
        Shape(m: 1, k: 1, n: 1, accumulate: true),
        Shape(m: 17, k: 33, n: 65, accumulate: true),
        Shape(m: 64, k: 384, n: 384, accumulate: true),
        Shape(m: 150, k: 520, n: 70, padA: 2, padB: 3, padC: 4, accumulate: true),
    ]

    static let emptyShapes: [Shape] = [
        Shape(m: 0, k: 5, n: 7), Shape(m: 5, k: 7, n: 0), Shape(m: 0, k: 0, n: 0),
        Shape(m: 5, k: 0, n: 7), Shape(m: 5, k: 0, n: 7, padC: 2, accumulate: true),
        Shape(m: 20, k: 0, n: 40, padC: 3),
    ]

    /// Every tier (the automatic one is the best the CPU has), each on one thread and on two
    /// (which splits columns or rows between threads). A tier the CPU lacks is skipped with a note.
    static let paths: [(kernel: GemmKernel, threads: Int)] = [
        (.automatic, 1), (.automatic, 2), (.portable, 1), (.portable, 2), (.avx2, 1), (.avx2, 2),
        (.avx512, 1), (.avx512, 2), (.avx512TilesOnAVX2, 1), (.avx512TilesOnAVX2, 2),
    ]

    @Test(arguments: shapes, 0..<paths.count)
    func matchesReference(shape: Shape, path: Int) {
        let (kernel, threads) = Self.paths[path]
        guard runsOnThisCPU(kernel) else { return }
        let worst = worstError(shape, kernel: kernel, threads: threads, forceThreads: true)
        #expect(worst.ratio <= 1, "\(shape.testDescription) \(kernel) \(threads)t: \(worst)")
        #expect(worst.paddingIntact, "\(shape.testDescription): wrote outside the rows of C")
    }

    /// A·Bᵀ with B read as stored: the same shapes, every path.
    @Test(arguments: shapes, 0..<paths.count)
    func transposedRightSideMatchesReference(shape: Shape, path: Int) {
        let (kernel, threads) = Self.paths[path]
        guard runsOnThisCPU(kernel) else { return }
        let worst = worstError(shape, kernel: kernel, threads: threads, forceThreads: true, transposeB: true)
        #expect(worst.ratio <= 1, "\(shape.testDescription) Bᵀ \(kernel) \(threads)t: \(worst)")
        #expect(worst.paddingIntact, "\(shape.testDescription) Bᵀ: wrote outside the rows of C")
    }

    @Test(arguments: emptyShapes, 0..<paths.count)
    func emptyDimensions(shape: Shape, path: Int) {
        let (kernel, threads) = Self.paths[path]
        guard runsOnThisCPU(kernel) else { return }
        let worst = worstError(shape, kernel: kernel, threads: threads, forceThreads: true)
        #expect(worst.ratio <= 1, "\(shape.testDescription): \(worst)")
        #expect(worst.paddingIntact)
    }

    /// The public entry point and `matmul` agree with the reference too.
    @Test func publicEntryPoints() {
        let shape = Shape(m: 70, k: 200, n: 90)
        let worst = worstError(shape, kernel: .automatic, threads: GemmParallelism.maxThreads, forceThreads: false)
        #expect(worst.ratio <= 1)

        var generator = UniformFloats(seed: 7)
        let a = Tensor(shape: [9, 20], scalars: (0..<180).map { _ in generator.next() })
        let b = Tensor(shape: [20, 11], scalars: (0..<220).map { _ in generator.next() })
        let product = matmul(a, b)
        #expect(product.shape == [9, 11])
        for i in 0..<9 {
            for j in 0..<11 {
                var sum = 0.0
                for p in 0..<20 { sum += Double(a[i, p]) * Double(b[p, j]) }
                #expect(abs(Double(product[i, j]) - sum) <= 1e-5 * (1 + abs(sum)) * 20.0.squareRoot())
            }
        }
        let bt = b.transposed()
        #expect(matmul(a, transposing: bt).scalars == product.scalars)
    }

    /// The error check itself catches a wrong product (so the tests above can fail).
    @Test func checkerRejectsWrongResults() {
        let reference: [Double] = [1, -2, 300]
        #expect(toleranceRatio(result: [1, -2, 300], reference: reference, k: 64) <= 1)
        #expect(toleranceRatio(result: [1, -2.001, 300], reference: reference, k: 64) > 1)
        #expect(toleranceRatio(result: [1, -2, 300.5], reference: reference, k: 64) > 1)
        #expect(toleranceRatio(result: [Float.nan, -2, 300], reference: reference, k: 64) > 1)
    }

    /// Several threads multiplying at once: one gets the worker pool, the others run alone;
    /// all must be right.
    @Test func concurrentCallers() async {
        let shapes = (0..<8).map { Shape(m: 64 + $0, k: 384, n: 200 + 16 * $0) }
        await withTaskGroup(of: Double.self) { group in
            for shape in shapes {
                group.addTask { worstError(shape, kernel: .automatic, threads: 2, forceThreads: true).ratio }
            }
            for await ratio in group { #expect(ratio <= 1) }
        }
    }

    @Test func kernelNameSaysWhatRuns() {
        #expect(["avx512", "avx2-fma", "portable"].contains(GemmBenchmark.kernelName))
        #expect(GemmKernel.portable.resolvedName == "portable")
        #expect(GemmKernel.portable.isSupported)
        #if arch(x86_64)
        // This machine's CPU decides; the names must match what the CPU reports.
        let flags = cpuFlags()
        let hasAVX2 = flags.contains("avx2") && flags.contains("fma")
        let hasAVX512 = hasAVX2 && ["avx512f", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(flags.contains)
        #expect(GemmKernel.avx2.isSupported == hasAVX2)
        #expect(GemmKernel.avx512.isSupported == hasAVX512)
        #expect(GemmKernel.cpuBest == (hasAVX512 ? .avx512 : hasAVX2 ? .avx2 : .portable))
        #expect(GemmKernel.avx512.resolvedName == (hasAVX512 ? "avx512" : hasAVX2 ? "avx2-fma" : "portable"))
        if getenv("EXPLORER_KERNEL") == nil {
            #expect(GemmBenchmark.kernelName == GemmKernel.cpuBest.resolvedName)
        }
        #endif
    }

    /// How `EXPLORER_KERNEL` is read.
    @Test func kernelNames() {
        #expect(ck_kernel_named("portable") == CK_KERNEL_PORTABLE)
        #expect(ck_kernel_named("avx2") == CK_KERNEL_AVX2_FMA)
        #expect(ck_kernel_named("avx2-fma") == CK_KERNEL_AVX2_FMA)
        #expect(ck_kernel_named("avx512") == CK_KERNEL_AVX512)
        #expect(ck_kernel_named("auto") == CK_KERNEL_AUTO)
        #expect(ck_kernel_named("AVX9") == CK_KERNEL_AUTO)
        #expect(ck_kernel_named(nil) == CK_KERNEL_AUTO)
    }
}

/// Whether the CPU runs `kernel` itself; when not, the test checks nothing (a note says so once).
func runsOnThisCPU(_ kernel: GemmKernel) -> Bool {
    _ = unsupportedTiersNote
    return kernel.isSupported
}

/// Printed once, at the first gemm test that skips.
let unsupportedTiersNote: Void = {
    for tier in GemmKernel.allCases where !tier.isSupported {
        print("note: gemm tests skip \(tier): this CPU lacks it (it would run \(tier.resolvedName))")
    }
}()

// MARK: - Reference and comparison

/// How far off one product is: `ratio` is the largest |result − reference| over its tolerance
/// (≤ 1 passes; NaN counts as infinitely far).
struct ProductError: CustomStringConvertible {
    var ratio: Double
    var paddingIntact: Bool
    var description: String { "error/tolerance = \(ratio), padding intact: \(paddingIntact)" }
}

/// The largest |result − reference| / (1e-5 · (1 + |reference|) · √k) over all elements.
///
/// Single-precision sums of k products drift from the exact value by roughly ε·√k·|terms|
/// (ε ≈ 6e-8) with random signs; 1e-5 leaves a wide margin for the different summation order
/// of the blocked kernel and FMA's single rounding, while a wrong index or a missed slice of k
/// is off by O(1).
func toleranceRatio(result: [Float], reference: [Double], k: Int) -> Double {
    var worst = 0.0
    for (r, e) in zip(result, reference) {
        let r = Double(r)
        guard r.isFinite else { return .infinity }
        worst = max(worst, abs(r - e) / (1e-5 * (1 + abs(e)) * Double(max(k, 1)).squareRoot()))
    }
    return worst
}

/// Runs `gemm` for `shape` on random data and compares it with a double-precision loop.
/// With `forceThreads`, the split between threads happens whatever the size (to test it on
/// small shapes); otherwise `gemm` decides as it does in production.
/// With `transposeB`, B is stored as its transpose, n rows of k (row stride k + padB), and the
/// product reads it through `gemmTransposingB`.
func worstError(_ shape: MatmulTests.Shape, kernel: GemmKernel, threads: Int, forceThreads: Bool,
                transposeB: Bool = false) -> ProductError {
    let (m, k, n) = (shape.m, shape.k, shape.n)
    let (lda, ldb, ldc) = (max(k + shape.padA, 1), max((transposeB ? k : n) + shape.padB, 1), max(n + shape.padC, 1))
    var generator = UniformFloats(seed: UInt64(m * 1_000_003 + k * 1009 + n))
    let a = (0..<max(m * lda, 1)).map { _ in generator.next() }
    let b = (0..<max((transposeB ? n : k) * ldb, 1)).map { _ in generator.next() }
    let sentinel: Float = 12345
    // Rows of C start as random values (what `accumulate` adds to), padding as the sentinel.
    var c = (0..<max(m * ldc, 1)).map { index in index % ldc < n ? generator.next() : sentinel }
    let initial = c

    a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            c.withUnsafeMutableBufferPointer { pc in
                if transposeB {
                    gemmTransposingB(m: m, n: n, k: k, a: pa.baseAddress!, lda: lda, b: pb.baseAddress!, ldb: ldb,
                                     c: pc.baseAddress!, ldc: ldc, accumulate: shape.accumulate,
                                     splitAcross: threads, kernel: kernel)
                } else if forceThreads {
                    // The same split `gemm` uses, but without its minimum-work threshold.
                    gemm(m: m, n: n, k: k, a: pa.baseAddress!, lda: lda, b: pb.baseAddress!, ldb: ldb,
                         c: pc.baseAddress!, ldc: ldc, accumulate: shape.accumulate,
                         splitAcross: threads, kernel: kernel)
                } else {
                    gemm(m: m, n: n, k: k, a: pa.baseAddress!, lda: lda, b: pb.baseAddress!, ldb: ldb,
                         c: pc.baseAddress!, ldc: ldc, accumulate: shape.accumulate,
                         threads: threads, kernel: kernel)
                }
            }
        }
    }

    var result: [Float] = []
    var reference: [Double] = []
    var paddingIntact = true
    for i in 0..<m {
        for j in 0..<ldc {
            let index = i * ldc + j
            guard j < n else {
                paddingIntact = paddingIntact && c[index] == sentinel
                continue
            }
            var sum = shape.accumulate ? Double(initial[index]) : 0
            for p in 0..<k { sum += Double(a[i * lda + p]) * Double(b[transposeB ? j * ldb + p : p * ldb + j]) }
            result.append(c[index])
            reference.append(sum)
        }
    }
    return ProductError(ratio: toleranceRatio(result: result, reference: reference, k: k),
                        paddingIntact: paddingIntact)
}

#if arch(x86_64)
/// The CPU's feature flags as the kernel reports them (/proc/cpuinfo) where there is one, else
/// as the dispatch found them.
func cpuFlags() -> Set<String> {
    #if os(Linux)
    if let file = fopen("/proc/cpuinfo", "r") {
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0, let line {
            let text = String(cString: line)
            guard text.hasPrefix("flags") else { continue }
            return Set(text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init))
        }
        return []
    }
    #endif
    switch GemmKernel.cpuBest {
    case .avx512: return ["avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl"]
    case .avx2: return ["avx2", "fma"]
    default: return []
    }
}
#endif
