/// The stored fields of one block of a GGUF quantized type, unpacked for a learner to read: the scale
/// d, the minimum m where the type has one, and the codes. The layouts are ggml's (see
/// `quantized_impl.h`); the widened values come from `BlockFormat.widen`, not from here.
public enum BlockCodes {
    /// The fields of the block in `bytes` (one block, `format.bytes` long):
    /// - Q8_0: d; codes −128…127 (x = d·q)
    /// - Q4_0: d; codes 0…15 (x = d·(q − 8))
    /// - Q4_1: d, m; codes 0…15 (x = d·q + m)
    /// - Q5_0: d; codes 0…31 (x = d·(q − 16)); Q5_1: d, m; codes 0…31 (x = d·q + m)
    /// - Q4_K, Q5_K: the super-block's d and dmin, no codes (each 32 values have their own 6-bit scale
    ///   and min as well); Q6_K: d, no codes; F16 and other one-value types: nothing but d = 0.
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
        case 12, 13: return (half(0), half(2), nil)
        case 14: return (half(208), nil, nil)
        default: return (0, nil, nil)
        }
    }
}
