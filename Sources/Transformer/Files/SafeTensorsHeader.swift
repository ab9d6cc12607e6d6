import Foundation

/// One tensor as a safetensors header describes it.
public struct SafeTensorsEntry: Sendable, Equatable {
    public let name: String
    public let dtype: SafeTensorsDType
    /// Outermost axis first; `[]` for a scalar.
    public let shape: [Int]
    /// The tensor's bytes, relative to the start of the data region (the byte after the header).
    public let dataOffsets: Range<Int>
}

/// The parsed and validated header of a safetensors file:
///
///     8 bytes   N, the header length, unsigned little-endian
///     N bytes   JSON object: {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}, …,
///               "__metadata__": {"key": "value", …}}   (optional), padded with spaces
///     the rest  tensor data
///
/// Validated as the format's reference implementation does: N is at most 100 MB and fits in the
/// file; every entry has a known dtype, a shape of non-negative integers and `[begin, end]` offsets
/// whose span is exactly elements × element size (computed without overflow); and the tensors,
/// sorted by offset, tile the data region exactly: the first begins at 0, each begins where the
/// previous ended, and the last ends at the end of the file.
struct SafeTensorsHeader {
    /// The entries sorted by data offset.
    let entries: [SafeTensorsEntry]
    let metadata: [String: String]
    /// Where the data region starts in the file: 8 + N.
    let dataStart: Int
    /// The length of the data region in bytes.
    let dataLength: Int

    /// The largest header length accepted, as in the reference implementation.
    static let maxHeaderLength = 100_000_000

    /// The most tensors a header may list (the largest real checkpoints have a few thousand a file).
    static let maxObjects = 100_000
    /// The most JSON values (commas and brackets outside strings) a header may hold.
    static let maxValues = 1_000_000

