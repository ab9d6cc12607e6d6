/// The stored fields of one block of a GGUF quantized type, unpacked for a learner to read: the scale
/// d, the minimum m where the type has one, and the codes. The layouts are ggml's (see
/// `quantized_impl.h`); the widened values come from `BlockFormat.widen`, not from here.
public enum BlockCodes {
    /// The fields of the block in `bytes` (one block, `format.bytes` long):
    /// - Q8_0: d; codes −128…127 (x = d·q)
    /// - Q4_0: d; codes 0…15 (x = d·(q − 8))
    /// - Q4_1: d, m; codes 0…15 (x = d·q + m)
    /// - Q5_0: d; codes 0…31 (x = d·(q − 16)); Q5_1: d, m; codes 0…31 (x = d·q + m)
    /// - Q4_K, Q5_K: the super-block's d and dmin; codes 0…15 and 0…31 (x = d·scale·q − dmin·min, each
    ///   32 values with their own 6-bit scale and min: `groups`)
    /// - Q6_K: d; codes 0…63 (x = d·scale·(q − 32), each 16 values with their own 8-bit signed scale)
    /// - F16 and other one-value types: nothing but d = 0.
    public static func read(_ bytes: [UInt8], format: BlockFormat) -> (scale: Float, minimum: Float?, codes: [Int]?) {
        precondition(bytes.count == format.bytes, "\(bytes.count) bytes are not one \(format.name) block")
        func half(_ at: Int) -> Float { Float(Float16(bitPattern: UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8)) }
        func nibbles(from start: Int) -> [Int] {
            (0..<16).map { Int(bytes[start + $0] & 0x0F) } + (0..<16).map { Int(bytes[start + $0] >> 4) }
        }
        func fifthBits(at offset: Int, codes: [Int]) -> [Int] {
            let qh = (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
            return codes.enumerated().map { $0.element | Int((qh >> UInt32($0.offset)) & 1) << 4 }
        }
        switch format.code {
        case 8: return (half(0), nil, (0..<32).map { Int(Int8(bitPattern: bytes[2 + $0])) })
        case 2: return (half(0), nil, nibbles(from: 2))
        case 3: return (half(0), half(2), nibbles(from: 4))
        case 6: return (half(0), nil, fifthBits(at: 2, codes: nibbles(from: 6)))
        case 7: return (half(0), half(2), fifthBits(at: 4, codes: nibbles(from: 8)))
        case 12, 13: return (half(0), half(2), kCodes(bytes, format: format))
        case 14: return (half(208), nil, kCodes(bytes, format: format))
        default: return (0, nil, nil)
        }
    }

    /// A k-quant's groups, in value order: each `count` values with their own scale (and min, Q4_K
    /// and Q5_K) that d (and dmin) multiply. Nil for the other types, whose block has one scale.
    public static func groups(_ bytes: [UInt8], format: BlockFormat) -> [BlockGroup]? {
        switch format.code {
        case 12, 13:
            // 12 bytes from byte 4: groups 0–3 in the low 6 bits of bytes 0–3 (scales) and 4–7 (mins);
            // groups 4–7 in the nibbles of bytes 8–11, their top 2 bits in the top of bytes 0–7.
            let packed = Array(bytes[4..<16])
            return (0..<8).map { j in
                if j < 4 { return BlockGroup(count: 32, scale: Int(packed[j] & 63), minimum: Int(packed[j + 4] & 63)) }
                let scale = Int(packed[j + 4] & 0x0F) | Int(packed[j - 4] >> 6) << 4
                let minimum = Int(packed[j + 4] >> 4) | Int(packed[j] >> 6) << 4
                return BlockGroup(count: 32, scale: scale, minimum: minimum)
            }
        case 14:
            // 16 signed bytes from byte 192: group g covers values 16g…16g+15.
            return (0..<16).map { BlockGroup(count: 16, scale: Int(Int8(bitPattern: bytes[192 + $0])), minimum: nil) }
        default:
            return nil
        }
    }

    /// The 256 codes of a k-quant block, in value order. ggml lays the values out in stretches of 64
    /// (Q4_K, Q5_K) or 128 (Q6_K) whose low bits share bytes.
    static func kCodes(_ bytes: [UInt8], format: BlockFormat) -> [Int] {
        var codes = [Int](repeating: 0, count: 256)
        switch format.code {
        case 12:
            // qs from byte 16: each 64 values read 32 bytes, low nibbles first, then high nibbles.
            for chunk in 0..<4 {
                for l in 0..<32 {
                    let byte = bytes[16 + chunk * 32 + l]
                    codes[chunk * 64 + l] = Int(byte & 0x0F)
                    codes[chunk * 64 + 32 + l] = Int(byte >> 4)
                }
            }
        case 13:
            // qh (32 bytes from 16) holds the fifth bits: bit 2·chunk for a stretch's low half,
            // 2·chunk + 1 for its high half; qs from byte 48 as Q4_K's.
            for chunk in 0..<4 {
                for l in 0..<32 {
                    let byte = bytes[48 + chunk * 32 + l], high = bytes[16 + l]
                    codes[chunk * 64 + l] = Int(byte & 0x0F) | Int((high >> UInt8(2 * chunk)) & 1) << 4
                    codes[chunk * 64 + 32 + l] = Int(byte >> 4) | Int((high >> UInt8(2 * chunk + 1)) & 1) << 4
                }
            }
        case 14:
            // Each 128 values: 64 bytes of low nibbles (ql from byte 0) and 32 bytes of 2-bit pairs
            // (qh from byte 128), four stretches of 32 values.
            for half in 0..<2 {
                let (ql, qh) = (half * 64, 128 + half * 32)
                for l in 0..<32 {
                    let high = bytes[qh + l], base = half * 128 + l
                    codes[base] = Int(bytes[ql + l] & 0x0F) | Int(high & 3) << 4
                    codes[base + 32] = Int(bytes[ql + 32 + l] & 0x0F) | Int((high >> 2) & 3) << 4
                    codes[base + 64] = Int(bytes[ql + l] >> 4) | Int((high >> 4) & 3) << 4
                    codes[base + 96] = Int(bytes[ql + 32 + l] >> 4) | Int((high >> 6) & 3) << 4
                }
            }
        default:
            break
        }
        return codes
    }
}

/// One group of a k-quant block: `count` values whose step is d·scale (and whose floor is
/// −dmin·minimum, Q4_K and Q5_K).
public struct BlockGroup: Sendable, Equatable {
    public var count: Int
    public var scale: Int
    public var minimum: Int?
}
