import Testing
@testable import Tensor

@Suite struct TensorBasics {
    @Test func indexingIsRowMajor() {
        let t = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(t[1, 0] == 4)
        #expect(t[0, 2] == 3)
        #expect(t.slice(1).scalars == [4, 5, 6])
    }

    @Test func copiesDoNotShareWrites() {
        let a = Tensor(shape: [2], scalars: [1, 2])
        var b = a
        b[0] = 9
        #expect(a[0] == 1)
        #expect(b[0] == 9)
    }

    @Test func matmulByHand() {
        // [1 2; 3 4] · [5 6; 7 8] = [1·5+2·7, 1·6+2·8; 3·5+4·7, 3·6+4·8] = [19 22; 43 50]
        let a = Tensor(rows: [[1, 2], [3, 4]])
        let b = Tensor(rows: [[5, 6], [7, 8]])
        #expect(matmul(a, b).scalars == [19, 22, 43, 50])
        let byRows: [Float] = [1 * 5 + 2 * 6, 1 * 7 + 2 * 8, 3 * 5 + 4 * 6, 3 * 7 + 4 * 8]
        #expect(matmul(a, transposing: b).scalars == byRows)
    }
}

@Suite struct AffineMap {
    @Test func biasIsAddedToEveryRow() {
        // [1 2; 3 4] · [5 6; 7 8] + [0.5, -1] = [19.5 21; 43.5 49]
        let a = Tensor(rows: [[1, 2], [3, 4]]), b = Tensor(rows: [[5, 6], [7, 8]])
        let bias = Tensor(shape: [2], scalars: [0.5, -1])
        #expect(matmul(a, b, addingRow: bias).scalars == [19.5, 21, 43.5, 49])
        #expect(matmul(a, b, addingRow: nil) == matmul(a, b))
    }
}

@Suite struct Activations {
    /// The tensor kernels agree with the scalar definitions, for every kind, within the error
    /// of the two (both about 1e-7; ElementwiseKernelTests checks the kernels against float64).
    @Test(arguments: Activation.allCases)
    func tensorLoopMatchesTheScalarFunction(_ activation: Activation) {
        let xs: [Float] = [-6, -2.5, -1, -0.3, 0, 0.3, 1, 2.5, 6]
        let out = Tensor(shape: [xs.count], scalars: xs).applying(activation).scalars
        for (x, y) in zip(xs, out) {
            #expect(abs(y - activation(x)) <= 3e-7 * max(1, abs(y)), "\(activation)(\(x))")
        }
        // Hand-worked: GELU(1) = 0.5·(1 + erf(1/√2)) = 0.841345; ReLU(−1) = 0; SiLU(0) = 0.
        if activation == .gelu { #expect(abs(out[6] - 0.841345) < 1e-6) }
        if activation == .relu { #expect(out[2] == 0) }
    }
}

@Suite struct Arithmetic {
    @Test func operatorsWorkElementByElement() {
        // 19 elements: a vector body and a tail.
        let a = Tensor(shape: [19], scalars: (0..<19).map { Float($0) - 9 })
        let b = Tensor(shape: [19], scalars: (0..<19).map { 0.5 * Float($0 * $0) + 1 })
        #expect((a + b).scalars == zip(a.scalars, b.scalars).map { $0 + $1 })
        #expect((a - b).scalars == zip(a.scalars, b.scalars).map { $0 - $1 })
        #expect((a * b).scalars == zip(a.scalars, b.scalars).map { $0 * $1 })
        #expect((a * 0.25).scalars == a.scalars.map { $0 * 0.25 })
        #expect((a + b).shape == [19])
    }

    @Test func operandsAreLeftAlone() {
        let a = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        let row = a.slice(1)
        _ = row + row
        #expect(a.scalars == [1, 2, 3, 4] && (row + row).scalars == [6, 8])
    }
}
