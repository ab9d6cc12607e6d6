import Foundation
import Testing
@testable import Tensor

/// The vectorised element-wise kernels (exp, erf, both GELUs, SiLU, softmax) against float64
/// references computed here with the C library's double-precision `exp`, `erf` and `tanh`, on
/// both instruction-set paths: every float in [-10, 10] at step 1e-3 (exp: [-110, 90]) and the
/// special values, tails of every length up to 40, and the threaded split.
@Suite struct ElementwiseKernelTests {
    /// Every tier this CPU runs (a tier it lacks is left out with a note), and the automatic choice.
    static let kernels: [GemmKernel] = [.automatic] + GemmKernel.supportedTiers + skippedTiersNote()

    /// ±0, the smallest subnormal and normal, ±1e-30, the ends of exp's range, large values,
    /// the largest finite floats, ±inf and NaN.
    static let specials: [Float] = [
        0, -0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude, -.leastNormalMagnitude,
        1e-30, -1e-30, 1e-7, -1e-7, 0.5, -0.5, 1, -1, 1.4142135, -1.4142135, 4, -4, 5.656854, -5.656854,
        8, -8, 20, -20, 88, -88, 88.72283, 88.72284, 89, -89, -87.33655, -103.97, -104, -110,
        1e4, -1e4, 1e13, -1e13, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .infinity, -.infinity, .nan,
    ]

    /// Every float in [-limit, limit] at step 1e-3 (rounded to float), then the special values.
    static func inputs(limit: Int) -> [Float] {
        (-limit * 1000...limit * 1000).map { Float(Double($0) / 1000) } + specials
    }

    static func inputs(for function: ElementwiseFunction) -> [Float] {
        function == .exp ? (-110_000...90_000).map { Float(Double($0) / 1000) } + specials : inputs(limit: 10)
    }

    /// The largest error found, as a multiple of the allowed error, and where.
    struct Worst {
        var ratio = 0.0, x: Float = 0, y: Float = 0, exact = 0.0, absolute = 0.0
    }

    /// Runs `function` on `xs` and compares every result with `exact` within `tolerance`:
    /// NaN where the exact value is NaN, the same infinity where it is infinite.
    static func worst(_ function: ElementwiseFunction, kernel: GemmKernel, xs: [Float]) -> Worst {
        let ys = apply(function, xs, kernel: kernel, threads: 1)
        var worst = Worst()
        for (x, y) in zip(xs, ys) {
            let exact = function.exact(Double(x))
            let ratio: Double
            if exact.isNaN {
                ratio = y.isNaN ? 0 : .infinity
            } else if Float(exact).isInfinite {
                ratio = y == Float(exact) ? 0 : .infinity
            } else {
                ratio = y.isFinite ? abs(Double(y) - exact) / function.tolerance(exact) : .infinity
            }
            if !(ratio <= worst.ratio) {
                worst = Worst(ratio: ratio, x: x, y: y, exact: exact, absolute: abs(Double(y) - exact))
            }
        }
        return worst
    }

