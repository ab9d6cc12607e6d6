import Testing
@testable import Tensor

/// The block formats the kernels read, as GGUF numbers them: (code, name, values, bytes, byte
/// offsets of the half-float scales in a block).
private let formats: [(BlockFormat, [Int])] = [
    (BlockFormat(code: 8, name: "Q8_0", values: 32, bytes: 34), [0]),
    (BlockFormat(code: 2, name: "Q4_0", values: 32, bytes: 18), [0]),
    (BlockFormat(code: 3, name: "Q4_1", values: 32, bytes: 20), [0, 2]),
    (BlockFormat(code: 6, name: "Q5_0", values: 32, bytes: 22), [0]),
    (BlockFormat(code: 7, name: "Q5_1", values: 32, bytes: 24), [0, 2]),
    (BlockFormat(code: 12, name: "Q4_K", values: 256, bytes: 144), [0, 2]),
    (BlockFormat(code: 13, name: "Q5_K", values: 256, bytes: 176), [0, 2]),
    (BlockFormat(code: 14, name: "Q6_K", values: 256, bytes: 210), [208]),
    (BlockFormat(code: 1, name: "F16", values: 1, bytes: 2), []),
]

/// Random blocks of `format` for a `[rows, columns]` matrix: random code bytes, and scales that are
/// small finite half floats (so that products stay in a sensible range).
private func randomMatrix(_ format: BlockFormat, halves: [Int], rows: Int, columns: Int,
                          generator: inout SplitMix) -> QuantizedMatrix {
    let blocks = rows * columns / format.values
    var bytes = (0..<blocks * format.bytes).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
    for block in 0..<blocks {
        for offset in format.values == 1 ? [0] : halves {
            // 0x2000…0x23FF: 2⁻⁷ up to just under 2⁻⁶, either sign.
            let half = UInt16(0x2000 + generator.next() % 0x400) | (generator.next() % 2 == 0 ? 0 : 0x8000)
            bytes[block * format.bytes + offset] = UInt8(half & 0xFF)
            bytes[block * format.bytes + offset + 1] = UInt8(half >> 8)
        }
    }
    return QuantizedMatrix(rows: rows, columns: columns, format: format, copying: bytes)
}

/// A small deterministic generator for test data.
private struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Float { Float(next() >> 40) / Float(1 << 24) * 2 - 1 }
}

@Suite struct QuantizedMatrixProduct {
    /// `product(x)` equals widening the whole matrix and multiplying by its transpose in floats, on
    /// every tier, for shapes that cross the panel boundary (32 rows), for one token and the few-rows
    /// path's groups of 4 up to its limit of 12 tokens (and past it). The same
    /// widened numbers are summed in another order, so the bound is rounding's: |a − b| ≤ 2e-6 ×
    /// Σₖ |x_k · w_k| (about 32 float32 ulps of the sum of magnitudes).
    @Test(arguments: formats.map(\.0.name))
    func productEqualsWidenThenMultiply(name: String) throws {
        let (format, halves) = formats.first { $0.0.name == name }!
        var generator = SplitMix(state: UInt64(format.code) * 7919)
        // Rows shorter and longer than the 1024 values the few-rows product widens at a time (the
        // F16 one not a multiple of 8 floats either).
        let widths = format.values == 256 ? [512, 1536] : format.values == 1 ? [96, 1100] : [96, 1312]
        for columns in widths {
        let matrix = randomMatrix(format, halves: halves, rows: 70, columns: columns, generator: &generator)
        for tokens in [1, 3, 4, 5, 9, 12, 13, 64] {
            let x = Tensor(shape: [tokens, columns], scalars: (0..<tokens * columns).map { _ in generator.uniform() })
            let widened = matrix.widened(kernel: .portable)
            let reference = matmul(x, transposing: widened)
            let magnitude = matmul(x.map(abs), transposing: widened.map(abs))
            for kernel in GemmKernel.supportedTiers {
                let y = matrix.product(x, kernel: kernel)
                #expect(y.shape == [tokens, 70])
                let worst = zip(zip(y.scalars, reference.scalars), magnitude.scalars)
                    .map { abs($0.0 - $0.1) / $1 }.max()!
                #expect(worst <= 2e-6, "\(name) on \(kernel), \(tokens) tokens: worst error \(worst) × Σ|x·w|")
            }
            #expect(!reference.scalars.allSatisfy { $0 == 0 })
        }
        }
    }

    /// Every half float widens to the float it denotes (subnormals, zeros of both signs and
    /// infinities bit for bit; NaNs stay NaN with their payload), on every tier.
    @Test func everyHalfWidensExactly() {
        let f16 = formats.first { $0.0.name == "F16" }!.0
        let bytes = (0..<65536).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let matrix = QuantizedMatrix(rows: 1, columns: 65536, format: f16, copying: bytes)
        for kernel in GemmKernel.supportedTiers {
            let widened = matrix.widened(kernel: kernel).scalars
            var wrong: [Int] = []
            for bits in 0..<65536 {
                let expected = Float(Float16(bitPattern: UInt16(bits)))
                let got = widened[bits]
                let same = expected.isNaN
                    ? got.isNaN && got.bitPattern & 0x3F_FFFF == UInt32(bits & 0x1FF) << 13
                    : got.bitPattern == expected.bitPattern
                if !same { wrong.append(bits) }
            }
            #expect(wrong.isEmpty, "\(kernel): \(wrong.count) halves widened wrongly, first \(wrong.prefix(4).map { String($0, radix: 16) })")
        }
    }

    /// Widening is the same on every tier, bit for bit (no fused multiply-adds anywhere).
    @Test func everyTierWidensIdentically() {
        var generator = SplitMix(state: 42)
        for (format, halves) in formats {
            let matrix = randomMatrix(format, halves: halves, rows: 3, columns: 256, generator: &generator)
            let portable = matrix.widened(kernel: .portable).scalars.map(\.bitPattern)
            for kernel in GemmKernel.supportedTiers {
                #expect(matrix.widened(kernel: kernel).scalars.map(\.bitPattern) == portable, "\(format.name) on \(kernel)")
            }
            #expect(matrix.rows([2]).scalars.map(\.bitPattern) == Array(portable[512...]))
        }
    }

    /// A hand-worked Q8_0 block: d = 0.5 (0x3800), codes −2, 0, 3, …; the product with x = 1s is
    /// the sum of d·q.
    @Test func handWorkedQ8Block() {
        var bytes: [UInt8] = [0x00, 0x38]
        let codes: [Int8] = [-2, 0, 3] + [Int8](repeating: 1, count: 29)
        bytes += codes.map { UInt8(bitPattern: $0) }
        let matrix = QuantizedMatrix(rows: 1, columns: 32, format: formats[0].0, copying: bytes)
        #expect(matrix.widened().scalars.prefix(3) == [-1, 0, 1.5])
        let y = matrix.product(Tensor(shape: [1, 32], repeating: 1))
        #expect(y.scalars == [0.5 * Float(-2 + 0 + 3 + 29)])
    }
}
