import Testing
@testable import Tensor
import CKernels

/// Products with B packed ahead (`PackedMatrix`) give the same bits as the products with B as given,
/// on every tier this CPU runs and on one thread and two: the same slices of k, tiles and sums in the
/// same order. `MatmulTests` checks that path against a double-precision loop; one shape here is
/// checked against that loop directly as well.
@Suite struct PackedMatrixTests {
    static let shapes: [MatmulTests.Shape] = [
        MatmulTests.Shape(m: 1, k: 1, n: 1),
        MatmulTests.Shape(m: 7, k: 13, n: 5),
        MatmulTests.Shape(m: 8, k: 384, n: 1152),          // MiniLM's q, k and v at 8 tokens
        MatmulTests.Shape(m: 8, k: 1536, n: 384),          // its down projection: six slices of k
        MatmulTests.Shape(m: 17, k: 33, n: 65, accumulate: true),
        MatmulTests.Shape(m: 150, k: 300, n: 50),          // two row blocks, edge columns
        MatmulTests.Shape(m: 300, k: 17, n: 8),            // split by rows, narrower than a tile
        MatmulTests.Shape(m: 3, k: 5, n: 4100),            // two column blocks
        MatmulTests.Shape(m: 64, k: 520, n: 70, padA: 2, padC: 4, accumulate: true),
        MatmulTests.Shape(m: 5, k: 0, n: 7, accumulate: true),
        MatmulTests.Shape(m: 5, k: 0, n: 7),
        MatmulTests.Shape(m: 0, k: 5, n: 7),
    ]

    static let tiers: [GemmKernel] = [.automatic, .portable, .avx2, .avx512, .avx512TilesOnAVX2]

    @Test(arguments: shapes, tiers)
    func sameBitsAsUnpacked(shape: MatmulTests.Shape, kernel: GemmKernel) {
        guard runsOnThisCPU(kernel) else { return }
        for threads in [1, 2] {
            let (packed, unpacked, _) = products(shape, kernel: kernel, threads: threads)
            #expect(packed == unpacked, "\(shape.testDescription) \(kernel) \(threads)t")
        }
    }

    /// B given as its transpose (a Linear layer's `[out, in]`) packs to the same panels.
    @Test(arguments: tiers)
    func transposedSourcePacksTheSame(kernel: GemmKernel) {
        guard runsOnThisCPU(kernel) else { return }
        let b = randomTensor([300, 70], seed: 3)
        let direct = PackedMatrix(b, kernel: kernel), fromTranspose = PackedMatrix(transposing: b.transposed(), kernel: kernel)
        #expect(direct.panels.scalars == fromTranspose.panels.scalars)
        #expect(direct.unpacked().scalars == b.scalars)
        #expect(fromTranspose.rows == 300 && fromTranspose.columns == 70)
    }

    /// The panels hold K × N rounded up to whole panels: no copy of A or C, padding only at the edge.
    @Test func packedSize() {
        let panel = Int(ck_sgemm_column_block())
        #expect(PackedMatrix(randomTensor([384, 1152], seed: 1)).packedCount == 384 * 1152)
        #expect(PackedMatrix(randomTensor([10, panel + 1], seed: 1)).packedCount == 10 * 2 * panel)
    }

    /// `matmul` with a packed B and a bias: the same bits as with B unpacked, one row (the one-row
    /// path reads the panels) and many, on one thread and on all.
    @Test(arguments: [1, 2, 8, 70])
    func matmulAddingRowSameBits(rows: Int) {
        for (k, n) in [(384, 1152), (1536, 384), (33, 257), (576, 15)] {
            let a = randomTensor([rows, k], seed: UInt64(rows * 7 + k))
            let b = randomTensor([k, n], seed: UInt64(n))
            let bias = randomTensor([n], seed: 11)
            let packed = PackedMatrix(b)
            #expect(matmul(a, packed, addingRow: bias).scalars == matmul(a, b, addingRow: bias).scalars, "\(rows)×\(k)×\(n)")
            #expect(matmul(a, packed).scalars == matmul(a, b).scalars, "\(rows)×\(k)×\(n) without bias")
        }
    }