    @Test(arguments: ElementwiseFunction.allCases, kernels)
    func matchesTheDoubleReference(_ function: ElementwiseFunction, _ kernel: GemmKernel) {
        let worst = Self.worst(function, kernel: kernel, xs: Self.inputs(for: function))
        #expect(worst.ratio <= 1, """
            \(function) on \(kernel.resolvedName): f(\(worst.x)) = \(worst.y), exact \(worst.exact), \
            error \(worst.absolute) = \(worst.ratio) × tolerance
            """)
    }

    /// The test can fail: a result off by a few ulps more than allowed is caught.
    @Test func aWrongResultIsCaught() {
        let x: Float = 0.75
        for function in ElementwiseFunction.allCases {
            let exact = function.exact(Double(x))
            let off = Float(exact + 3 * function.tolerance(exact))
            #expect(abs(Double(off) - exact) / function.tolerance(exact) > 1, "\(function)")
        }
    }

    /// Hand-worked values: e^1, erf(1), GELU(1) = Φ(1) = 0.841345, SiLU(1) = 1/(1 + e^-1).
    @Test(arguments: kernels)
    func knownValues(_ kernel: GemmKernel) {
        let ones = [Float](repeating: 1, count: 3)
        #expect(abs(Self.apply(.exp, ones, kernel: kernel)[0] - 2.7182817) <= 2.4e-7)
        #expect(abs(Self.apply(.erf, ones, kernel: kernel)[0] - 0.8427008) <= 1.2e-7)
        #expect(abs(Self.apply(.gelu, ones, kernel: kernel)[0] - 0.8413447) <= 1.2e-7)
        #expect(abs(Self.apply(.silu, ones, kernel: kernel)[0] - 0.7310586) <= 1.2e-7)
        #expect(Self.apply(.exp, [-.infinity, 0, .infinity], kernel: kernel) == [0, 1, .infinity])
        for function in [ElementwiseFunction.gelu, .geluTanh, .silu] {
            #expect(Self.apply(function, [-.infinity, 0, .infinity], kernel: kernel) == [0, 0, .infinity])
        }
    }

    /// Every length from 0 to 40 (vector bodies and tails of every size, on both paths): each
    /// element equals the same input's result inside a long array, bit for bit.
    @Test(arguments: kernels)
    func tailsMatchTheVectorBody(_ kernel: GemmKernel) {
        var generator = UniformFloats(seed: 7)
        let pool = (0..<40).map { _ in 6 * generator.next() }
        for function in ElementwiseFunction.allCases {
            // Each value sits at 48 positions of the long array, so at every lane of every vector.
            let long = (0..<48).flatMap { shift in (0..<40).map { pool[($0 + shift) % 40] } }
            let longResult = Self.apply(function, long, kernel: kernel)
            for length in 0...40 {
                let result = Self.apply(function, Array(pool.prefix(length)), kernel: kernel)
                #expect(result.count == length)
                for (i, y) in result.enumerated() {
                    let inLong = (0..<48).map { longResult[$0 * 40 + (i - $0 % 40 + 40) % 40] }
                    #expect(inLong.allSatisfy { $0.bitPattern == y.bitPattern },
                            "\(function) length \(length) at \(i) on \(kernel.resolvedName)")
                }
            }
        }
    }

    /// A large array split between threads (automatically, and forced into uneven chunks)
    /// gives the single-threaded result bit for bit.
    @Test(arguments: kernels)
    func threadedSplitIsBitIdentical(_ kernel: GemmKernel) {
        var generator = UniformFloats(seed: 11)
        let count = 100_003
        #expect(count >= ElementwiseParallelism.threshold)
        let xs = (0..<count).map { _ in 12 * generator.next() }
        for function in ElementwiseFunction.allCases {
            let single = Self.apply(function, xs, kernel: kernel, threads: 1)
            for threads in [0, 2, 3, 7] {
                let split = Self.apply(function, xs, kernel: kernel, threads: threads)
                #expect(split.map(\.bitPattern) == single.map(\.bitPattern), "\(function), \(threads) threads")
            }
        }
    }

    /// y may be x itself.
    @Test(arguments: kernels)
    func inPlaceEqualsOutOfPlace(_ kernel: GemmKernel) {
        var generator = UniformFloats(seed: 5)
        let xs = (0..<1000).map { _ in 8 * generator.next() }
        for function in ElementwiseFunction.allCases {
            var inPlace = xs
            inPlace.withUnsafeMutableBufferPointer { buffer in
                applyElementwise(function, buffer.baseAddress!, buffer.baseAddress!, count: buffer.count, kernel: kernel)
            }
            #expect(inPlace == Self.apply(function, xs, kernel: kernel), "\(function)")
        }
    }

    static func apply(_ function: ElementwiseFunction, _ xs: [Float], kernel: GemmKernel, threads: Int = 0) -> [Float] {
        var ys = [Float](repeating: .nan, count: xs.count)
        xs.withUnsafeBufferPointer { x in
            ys.withUnsafeMutableBufferPointer { y in
                guard let xBase = x.baseAddress, let yBase = y.baseAddress else { return }
                applyElementwise(function, xBase, yBase, count: x.count, kernel: kernel, threads: threads)
            }
        }
        return ys
    }
}

/// Prints which tiers the element-wise tests leave out on this CPU; returns no tiers.
func skippedTiersNote() -> [GemmKernel] {
    for tier in [GemmKernel.avx2, .avx512] where !tier.isSupported {
        print("note: element-wise tests skip \(tier): this CPU lacks it")
    }
    return []
}

/// The exact function (in double precision at the float input) and the error each kernel may
/// have. Limits at ±inf are taken where the formula would give NaN (GELU, SiLU at -inf are 0).
extension ElementwiseFunction {
    func exact(_ x: Double) -> Double {
        switch self {
        case .exp: return Foundation.exp(x)
        case .erf: return Foundation.erf(x)
        case .gelu: return x == -.infinity ? 0 : 0.5 * x * (1 + Foundation.erf(x / 2.0.squareRoot()))
        case .geluTanh:
            if x == -.infinity { return 0 }
            let u = (2 / Double.pi).squareRoot() * (x + 0.044715 * x * x * x)
            // 1 + tanh(u) cancels for u well below 0 (all is lost past u = -19 even in double):
            // there use the equal 2·e^(2u) / (1 + e^(2u)).
            if u >= -1 { return 0.5 * x * (1 + tanh(u)) }
            return x * Foundation.exp(2 * u) / (1 + Foundation.exp(2 * u))
        case .silu: return x == -.infinity ? 0 : x / (1 + Foundation.exp(-x))
        }
    }

    /// exp: 2 ulps of the exact value (where that is subnormal, 2 units of the smallest
    /// subnormal). erf: 1.2e-7 (2 ulps at 1). The GELUs: 2e-7 · max(1, |y|). SiLU: 4 ulps, plus
    /// 128 units of the smallest subnormal where e^x is subnormal (x below -87.3: x·e^x).
    func tolerance(_ exact: Double) -> Double {
        switch self {
        case .exp: return 2 * ulp(exact)
        case .erf: return 1.2e-7
        case .gelu, .geluTanh: return 2e-7 * max(1, abs(exact))
        case .silu: return 4 * ulp(exact) + 128 * Double(Float.leastNonzeroMagnitude)
        }
    }
}

/// The spacing of floats at `value` (rounded to float), at least the smallest subnormal.
func ulp(_ value: Double) -> Double {
    Double(max(Float(value).magnitude.ulp, .leastNonzeroMagnitude))
}

/// Softmax rows against a double-precision softmax of the same floats.
@Suite struct SoftmaxKernelTests {
    /// Row lengths around the 8-lane vectors and the tails.
    static let lengths = [1, 7, 8, 9, 63, 64, 65]

    enum Fill: CaseIterable, Sendable {
        /// Uniform in [-10, 10).
        case ordinary
        /// Uniform with every third cell -inf (a causal-mask-like pattern).
        case masked
        /// Magnitudes up to 1e30, most of each row underflowing to 0.
        case huge
        /// Values near 1e-30: every probability about 1/n.
        case tiny
        /// All equal to the largest finite float.
        case largestFinite
    }

    static func rows(_ fill: Fill, length: Int, count: Int) -> [Float] {
        var generator = UniformFloats(seed: UInt64(length * 31 + count))
        return (0..<(length * count)).map { i in
            let u = generator.next()
            switch fill {
            case .ordinary: return 10 * u
            case .masked: return i % 3 == 1 ? -.infinity : 10 * u
            case .huge: return 1e30 * u
            case .tiny: return 1e-30 * u
            case .largestFinite: return .greatestFiniteMagnitude
            }
        }
    }

    /// Each probability within (8 + |x - max| + the row's probability-weighted |x - max|)
    /// float epsilons/2, relative, plus 2^-140: the rounding of x - max in float moves e^(x - max)
    /// by up to half an ulp of x - max, relative, and the sum carries the weighted mean of those.
    @Test(arguments: ElementwiseKernelTests.kernels, Fill.allCases)
    func matchesTheDoubleSoftmax(_ kernel: GemmKernel, _ fill: Fill) {
        for length in Self.lengths {
            let count = 5
            let xs = Self.rows(fill, length: length, count: count)
            let ys = Self.softmax(xs, length: length, kernel: kernel, threads: 1)
            for row in 0..<count {
                let x = xs[(row * length)..<((row + 1) * length)].map(Double.init)
                let y = ys[(row * length)..<((row + 1) * length)]
                let peak = x.max()!
                if peak == -.infinity { #expect(y.allSatisfy { $0 == 0 }, "an all -inf row"); continue }
                let e = x.map { Foundation.exp($0 - peak) }
                let total = e.reduce(0, +)
                let p = e.map { $0 / total }
                let spread = zip(p, x).map { $0 == 0 ? 0 : $0 * abs($1 - peak) }.reduce(0, +)
                for (j, (yj, pj)) in zip(y, p).enumerated() {
                    if x[j] == -.infinity { #expect(yj == 0, "a -inf cell gives exactly 0"); continue }
                    let tolerance = pj * 0x1p-24 * (8 + abs(x[j] - peak) + spread) + 0x1p-140
                    #expect(abs(Double(yj) - pj) <= tolerance,
                            "\(fill) n=\(length) row \(row) [\(j)]: \(yj) vs \(pj) on \(kernel.resolvedName)")
                }
                #expect(abs(y.reduce(0, +) - 1) <= 1e-6 * Float(length))
            }
        }
    }

    @Test(arguments: ElementwiseKernelTests.kernels)
    func specialRows(_ kernel: GemmKernel) {
        for length in Self.lengths {
            let allMasked = [Float](repeating: -.infinity, count: length)
            #expect(Self.softmax(allMasked, length: length, kernel: kernel) == [Float](repeating: 0, count: length))
            // One live cell among -inf: probability exactly 1 there.
            var one = allMasked
            one[length / 2] = -3
            var expected = [Float](repeating: 0, count: length)
            expected[length / 2] = 1
            #expect(Self.softmax(one, length: length, kernel: kernel) == expected)
            // +inf or NaN anywhere makes the whole row NaN, even among -inf cells.
            for poison in [Float.infinity, .nan] {
                var row = allMasked
                row[length - 1] = poison
                let result = Self.softmax(row, length: length, kernel: kernel)
                #expect(result.allSatisfy { $0.isNaN }, "\(poison), n=\(length)")
            }
        }
    }

    /// The attention shape of the benchmark (12 heads × 64 queries × 64 keys) and an odd one,
    /// split between threads automatically and into more parts than rows per thread, give the
    /// single-threaded result bit for bit; rows are also equal to softmaxes of single rows.
    @Test(arguments: ElementwiseKernelTests.kernels)
    func threadedSplitIsBitIdentical(_ kernel: GemmKernel) {
        for (rows, length) in [(12 * 64, 64), (1001, 65)] {
            #expect(rows * length >= ElementwiseParallelism.threshold)
            let xs = Self.rows(.masked, length: length, count: rows)
            let single = Self.softmax(xs, length: length, kernel: kernel, threads: 1)
            for threads in [0, 2, 5] {
                let split = Self.softmax(xs, length: length, kernel: kernel, threads: threads)
                #expect(split.map(\.bitPattern) == single.map(\.bitPattern), "\(rows)×\(length), \(threads) threads")
            }
            let lastRow = Array(xs[((rows - 1) * length)...])
            #expect(Self.softmax(lastRow, length: length, kernel: kernel) == Array(single[((rows - 1) * length)...]))
        }
    }

    /// y may be x itself.
    @Test(arguments: ElementwiseKernelTests.kernels)
    func inPlaceEqualsOutOfPlace(_ kernel: GemmKernel) {
        let xs = Self.rows(.masked, length: 65, count: 7)
        var inPlace = xs
        inPlace.withUnsafeMutableBufferPointer { buffer in
            softmaxRows(buffer.baseAddress!, buffer.baseAddress!, rows: 7, length: 65, kernel: kernel)
        }
        #expect(inPlace == Self.softmax(xs, length: 65, kernel: kernel))
    }

    /// The Tensor operation runs the kernel (and keeps the shape).
    @Test func tensorSoftmaxUsesTheKernel() {
        let xs = Self.rows(.masked, length: 9, count: 6)
        let tensor = Tensor(shape: [2, 3, 9], scalars: xs).softmaxLastAxis()
        #expect(tensor.shape == [2, 3, 9])
        #expect(tensor.scalars == Self.softmax(xs, length: 9, kernel: .automatic))
        #expect(Tensor(shape: [2, 0], scalars: []).softmaxLastAxis().shape == [2, 0])
    }

    static func softmax(_ xs: [Float], length: Int, kernel: GemmKernel, threads: Int = 0) -> [Float] {
        var ys = [Float](repeating: .nan, count: xs.count)
        xs.withUnsafeBufferPointer { x in
            ys.withUnsafeMutableBufferPointer { y in
                softmaxRows(x.baseAddress!, y.baseAddress!, rows: xs.count / length, length: length,
                            kernel: kernel, threads: threads)
            }
        }
        return ys
    }
}
