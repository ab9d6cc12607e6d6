/// One block of GGUF's Q4_1: 32 weights in 20 bytes, as llama.cpp's `quantize_row_q4_1_ref` and the
/// `gguf` package's `Q4_1.quantize_blocks` make it.
///
/// With min and max the block's smallest and largest value:
///
///     d = (max − min) / 15        the step between two codes (float32)
///     m = min                     the code 0's value
///     q = trunc((x − m) · (1/d) + 0.5), at most 15     (1/d taken as 0 when d is 0)
///
/// d and m are stored as IEEE half floats, so the widened value of code q is `d₁₆ · q + m₁₆` with the
/// rounded d₁₆ and m₁₆ (ggml's `dequantize_row_q4_1`). The codes are found with the float32 d and
/// min, before rounding, as the reference does. Bytes: d (2, little-endian), m (2), then 16 bytes whose
/// low nibbles are the codes of values 0–15 and whose high nibbles those of values 16–31.
public struct Q4_1Block: Sendable, Equatable {
    /// The block's layout as GGUF numbers it (`ggml_type` 3, 32 values in 20 bytes).
    public static let format = BlockFormat(code: 3, name: "Q4_1", values: 32, bytes: 20)

    /// d as stored: a half float's bits.
    public let scaleBits: UInt16
    /// m as stored: a half float's bits.
    public let minimumBits: UInt16
    /// The 32 codes, 0…15, in the values' order.
    public let codes: [UInt8]

    /// Quantizes 32 values; nil unless there are exactly 32, all finite, with a step d whose inverse
    /// is finite (the reference has no meaning for infinities, NaNs, or a spread below 10⁻³⁷).
    public init?(quantizing values: [Float]) {
        guard values.count == Self.format.values, values.allSatisfy(\.isFinite),
              let low = values.min(), let high = values.max() else { return nil }
        let d = (high - low) / 15
        guard d.isFinite else { return nil }
        let inverse: Float = d == 0 ? 0 : 1 / d
        guard inverse.isFinite else { return nil }
        codes = values.map { x in
            let scaled = (x - low) * inverse + 0.5
            return min(15, UInt8(scaled.rounded(.towardZero)))
        }
        scaleBits = Float16(d).bitPattern
        minimumBits = Float16(low).bitPattern
    }

    /// d widened from its stored half float.
    public var scale: Float { Float(Float16(bitPattern: scaleBits)) }
    /// m widened from its stored half float.
    public var minimum: Float { Float(Float16(bitPattern: minimumBits)) }

    /// The 20 bytes as a GGUF file holds them.
    public var bytes: [UInt8] {
        var out = [UInt8(scaleBits & 0xFF), UInt8(scaleBits >> 8), UInt8(minimumBits & 0xFF), UInt8(minimumBits >> 8)]
        for j in 0..<16 { out.append(codes[j] | codes[j + 16] << 4) }
        return out
    }

    /// The 32 values the block stands for, `d₁₆ · q + m₁₆`, widened by the same kernel the quantized
    /// matrix product uses.
    public var widened: [Float] {
        var out = [Float](repeating: 0, count: Self.format.values)
        let data = bytes
        data.withUnsafeBytes { source in
            out.withUnsafeMutableBufferPointer { destination in
                _ = Self.format.widen(source.baseAddress!, blocks: 1, into: destination.baseAddress!)
            }
        }
        return out
    }
}