    /// The one-row path on packed panels against `vectorTimesMatrix` on B itself, split or not,
    /// accumulating or not: the same bits.
    @Test(arguments: [1, 2])
    func oneRowSameBitsAsVectorPath(threads: Int) {
        for (k, n, accumulate) in [(576, 1728, false), (1536, 1500, true), (33, 257, true), (1, 1, false), (600, 33, false)] {
            let a = randomTensor([k], seed: UInt64(k)), b = randomTensor([k, n], seed: UInt64(n))
            let start = randomTensor([n], seed: 5)
            let packed = PackedMatrix(b)
            var viaPanels = start, viaB = start
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    viaB.withUnsafeMutableBufferPointer { pc in
                        vectorTimesMatrix(n: n, k: k, a: pa.baseAddress!, b: pb.baseAddress!, ldb: n, c: pc.baseAddress!,
                                          accumulate: accumulate, threads: threads)
                    }
                }
                viaPanels.withUnsafeMutableBufferPointer { pc in
                    packed.multiply(m: 1, a: pa.baseAddress!, lda: k, c: pc.baseAddress!, ldc: n, accumulate: accumulate,
                                    threads: threads)
                }
            }
            #expect(viaPanels.scalars == viaB.scalars, "1×\(k)×\(n)\(accumulate ? " accumulate" : "") \(threads)t")
        }
    }

    /// Against a double-precision loop, within the gemm tests' tolerance (so a wrong panel offset
    /// fails here even if both paths shared it), every tier.
    @Test(arguments: tiers)
    func matchesReference(kernel: GemmKernel) {
        guard runsOnThisCPU(kernel) else { return }
        let shape = MatmulTests.Shape(m: 9, k: 700, n: 77, accumulate: true)
        let (packed, _, reference) = products(shape, kernel: kernel, threads: 2)
        #expect(toleranceRatio(result: packed, reference: reference, k: shape.k) <= 1)
        var wrong = packed
        wrong[5] += 0.01
        #expect(toleranceRatio(result: wrong, reference: reference, k: shape.k) > 1)
    }

    /// Runs `shape` with B packed and with B as given (split across `threads` whatever the size):
    /// → both results (rows of n, padding dropped) and the double-precision reference.
    func products(_ shape: MatmulTests.Shape, kernel: GemmKernel, threads: Int)
        -> (packed: [Float], unpacked: [Float], reference: [Double]) {
        let (m, k, n) = (shape.m, shape.k, shape.n)
        let (lda, ldc) = (max(k + shape.padA, 1), max(n + shape.padC, 1))
        let a = randomTensor([max(m * lda, 1)], seed: UInt64(m * 31 + k))
        let b = randomTensor([k, n], seed: UInt64(k * 17 + n))
        let start = randomTensor([max(m * ldc, 1)], seed: 9)
        let matrix = PackedMatrix(b, kernel: kernel)
        var viaPanels = start, viaB = start
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                viaB.withUnsafeMutableBufferPointer { pc in
                    gemm(m: m, n: n, k: k, a: pa.baseAddress!, lda: lda, b: pb.baseAddress!, ldb: max(n, 1),
                         c: pc.baseAddress!, ldc: ldc, accumulate: shape.accumulate, splitAcross: threads, kernel: kernel)
                }
            }
            viaPanels.withUnsafeMutableBufferPointer { pc in
                matrix.multiply(m: m, a: pa.baseAddress!, lda: lda, c: pc.baseAddress!, ldc: ldc,
                                accumulate: shape.accumulate, splitAcross: threads)
            }
        }
        var packed: [Float] = [], unpacked: [Float] = [], reference: [Double] = []
        for i in 0..<m {
            for j in 0..<n {
                packed.append(viaPanels[i * ldc + j])
                unpacked.append(viaB[i * ldc + j])
                var sum = shape.accumulate ? Double(start[i * ldc + j]) : 0
                for p in 0..<k { sum += Double(a[i * lda + p]) * Double(b[p, j]) }
                reference.append(sum)
            }
        }
        // Nothing written beyond the rows of C.
        for i in 0..<m { for j in n..<ldc { #expect(viaPanels[i * ldc + j] == start[i * ldc + j]) } }
        return (packed, unpacked, reference)
    }

    func randomTensor(_ shape: [Int], seed: UInt64) -> Tensor {
        var generator = UniformFloats(seed: seed)
        return Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in generator.next() })
    }
}
