/// Widening the 16-bit float formats found in weight files to `Float` (IEEE binary32), bit by bit.
/// Every 16-bit value, including subnormals, infinities and NaNs, has an exact `Float` equivalent.
public enum HalfPrecision {
    /// IEEE binary16 ("F16"): 1 sign bit, 5 exponent bits (bias 15), 10 fraction bits.
    ///
    /// `0x3C00` = 1, `0xC000` = −2, `0x7C00` = +∞, `0x0001` = 2⁻²⁴ (the smallest subnormal).
    public static func float(fromFloat16 bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        var fraction = UInt32(bits) & 0x3FF
        switch exponent {
        case 0 where fraction == 0:
            return Float(bitPattern: sign)                                  // ±0
        case 0:
            // Subnormal: fraction · 2⁻²⁴. Shift the leading 1 up to the implicit-bit position
            // (bit 10), lowering the exponent once per shift, then drop it.
            var unbiased: Int32 = -14
            while fraction & 0x400 == 0 {
                fraction <<= 1
                unbiased -= 1
            }
            fraction &= 0x3FF
            return Float(bitPattern: sign | UInt32(unbiased + 127) << 23 | fraction << 13)
        case 0x1F:
            // ±∞ when the fraction is 0, otherwise NaN with the payload (and quiet bit) kept.
            return Float(bitPattern: sign | 0x7F80_0000 | fraction << 13)
        default:
            // Rebias the exponent from 15 to 127 (added, so the unsigned arithmetic cannot underflow).
            return Float(bitPattern: sign | (exponent + (127 - 15)) << 23 | fraction << 13)
        }
    }

    /// bfloat16 ("BF16"): the top 16 bits of a binary32, so widening is a shift.
    ///
    /// `0x3F80` = 1, `0xC000` = −2, `0x7F80` = +∞.
    public static func float(fromBFloat16 bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }
}
