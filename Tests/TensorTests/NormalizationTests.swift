import Foundation
import Testing
@testable import Tensor

/// LayerNorm and RMSNorm against float64 references computed here, on both instruction-set paths,
/// for widths that are and are not whole vectors, rows far from zero (the variance must be taken
/// around the mean), with and without a bias, one thread and split between threads.
@Suite struct NormalizationTests {
    static let kernels: [GemmKernel] = ElementwiseKernelTests.kernels
    static let widths = [1, 5, 8, 13, 64, 384, 1000]

    /// `rows × d` values from a fixed generator: centred on `offset` with spread `spread`.
    static func values(rows: Int, d: Int, offset: Float, spread: Float, seed: UInt64 = 7) -> Tensor {
        var state = seed
        let scalars = (0..<rows * d).map { _ -> Float in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return offset + spread * (Float(state >> 40) / Float(1 << 24) - 0.5)
        }
        return Tensor(shape: [rows, d], scalars: scalars)
    }

    static func parameters(_ d: Int) -> (weight: Tensor, bias: Tensor) {
        (Tensor(shape: [d], scalars: (0..<d).map { 0.5 + Float($0 % 7) * 0.25 }),
         Tensor(shape: [d], scalars: (0..<d).map { Float($0 % 5) * 0.1 - 0.2 }))
    }

    /// The float64 LayerNorm (or RMSNorm) of every row.
    static func reference(_ x: Tensor, weight: Tensor, bias: Tensor?, eps: Double, rms: Bool) -> [Double] {
        let d = x.shape.last!
        let xs = x.scalars.map(Double.init), w = weight.scalars.map(Double.init)
        let b = bias?.scalars.map(Double.init)
        var out: [Double] = []
        for start in stride(from: 0, to: xs.count, by: d) {
            let row = xs[start..<start + d]
            let mean = rms ? 0 : row.reduce(0, +) / Double(d)
            let variance = row.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(d)
            let inverse = 1 / (variance + eps).squareRoot()
            for (j, value) in row.enumerated() { out.append((value - mean) * inverse * w[j] + (b?[j] ?? 0)) }
        }
        return out
    }

    /// What float32 allows: the inputs' rounding error relative to their spread grows with
    /// |mean| / σ (a row far from zero and narrow loses digits when the mean is subtracted, in
    /// any float32 implementation), so the bound is a few float32 ulps times that ratio.
    /// (σ of a uniform spread s is s/√12.)
    static func tolerance(offset: Float, spread: Float) -> Double {
        4e-7 * (1 + Double(abs(offset)) / (Double(spread) / 12.0.squareRoot())) * 4
    }

    /// The largest |y − exact| / (1 + |exact|).
    static func worst(_ y: Tensor, _ exact: [Double]) -> Double {
        zip(y.scalars, exact).map { abs(Double($0) - $1) / (1 + abs($1)) }.max() ?? 0
    }

    @Test(arguments: kernels, widths)
    func layerNormMatchesTheDoubleReference(_ kernel: GemmKernel, _ d: Int) {
        let (weight, bias) = Self.parameters(d)
        for (offset, spread) in [(Float(0), Float(2)), (100, 1), (-3, 1e-3)] {
            let x = Self.values(rows: 9, d: d, offset: offset, spread: spread)
            for useBias in [true, false] {
                let y = x.layerNorm(weight: weight, bias: useBias ? bias : nil, eps: 1e-5, kernel: kernel, threads: 1)
                let exact = Self.reference(x, weight: weight, bias: useBias ? bias : nil, eps: 1e-5, rms: false)
                #expect(Self.worst(y, exact) < Self.tolerance(offset: offset, spread: spread),
                        "d \(d), offset \(offset), spread \(spread), bias \(useBias)")
            }
        }
    }

    @Test(arguments: kernels, widths)
    func rmsNormMatchesTheDoubleReference(_ kernel: GemmKernel, _ d: Int) {
        let (weight, _) = Self.parameters(d)
        for (offset, spread) in [(Float(0), Float(2)), (100, 1), (0, 1e-3)] {
            let x = Self.values(rows: 9, d: d, offset: offset, spread: spread)
            let y = x.rmsNorm(weight: weight, eps: 1e-6, kernel: kernel, threads: 1)
            let exact = Self.reference(x, weight: weight, bias: nil, eps: 1e-6, rms: true)
            #expect(Self.worst(y, exact) < 4e-6, "d \(d), offset \(offset), spread \(spread)")
        }
    }

    @Test func aHandWorkedRow() {
        // x = [1, 2, 3, 6]: mean 3, variance (4 + 1 + 0 + 9) / 4 = 3.5.
        let x = Tensor(shape: [1, 4], scalars: [1, 2, 3, 6])
        let y = x.layerNorm(weight: Tensor(shape: [4], repeating: 1), bias: Tensor(shape: [4], repeating: 0.5), eps: 0)
        let s = Float(3.5).squareRoot()
        for (got, want) in zip(y.scalars, [-2 / s + 0.5, -1 / s + 0.5, 0.5, 3 / s + 0.5]) {
            #expect(abs(got - want) < 1e-6)
        }
        // RMS: mean(x²) = (1 + 4 + 9 + 36) / 4 = 12.5.
        let r = x.rmsNorm(weight: Tensor(shape: [4], repeating: 2), eps: 0)
        let rms = Float(12.5).squareRoot()
        for (got, want) in zip(r.scalars, [1, 2, 3, 6].map { 2 * $0 / rms }) { #expect(abs(got - want) < 1e-6) }
    }

    @Test(arguments: kernels)
    func threadedSplitIsBitIdentical(_ kernel: GemmKernel) {
        let (weight, bias) = Self.parameters(384)
        let x = Self.values(rows: 67, d: 384, offset: 1, spread: 3)
        let one = x.layerNorm(weight: weight, bias: bias, eps: 1e-12, kernel: kernel, threads: 1)
        for threads in [2, 3, 67] {
            #expect(x.layerNorm(weight: weight, bias: bias, eps: 1e-12, kernel: kernel, threads: threads) == one)
            #expect(x.rmsNorm(weight: weight, eps: 1e-6, kernel: kernel, threads: threads)
                == x.rmsNorm(weight: weight, eps: 1e-6, kernel: kernel, threads: 1))
        }
    }
}
