/// The element types (`ggml_type`) a GGUF tensor info may name, with the block layout of each.
///
/// A quantized type stores a row in blocks of `blockSize` elements taking `blockBytes` bytes each
/// (Q4_0: 32 elements in 18 bytes, a half-float scale and 16 bytes of 4-bit codes); a plain type is a
/// block of one element. The numbers are llama.cpp's `ggml_type_traits` (and the `gguf` package's
/// `GGML_QUANT_SIZES`). Every type here can be validated; `isSupported` says which the explorer reads.
public enum GGUFTensorType: UInt32, CaseIterable, Sendable {
    case f32 = 0, f16 = 1, q4_0 = 2, q4_1 = 3, q5_0 = 6, q5_1 = 7, q8_0 = 8, q8_1 = 9
    case q2_K = 10, q3_K = 11, q4_K = 12, q5_K = 13, q6_K = 14, q8_K = 15
    case iq2_XXS = 16, iq2_XS = 17, iq3_XXS = 18, iq1_S = 19, iq4_NL = 20, iq3_S = 21, iq2_S = 22, iq4_XS = 23
    case i8 = 24, i16 = 25, i32 = 26, i64 = 27, f64 = 28, iq1_M = 29, bf16 = 30
    case tq1_0 = 34, tq2_0 = 35, mxfp4 = 39

    /// Elements per block (1 for the plain types, 32 for Q4_0…Q8_0, 256 for the k-quants).
    public var blockSize: Int { layout.elements }
    /// Bytes per block.
    public var blockBytes: Int { layout.bytes }

    private var layout: (elements: Int, bytes: Int) {
        switch self {
        case .f32, .i32: return (1, 4)
        case .f16, .bf16, .i16: return (1, 2)
        case .i8: return (1, 1)
        case .i64, .f64: return (1, 8)
        case .q4_0, .iq4_NL: return (32, 18)
        case .q4_1: return (32, 20)
        case .q5_0: return (32, 22)
        case .q5_1: return (32, 24)
        case .q8_0: return (32, 34)
        case .q8_1: return (32, 40)
        case .mxfp4: return (32, 17)
        case .q2_K: return (256, 84)
        case .q3_K, .iq3_S: return (256, 110)
        case .q4_K: return (256, 144)
        case .q5_K: return (256, 176)
        case .q6_K: return (256, 210)
        case .q8_K: return (256, 292)
        case .iq2_XXS, .tq2_0: return (256, 66)
        case .iq2_XS: return (256, 74)
        case .iq3_XXS: return (256, 98)
        case .iq1_S: return (256, 50)
        case .iq2_S: return (256, 82)
        case .iq4_XS: return (256, 136)
        case .iq1_M: return (256, 56)
        case .tq1_0: return (256, 54)
        }
    }

    /// The name llama.cpp gives the type (`Q4_K`, `F16`, `IQ2_XXS`).
    public var name: String { "\(self)".uppercased() }

    /// The types whose values the explorer reads (as floats, or as quantized blocks read in place).
    public static let supported: [GGUFTensorType] = [.f32, .f16, .bf16, .q8_0, .q4_0, .q4_1, .q5_0, .q5_1,
                                                     .q4_K, .q5_K, .q6_K]

    /// Whether the explorer reads tensors of this type.
    public var isSupported: Bool { Self.supported.contains(self) }

    /// Whether the type stores blocks of codes with scales (rather than one number per element).
    public var isQuantized: Bool { blockSize > 1 }
}
