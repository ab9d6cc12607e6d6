import Testing
@testable import Tensor

/// The one-row products (`m = 1`, what a generation step with a KV cache runs) against a plain
/// double-precision loop, within the gemm tests' tolerance: column counts that do and do not fill
/// the 32-column panels, accumulation, padded rows of B, one thread and two (the split starts at
/// 2^17 multiply-adds).
@Suite struct VectorMatrixTests {
    static let shapes: [MatmulTests.Shape] = [
        MatmulTests.Shape(m: 1, k: 1, n: 1),
        MatmulTests.Shape(m: 1, k: 576, n: 15),
        MatmulTests.Shape(m: 1, k: 576, n: 1728),
        MatmulTests.Shape(m: 1, k: 33, n: 257, padB: 3),
        MatmulTests.Shape(m: 1, k: 1536, n: 1500, accumulate: true),   // split between threads
        MatmulTests.Shape(m: 1, k: 0, n: 20),
        MatmulTests.Shape(m: 1, k: 20, n: 0),
    ]

    @Test(arguments: shapes, [1, 2])
    func rowTimesMatrixMatchesReference(shape: MatmulTests.Shape, threads: Int) {
        let worst = worstError(shape, kernel: .automatic, threads: threads, forceThreads: false)
        #expect(worst.ratio <= 1, "\(shape.testDescription) \(threads)t: \(worst)")
        #expect(worst.paddingIntact)
    }

    @Test(arguments: shapes, [1, 2])
    func rowTimesTransposedMatrixMatchesReference(shape: MatmulTests.Shape, threads: Int) {
        let (k, n) = (shape.k, shape.n)
        let ldb = k + shape.padB
        var generator = UniformFloats(seed: UInt64(k * 1009 + n))
        let a = (0..<max(k, 1)).map { _ in generator.next() }
        let b = (0..<max(n * ldb, 1)).map { _ in generator.next() }
        var c = (0..<max(n, 1)).map { _ in generator.next() }
        let initial = c
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    gemm(m: 1, n: n, k: k, a: pa.baseAddress!, lda: k, transposedB: pb.baseAddress!, ldb: max(ldb, 1),
                         c: pc.baseAddress!, ldc: n, accumulate: shape.accumulate, threads: threads)
                }
            }
        }
        let reference = (0..<n).map { j in
            (0..<k).reduce(shape.accumulate ? Double(initial[j]) : 0) { $0 + Double(a[$1]) * Double(b[j * ldb + $1]) }
        }
        #expect(toleranceRatio(result: Array(c.prefix(n)), reference: reference, k: k) <= 1, "\(shape.testDescription) \(threads)t")
    }
}
