/// Reads a GGUF file's header front to back: little-endian integers, length-prefixed strings, and
/// metadata values, each checked against the bytes left, so that a truncated or hostile file gives
/// an error saying what was being read and where, never a read past the end.
struct GGUFCursor {
    let bytes: UnsafeRawBufferPointer
    /// The offset of the next byte to read.
    private(set) var offset = 0
    /// Builds the error for a problem at the current position (the file is named by the caller).
    let fail: (String) -> ModelError

    /// How many bytes are left after `offset`.
    var remaining: Int { bytes.count - offset }

    /// Arrays of arrays nest at most this deep (real files use one level).
    static let maxNesting = 8

    /// Moves past `count` bytes that `what` takes, or throws if the file ends first.
    private mutating func take(_ count: Int, _ what: String) throws -> Int {
        guard count <= remaining else {
            throw fail("file ends inside \(what) at byte \(offset) (needs \(count) bytes, \(remaining) left); the file is truncated")
        }
        defer { offset += count }
        return offset
    }

    mutating func read<T: FixedWidthInteger>(_ type: T.Type, _ what: String) throws -> T {
        let at = try take(MemoryLayout<T>.size, what)
        return T(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: T.self))
    }

    /// A count stored as `UInt64`, which must fit in `Int` and leave room for `count × minimumBytes`
    /// bytes in the rest of the file.
    mutating func count(_ what: String, minimumBytes: Int) throws -> Int {
        let at = offset
        let raw = try read(UInt64.self, what)
        guard let count = Int(exactly: raw), count <= remaining / max(minimumBytes, 1) else {
            throw fail("\(what) \(raw) at byte \(at) is larger than the file could hold (\(remaining) bytes left); the file is corrupt")
        }
        return count
    }

    /// A string: `UInt64` length, then that many UTF-8 bytes. `strict` refuses invalid UTF-8 (keys
    /// and names); otherwise invalid sequences become U+FFFD.
    mutating func string(_ what: String, strict: Bool = false) throws -> String {
        let at = offset
        let length = try count("length of \(what)", minimumBytes: 1)
        let start = try take(length, what)
        let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<start + length])
        if strict {
            guard let text = String(validating: raw, as: UTF8.self) else {
                throw fail("\(what) at byte \(at) is not valid UTF-8")
            }
            return text
        }
        return String(decoding: raw, as: UTF8.self)
    }

    /// A value type number, which must be one the format defines.
    mutating func valueType(_ what: String) throws -> GGUFValueType {
        let at = offset
        let raw = try read(UInt32.self, "type of \(what)")
        guard let type = GGUFValueType(rawValue: raw) else {
            throw fail("\(what) has unknown value type \(raw) at byte \(at) (known: 0 to 12)")
        }
        return type
    }

    /// One metadata value of `type`; `what` names it in errors (`value of general.name`).
    mutating func value(_ type: GGUFValueType, _ what: String, depth: Int = 0) throws -> GGUFValue {
        switch type {
        case .uint8: return .uint8(try read(UInt8.self, what))
        case .int8: return .int8(try read(Int8.self, what))
        case .uint16: return .uint16(try read(UInt16.self, what))
        case .int16: return .int16(try read(Int16.self, what))
        case .uint32: return .uint32(try read(UInt32.self, what))
        case .int32: return .int32(try read(Int32.self, what))
        case .uint64: return .uint64(try read(UInt64.self, what))
        case .int64: return .int64(try read(Int64.self, what))
        case .float32: return .float32(Float(bitPattern: try read(UInt32.self, what)))
        case .float64: return .float64(Double(bitPattern: try read(UInt64.self, what)))
        case .bool:
            let at = offset
            let byte = try read(UInt8.self, what)
            guard byte <= 1 else { throw fail("\(what) at byte \(at) is a bool of value \(byte), not 0 or 1") }
            return .bool(byte == 1)
        case .string: return .string(try string(what))
        case .array:
            guard depth < Self.maxNesting else {
                throw fail("\(what) nests arrays more than \(Self.maxNesting) deep")
            }
            let elementType = try valueType("elements of \(what)")
            let n = try count("element count of \(what)", minimumBytes: elementType.minimumBytes)
            var items: [GGUFValue] = []
            items.reserveCapacity(n)
            for index in 0..<n {
                items.append(try value(elementType, "\(what)[\(index)]", depth: depth + 1))
            }
            return .array(elementType, items)
        }
    }

    /// Moves to the next multiple of `alignment` (at most the end of the file).
    mutating func align(to alignment: Int) {
        offset = min(bytes.count, (offset + alignment - 1) / alignment * alignment)
    }
}
