/// One value of a GGUF file's metadata (`gguf_type`): a number, a flag, a string or an array.
///
/// Numbers keep the width the file gave them, so that a value written back or shown is the file's;
/// `int`, `float`, `string` and the array readers convert for the loaders.
public enum GGUFValue: Sendable, Equatable {
    case uint8(UInt8), int8(Int8), uint16(UInt16), int16(Int16), uint32(UInt32), int32(Int32)
    case uint64(UInt64), int64(Int64), float32(Float), float64(Double), bool(Bool)
    case string(String)
    /// The element type (as the file names it) and the elements.
    case array(GGUFValueType, [GGUFValue])

    /// An integer value of any width that fits in `Int`; nil for anything else.
    public var int: Int? {
        switch self {
        case .uint8(let v): return Int(v)
        case .int8(let v): return Int(v)
        case .uint16(let v): return Int(v)
        case .int16(let v): return Int(v)
        case .uint32(let v): return Int(v)
        case .int32(let v): return Int(v)
        case .uint64(let v): return Int(exactly: v)
        case .int64(let v): return Int(v)
        default: return nil
        }
    }

    /// A floating-point value, or an integer one as a `Float`; nil for anything else.
    public var float: Float? {
        switch self {
        case .float32(let v): return v
        case .float64(let v): return Float(v)
        default: return int.map(Float.init)
        }
    }

    /// A string value; nil for anything else.
    public var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// A boolean value; nil for anything else.
    public var bool: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The elements of an array value; nil for anything else.
    public var elements: [GGUFValue]? {
        if case .array(_, let items) = self { return items }
        return nil
    }

    /// The type the file wrote this value with.
    public var type: GGUFValueType {
        switch self {
        case .uint8: return .uint8
        case .int8: return .int8
        case .uint16: return .uint16
        case .int16: return .int16
        case .uint32: return .uint32
        case .int32: return .int32
        case .uint64: return .uint64
        case .int64: return .int64
        case .float32: return .float32
        case .float64: return .float64
        case .bool: return .bool
        case .string: return .string
        case .array: return .array
        }
    }
}

/// The metadata value types of the GGUF format (`gguf_type`), numbered as in the file.
public enum GGUFValueType: UInt32, CaseIterable, Sendable {
    case uint8 = 0, int8 = 1, uint16 = 2, int16 = 3, uint32 = 4, int32 = 5, float32 = 6, bool = 7
    case string = 8, array = 9, uint64 = 10, int64 = 11, float64 = 12

    /// The size of one value in bytes, or the least it can take (a string: its 8-byte length;
    /// an array: its 4-byte element type and 8-byte count), for bounding counts by the file's size.
    var minimumBytes: Int {
        switch self {
        case .uint8, .int8, .bool: return 1
        case .uint16, .int16: return 2
        case .uint32, .int32, .float32: return 4
        case .uint64, .int64, .float64, .string: return 8
        case .array: return 12
        }
    }
}
