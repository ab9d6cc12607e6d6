/// The gemm benchmark's comparison with BLAS libraries loaded at run time (`BLASLibrary`): the
/// same products, on the same data, timed the same way as `GemmBenchmark.gflops`.
extension GemmBenchmark {
    /// GFLOPS of `library` for `[m,k]·[k,n]` on `threads` of its threads: the best rate of
    /// batches timed for at least `minSeconds` in total, after a warm-up, as for ours.
    public static func gflops(library: BLASLibrary, m: Int, k: Int, n: Int, threads: Int, minSeconds: Double) -> Double {
        let (a, b, c) = operands(m: m, k: k, n: n)
        defer { a.deallocate(); b.deallocate(); c.deallocate() }
        library.setThreads(threads)
        let seconds = bestSecondsPerRun(minSeconds: minSeconds) {
            library.multiply(m: m, n: n, k: k, a: a, b: b, c: c)
        }
        return 2 * Double(m) * Double(k) * Double(n) / seconds / 1e9
    }

    /// How far `library`'s `[m,k]·[k,n]` is from ours on the data the timings use: the largest
    /// |library − ours| / (1 + |ours|) over the product's elements (NaN or infinity when either
    /// gives a non-finite element). Both sum k float products in different orders, so a few
    /// float roundings (about 1e-7 relative each) apart is equal work; a wrong call is off by O(1).
    public static func largestRelativeDifference(library: BLASLibrary, m: Int, k: Int, n: Int) -> Double {
        let (a, b, ours) = operands(m: m, k: k, n: n)
        let theirs = alignedFloats(m * n)
        defer { a.deallocate(); b.deallocate(); ours.deallocate(); theirs.deallocate() }
        gemm(m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, c: ours, ldc: n, accumulate: false,
             threads: 1, kernel: .automatic)
        library.setThreads(1)
        library.multiply(m: m, n: n, k: k, a: a, b: b, c: theirs)
        var largest = 0.0
        for i in 0..<(m * n) {
            let (mine, other) = (Double(ours[i]), Double(theirs[i]))
            guard mine.isFinite && other.isFinite else { return .infinity }
            largest = max(largest, abs(other - mine) / (1 + abs(mine)))
        }
        return largest
    }

    /// GFLOPS of ours and of `library`, both on `threads` threads, when their products alternate
    /// one by one (as they would if the model's products used the library while attention and the
    /// element-wise kernels used our worker pool): each product is timed on its own, and each
    /// figure is the best mean of batches timed for at least `minSeconds` in total. Beside
    /// `gflops` for each alone, it shows whether one's idle threads slow the other's next call.
    public static func alternatingGflops(library: BLASLibrary, m: Int, k: Int, n: Int, threads: Int,
                                         minSeconds: Double) -> (ours: Double, library: Double) {
        let (a, b, c) = operands(m: m, k: k, n: n)
        let theirs = alignedFloats(m * n)
        defer { a.deallocate(); b.deallocate(); c.deallocate(); theirs.deallocate() }
        library.setThreads(threads)
        let runOurs = {
            gemm(m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, c: c, ldc: n, accumulate: false,
                 threads: threads, kernel: .automatic)
        }
        let runTheirs = { library.multiply(m: m, n: n, k: k, a: a, b: b, c: theirs) }
        runTheirs()
        runOurs()
        let batch = 8
        var (bestOurs, bestTheirs) = (Double.infinity, Double.infinity)
        let deadline = monotonicSeconds() + minSeconds
        repeat {
            var (oursTotal, theirsTotal) = (0.0, 0.0)
            for _ in 0..<batch {
                let start = monotonicSeconds()
                runTheirs()
                let middle = monotonicSeconds()
                runOurs()
                let end = monotonicSeconds()
                theirsTotal += middle - start
                oursTotal += end - middle
            }
            bestOurs = min(bestOurs, oursTotal / Double(batch))
            bestTheirs = min(bestTheirs, theirsTotal / Double(batch))
        } while monotonicSeconds() < deadline
        let flops = 2 * Double(m) * Double(k) * Double(n) / 1e9
        return (flops / bestOurs, flops / bestTheirs)
    }
}
