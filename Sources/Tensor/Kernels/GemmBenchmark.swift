import CKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Measures `gemm` throughput, for the command line's benchmark.
public enum GemmBenchmark {
    /// Which tier `gemm` runs on this CPU: "avx512", "avx2-fma" or "portable".
    public static var kernelName: String { GemmKernel.automatic.resolvedName }

    /// `kernelName`, and what `EXPLORER_KERNEL` did when it is set: e.g. "avx2-fma
    /// (EXPLORER_KERNEL=avx2; this CPU: avx512)" or "avx2-fma (EXPLORER_KERNEL=avx512: this CPU
    /// lacks it)".
    public static var kernelDescription: String {
        let name = kernelName
        guard let asked = getenv("EXPLORER_KERNEL").map({ String(cString: $0) }) else { return name }
        let tier = ck_kernel_named(asked)
        if tier == CK_KERNEL_AUTO {
            return asked == "auto" ? name : "\(name) (EXPLORER_KERNEL=\(asked) not understood: portable, avx2-fma, avx512)"
        }
        let best = ck_cpu_best_kernel()
        if tier.rawValue > best.rawValue { return "\(name) (EXPLORER_KERNEL=\(asked): this CPU lacks it)" }
        if tier == best { return "\(name) (EXPLORER_KERNEL=\(asked))" }
        return "\(name) (EXPLORER_KERNEL=\(asked); this CPU: \(GemmKernel.cpuBest.resolvedName))"
    }

    /// GFLOPS (2·m·k·n per product) of `gemm` for `[m,k]·[k,n]` on random data, with the
    /// thread policy `gemm` itself uses.
    public static func gflops(m: Int, k: Int, n: Int, minSeconds: Double) -> Double {
        gflops(m: m, k: k, n: n, threads: GemmParallelism.maxThreads, minSeconds: minSeconds)
    }

    /// GFLOPS of `gemm` for `[m,k]·[k,n]` using at most `threads` threads: the best rate of
    /// batches of products timed for at least `minSeconds` in total, after a warm-up.
    public static func gflops(m: Int, k: Int, n: Int, threads: Int, minSeconds: Double) -> Double {
        gflops(m: m, k: k, n: n, threads: threads, kernel: .automatic, minSeconds: minSeconds)
    }

    /// GFLOPS of `gemm` on one tier (`.automatic` as above).
    public static func gflops(m: Int, k: Int, n: Int, threads: Int, kernel: GemmKernel, minSeconds: Double) -> Double {
        precondition(m > 0 && k > 0 && n > 0, "benchmark needs positive sizes")
        let (a, b, c) = operands(m: m, k: k, n: n)
        defer { a.deallocate(); b.deallocate(); c.deallocate() }
        let seconds = bestSecondsPerRun(minSeconds: minSeconds) {
            gemm(m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, c: c, ldc: n,
                 accumulate: false, threads: threads, kernel: kernel)
        }
        return 2 * Double(m) * Double(k) * Double(n) / seconds / 1e9
    }
}

/// The benchmark's `A [m, k]` and `B [k, n]` (the same random numbers on every call) and an
/// uninitialised `C [m, n]`; the caller deallocates all three.
func operands(m: Int, k: Int, n: Int)
    -> (a: UnsafeMutablePointer<Float>, b: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>) {
    var generator = UniformFloats(seed: 42)
    let (a, b, c) = (alignedFloats(m * k), alignedFloats(k * n), alignedFloats(m * n))
    for i in 0..<(m * k) { a[i] = generator.next() }
    for i in 0..<(k * n) { b[i] = generator.next() }
    return (a, b, c)
}

/// Uninitialised floats, 64-byte aligned like tensor storage (so threads splitting an output
/// share no cache line); the caller deallocates them.
func alignedFloats(_ count: Int) -> UnsafeMutablePointer<Float> {
    UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Float>.stride, alignment: 64)
        .bindMemory(to: Float.self, capacity: count)
}

/// The best time of one call of `run`, in seconds: after a warm-up call, batches of calls
/// that take a couple of milliseconds each are timed for at least `minSeconds` in total.
func bestSecondsPerRun(minSeconds: Double, _ run: () -> Void) -> Double {
    run()
    var repetitions = 1
    while true {
        let start = monotonicSeconds()
        for _ in 0..<repetitions { run() }
        if monotonicSeconds() - start > 0.002 { break }
        repetitions *= 2
    }
    var best = Double.infinity
    let deadline = monotonicSeconds() + minSeconds
    repeat {
        let start = monotonicSeconds()
        for _ in 0..<repetitions { run() }
        best = min(best, (monotonicSeconds() - start) / Double(repetitions))
    } while monotonicSeconds() < deadline
    return best
}

func monotonicSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

/// Deterministic pseudo-random floats in [-1, 1) for benchmark and test data (SplitMix64 bits).
struct UniformFloats {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> Float {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Float(z >> 40) / Float(1 << 23) - 1
    }
}