    /// The number of `{` and of `,`/`[` outside JSON strings in `bytes`, in one linear pass.
    static func structureCounts(_ bytes: UnsafeRawBufferPointer) -> (objects: Int, values: Int) {
        var (objects, values) = (0, 0)
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"): objects += 1
            case UInt8(ascii: ","), UInt8(ascii: "["): values += 1
            default: break
            }
        }
        return (objects, values)
    }

    /// Parses and validates the header at the start of `file`, naming `path` in every error.
    static func parse(_ file: UnsafeRawBufferPointer, path: String) throws -> SafeTensorsHeader {
        func fail(_ reason: String) -> ModelError { .badFile(path: path, reason: reason) }

        guard !file.isEmpty else {
            throw fail("file is empty; a safetensors file starts with an 8-byte header length")
        }
        guard file.count >= 8 else {
            throw fail("file is only \(file.count) bytes long, too short for the 8-byte header length of a safetensors file")
        }
        let declared = UInt64(littleEndian: file.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        guard declared <= UInt64(maxHeaderLength) else {
            throw fail("header length \(declared) exceeds the \(maxHeaderLength)-byte limit; the file is corrupt or not a safetensors file")
        }
        let headerLength = Int(declared)
        guard headerLength <= file.count - 8 else {
            throw fail("header length \(headerLength) runs past the end of the file (only \(file.count - 8) bytes follow the length field); the file is truncated or not a safetensors file")
        }
        let dataStart = 8 + headerLength
        let dataLength = file.count - dataStart

        // The format's header is UTF-8. JSONSerialization would also guess UTF-16 or UTF-32 from
        // the pattern of NUL bytes, so rule those out first (NUL is never valid JSON text either).
        let headerBytes = UnsafeRawBufferPointer(rebasing: file[8..<dataStart])
        if let nul = headerBytes.firstIndex(of: 0) {
            throw fail("header is not valid JSON (it contains a NUL byte at header offset \(nul))")
        }
        guard String(validating: headerBytes, as: UTF8.self) != nil else {
            throw fail("header is not valid JSON (it is not valid UTF-8)")
        }
        // Bound the work before the parser builds objects: a header of a million tiny entries would
        // take gigabytes as Foundation objects. Count the structure outside strings in one pass.
        let (objects, values) = structureCounts(headerBytes)
        guard objects <= maxObjects + 2 else {
            throw fail("header lists \(objects - 1) entries, more than the \(maxObjects) accepted; the file is corrupt or not a model")
        }
        guard values <= maxValues else {
            throw fail("header holds \(values) values, more than the \(maxValues) accepted; the file is corrupt or not a model")
        }
        let json: Any
        do {
            let text = Data(headerBytes)
            json = try JSONSerialization.jsonObject(with: text, options: [.fragmentsAllowed])
        } catch {
            throw fail("header is not valid JSON (\(jsonErrorDetail(error)))")
        }
        guard let object = json as? [String: Any] else {
            throw fail("header is JSON but not an object mapping tensor names to entries (it is \(describe(json)))")
        }

        var metadata: [String: String] = [:]
        if let raw = object["__metadata__"], !(raw is NSNull) {
            guard let map = raw as? [String: Any] else {
                throw fail("\"__metadata__\" is \(describe(raw)), not an object of strings")
            }
            for (key, value) in map {
                guard let string = value as? String else {
                    throw fail("\"__metadata__\" entry \"\(key)\" is \(describe(value)), not a string")
                }
                metadata[key] = string
            }
        }

        var entries: [SafeTensorsEntry] = []
        for name in object.keys.sorted() where name != "__metadata__" {
            entries.append(try parseEntry(name: name, object[name] as Any, dataLength: dataLength, fail: fail))
        }
        try checkTiling(&entries, dataLength: dataLength, fail: fail)
        return SafeTensorsHeader(entries: entries, metadata: metadata, dataStart: dataStart, dataLength: dataLength)
    }

    /// One `"name": {"dtype", "shape", "data_offsets"}` entry, checked on its own.
    private static func parseEntry(
        name: String, _ value: Any, dataLength: Int, fail: (String) -> ModelError
    ) throws -> SafeTensorsEntry {
        func bad(_ reason: String) -> ModelError { fail("tensor \(name): \(reason)") }

        guard let entry = value as? [String: Any] else {
            throw bad("entry is \(describe(value)), not an object with \"dtype\", \"shape\" and \"data_offsets\"")
        }
        guard let rawType = entry["dtype"] else { throw bad("entry has no \"dtype\"") }
        guard let typeName = rawType as? String else { throw bad("\"dtype\" is \(describe(rawType)), not a string") }
        guard let dtype = SafeTensorsDType(rawValue: typeName) else {
            let known = SafeTensorsDType.allCases.map(\.rawValue).joined(separator: ", ")
            throw bad("unknown dtype \"\(typeName)\" (known: \(known))")
        }

        guard let rawShape = entry["shape"] else { throw bad("entry has no \"shape\"") }
        guard let dims = rawShape as? [Any] else { throw bad("\"shape\" is \(describe(rawShape)), not a list of integers") }
        guard dims.count <= 16 else { throw bad("shape has \(dims.count) dimensions, more than the 16 accepted") }
        var shape: [Int] = []
        for dim in dims {
            guard let n = jsonInteger(dim) else {
                throw bad("shape entry \(describe(dim)) is not an integer that fits in 64 bits")
            }
            shape.append(n)
        }
        if let negative = shape.first(where: { $0 < 0 }) {
            throw bad("negative dimension \(negative) in shape \(shape)")
        }

        guard let rawOffsets = entry["data_offsets"] else { throw bad("entry has no \"data_offsets\"") }
        guard let pair = rawOffsets as? [Any], pair.count == 2,
              let begin = jsonInteger(pair[0]), let end = jsonInteger(pair[1]) else {
            throw bad("\"data_offsets\" is \(describe(rawOffsets)), not a pair [begin, end] of integers")
        }
        guard begin >= 0, end >= 0 else { throw bad("data_offsets [\(begin), \(end)] are negative") }
        guard begin <= end else { throw bad("data_offsets [\(begin), \(end)] end before they begin") }
        guard end <= dataLength else {
            throw bad("data_offsets [\(begin), \(end)] run past the end of the data (\(dataLength) bytes)")
        }

        // elements × bits / 8, in checked arithmetic: a hostile shape must not trap.
        var elements = 1
        for dim in shape {
            let (product, overflow) = elements.multipliedReportingOverflow(by: dim)
            guard !overflow else { throw bad("shape \(shape) has too many elements (the count overflows 64 bits)") }
            elements = product
        }
        let (bits, overflow) = elements.multipliedReportingOverflow(by: dtype.bits)
        guard !overflow else { throw bad("shape \(shape) of \(dtype.rawValue) is too large (the byte size overflows 64 bits)") }
        guard bits % 8 == 0 else {
            throw bad("shape \(shape) of \(dtype.rawValue) is \(bits) bits, not a whole number of bytes")
        }
        guard bits / 8 == end - begin else {
            throw bad("shape \(shape) of \(dtype.rawValue) needs \(bits / 8) bytes but data_offsets [\(begin), \(end)] span \(end - begin)")
        }
        return SafeTensorsEntry(name: name, dtype: dtype, shape: shape, dataOffsets: begin..<end)
    }

    /// Sorts `entries` by offset and checks that they cover `0..<dataLength` exactly, with no
    /// overlap and no gap.
    private static func checkTiling(
        _ entries: inout [SafeTensorsEntry], dataLength: Int, fail: (String) -> ModelError
    ) throws {
        entries.sort {
            ($0.dataOffsets.lowerBound, $0.dataOffsets.upperBound, $0.name)
                < ($1.dataOffsets.lowerBound, $1.dataOffsets.upperBound, $1.name)
        }
        var previous: SafeTensorsEntry?
        for entry in entries {
            let range = entry.dataOffsets
            let expected = previous?.dataOffsets.upperBound ?? 0
            if range.lowerBound < expected, let previous {
                throw fail("tensor \(entry.name): data_offsets \(brackets(range)) overlap tensor \(previous.name)'s \(brackets(previous.dataOffsets))")
            }
            if range.lowerBound > expected {
                if let previous {
                    throw fail("tensor \(entry.name): data_offsets \(brackets(range)) leave a gap of \(range.lowerBound - expected) unused bytes after tensor \(previous.name)'s \(brackets(previous.dataOffsets))")
                }
                throw fail("tensor \(entry.name): data_offsets \(brackets(range)) leave \(range.lowerBound) unused bytes at the start of the data")
            }
            previous = entry
        }
        let covered = previous?.dataOffsets.upperBound ?? 0
        if covered != dataLength {
            if let previous {
                throw fail("tensor \(previous.name) is the last and ends at byte \(covered) of the data, but the data is \(dataLength) bytes; \(dataLength - covered) trailing bytes belong to no tensor")
            }
            throw fail("header lists no tensors but \(dataLength) bytes of data follow it")
        }
    }
}

