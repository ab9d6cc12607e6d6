import Testing
@testable import Tensor

/// The run-time BLAS loader behind `gemm-benchmark --blas`: absent libraries and missing symbols
/// give a clear result (never a crash); where OpenBLAS or BLIS is installed, its product is the
/// same as a double-precision loop's. Neither library is a dependency: those checks skip without it.
@Suite struct BLASLibraryTests {
    @Test func anAbsentLibraryIsNotFound() throws {
        let kind = BLASLibrary.Kind(name: "NoBLAS", fileNames: ["libno-such-blas.so.7", "libno-such-blas.so"],
                                    threadSetter: "noblas_set_num_threads", threadSetterTakesInt64: false)
        let result = BLASLibrary.load(kind)
        guard case .failure(let error) = result, case let .notFound(library, tried, reason) = error else {
            Issue.record("expected not found, got \(result)")
            return
        }
        #expect(library == "NoBLAS" && tried == kind.fileNames)
        #expect(reason.contains("libno-such-blas.so.7"), "the loader's message names the file: \(reason)")
        #expect(error.description.hasPrefix("NoBLAS: not found (tried libno-such-blas.so.7, libno-such-blas.so"))
    }

    /// The names are tried in order, and a library that opens but has no `cblas_sgemm` is refused
    /// by name (the C maths library is on every Linux machine, without any BLAS in it).
    @Test func aLibraryWithoutTheProductIsRefused() {
        let kind = BLASLibrary.Kind(name: "libm", fileNames: ["libno-such-blas.so.7", "libm.so.6"],
                                    threadSetter: "cos", threadSetterTakesInt64: false)
        let result = BLASLibrary.load(kind)
        guard case .failure(let error) = result else {
            Issue.record("libm loaded as a BLAS")
            return
        }
        #expect(error == .missingSymbol(library: "libm", file: "libm.so.6", symbol: "cblas_sgemm"))
        #expect(error.description == "libm: libm.so.6 has no cblas_sgemm")
    }

    @Test(arguments: [BLASLibrary.Kind.openBLAS, .blis])
    func anInstalledLibraryMultipliesLikeALoop(_ kind: BLASLibrary.Kind) throws {
        guard case .success(let library) = BLASLibrary.load(kind) else {
            print("note: \(kind.name) is not installed here; its product is not checked")
            return
        }
        #expect(library.kind.name == kind.name && kind.fileNames.contains(library.file))
        let (m, k, n) = (37, 129, 67)
        var generator = UniformFloats(seed: 7)
        let a = (0..<(m * k)).map { _ in generator.next() }
        let b = (0..<(k * n)).map { _ in generator.next() }
        var reference = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for p in 0..<k {
                for j in 0..<n { reference[i * n + j] += Double(a[i * k + p]) * Double(b[p * n + j]) }
            }
        }
        for threads in [1, 2] {
            library.setThreads(threads)
            var c = [Float](repeating: .nan, count: m * n)
            library.multiply(m: m, n: n, k: k, a: a, b: b, c: &c)
            #expect(toleranceRatio(result: c, reference: reference, k: k) <= 1, "\(kind.name), \(threads) threads")
        }
        // The benchmark's own check of equal work: a few roundings apart from our gemm.
        let difference = GemmBenchmark.largestRelativeDifference(library: library, m: 64, k: 384, n: 384)
        #expect(difference <= 1e-5 * 384.0.squareRoot(), "\(difference)")
    }

    /// A library that has the product but not the thread setter is refused by the setter's name.
    @Test func aMissingThreadSetterIsNamed() {
        var kind = BLASLibrary.Kind.openBLAS
        guard case .success = BLASLibrary.load(kind) else {
            print("note: OpenBLAS is not installed here; the thread setter's check is skipped")
            return
        }
        kind.threadSetter = "openblas_no_such_setter"
        guard case .failure(.missingSymbol(_, _, let symbol)) = BLASLibrary.load(kind) else {
            Issue.record("loaded without its thread setter")
            return
        }
        #expect(symbol == "openblas_no_such_setter")
    }
}
