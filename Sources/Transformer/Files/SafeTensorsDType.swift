/// The element types a safetensors header may name in `"dtype"`, as the format's reference
/// implementation lists them. Data is little-endian.
public enum SafeTensorsDType: String, CaseIterable, Sendable {
    case bool = "BOOL"
    case u8 = "U8", i8 = "I8"
    case f8E5M2 = "F8_E5M2", f8E4M3 = "F8_E4M3", f8E8M0 = "F8_E8M0"
    case f4 = "F4", f6E2M3 = "F6_E2M3", f6E3M2 = "F6_E3M2"
    case i16 = "I16", u16 = "U16", f16 = "F16", bf16 = "BF16"
    case i32 = "I32", u32 = "U32", f32 = "F32"
    case c64 = "C64", f64 = "F64", i64 = "I64", u64 = "U64"

    /// Bits per element (4 and 6 for the packed sub-byte float formats).
    public var bits: Int {
        switch self {
        case .f4: return 4
        case .f6E2M3, .f6E3M2: return 6
        case .bool, .u8, .i8, .f8E5M2, .f8E4M3, .f8E8M0: return 8
        case .i16, .u16, .f16, .bf16: return 16
        case .i32, .u32, .f32: return 32
        case .c64, .f64, .i64, .u64: return 64
        }
    }

    /// Whether this loader converts the type to `Float` (F32 in place; F16, BF16 and F64 widened or
    /// narrowed). Other types are recognised, validated and then skipped with a reason.
    public var isLoadedAsFloat: Bool {
        switch self {
        case .f32, .f16, .bf16, .f64: return true
        default: return false
        }
    }

    /// Why a tensor of this type is not loaded (nil for the float types that are).
    var skipReason: String? {
        switch self {
        case .f32, .f16, .bf16, .f64: return nil
        case .bool: return "BOOL tensor (a flag or mask, not a weight)"
        case .u8, .i8, .i16, .u16, .i32, .u32, .i64, .u64:
            return "integer tensor (\(rawValue)), e.g. position ids or a buffer, not a weight"
        case .f8E5M2, .f8E4M3, .f8E8M0, .f4, .f6E2M3, .f6E3M2:
            return "\(rawValue) quantised floats are not supported; convert the model to F32, F16 or BF16"
        case .c64: return "complex tensor (C64) has no real-valued meaning here"
        }
    }
}