/// A JSON number that is an integer representable as `Int` (not a boolean, not a fraction).
func jsonInteger(_ value: Any) -> Int? {
    guard let number = value as? NSNumber else { return nil }
    // Foundation returns booleans and non-integral numbers as NSNumber too; tell them apart by the
    // stored C type: "c" for booleans, "d"/"f" for floating point.
    switch UInt8(bitPattern: number.objCType.pointee) {
    case UInt8(ascii: "c"), UInt8(ascii: "B"), UInt8(ascii: "d"), UInt8(ascii: "f"): return nil
    default: return Int(exactly: number)
    }
}

/// A short description of a parsed JSON value for error messages.
func describe(_ value: Any) -> String {
    switch value {
    case is NSNull: return "null"
    case let string as String: return "the string \"\(string.prefix(40))\""
    case is [Any]: return "a list"
    case is [String: Any]: return "an object"
    case let number as NSNumber:
        if UInt8(bitPattern: number.objCType.pointee) == UInt8(ascii: "c") { return number.boolValue ? "true" : "false" }
        return number.stringValue
    default: return "\(type(of: value))"
    }
}

/// `[begin, end]`, as the header writes it.
func brackets(_ range: Range<Int>) -> String { "[\(range.lowerBound), \(range.upperBound)]" }

/// The parser's own explanation of a JSON error, without the framework's boilerplate.
func jsonErrorDetail(_ error: Error) -> String {
    let info = (error as NSError).userInfo
    return info[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
}
