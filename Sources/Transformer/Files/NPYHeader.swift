/// The header of a NumPy `.npy` file (format versions 1.0, 2.0 and 3.0):
///
///     6 bytes   magic "\x93NUMPY"
///     2 bytes   version major, minor
///     2 bytes   (1.0) or 4 bytes (2.0, 3.0): header text length, unsigned little-endian
///     text      a Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), },
///               padded with spaces and ended by "\n" so the data starts at a multiple of 64 bytes
///     data      the elements in C (row-major) order, or Fortran order if fortran_order is True
struct NPYHeader: Equatable {
    /// The dtype string, e.g. `<f4` (little-endian float32).
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]

    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
    /// Total header size (magic through newline) is a multiple of this.
    static let alignment = 64

    /// The header bytes for this dict: version 1.0 unless the text needs more than 65535 bytes.
    func encoded() -> [UInt8] {
        let shapeText: String
        switch shape.count {
        case 0: shapeText = "()"
        case 1: shapeText = "(\(shape[0]),)"
        default: shapeText = "(" + shape.map(String.init).joined(separator: ", ") + ")"
        }
        let dict = Array("{'descr': '\(descr)', 'fortran_order': \(fortranOrder ? "True" : "False"), 'shape': \(shapeText), }".utf8)
        for (major, lengthBytes) in [(UInt8(1), 2), (UInt8(2), 4)] {
            let prefix = Self.magic.count + 2 + lengthBytes
            let unpadded = prefix + dict.count + 1
            let padding = (Self.alignment - unpadded % Self.alignment) % Self.alignment
            let textLength = dict.count + padding + 1
            if lengthBytes == 2 && textLength > Int(UInt16.max) { continue }
            var bytes = Self.magic + [major, 0]
            withUnsafeBytes(of: UInt32(textLength).littleEndian) { bytes += $0.prefix(lengthBytes) }
            bytes += dict
            bytes += repeatElement(UInt8(ascii: " "), count: padding)
            bytes.append(UInt8(ascii: "\n"))
            return bytes
        }
        preconditionFailure("unreachable: version 2.0 holds any header")
    }

    /// Parses the header at the start of `file`; returns it and the offset where the data starts.
    static func parse(_ file: UnsafeRawBufferPointer, path: String) throws -> (header: NPYHeader, dataStart: Int) {
        func fail(_ reason: String) -> ModelError { .badFile(path: path, reason: reason) }

        guard file.count >= magic.count, file.prefix(magic.count).elementsEqual(magic) else {
            throw fail("not a .npy file (it does not start with the magic bytes \\x93NUMPY)")
        }
        guard file.count >= 8 else { throw fail(".npy header is cut off after the magic bytes") }
        let major = file[6], minor = file[7]
        let lengthBytes: Int
        switch (major, minor) {
        case (1, 0): lengthBytes = 2
        case (2, 0), (3, 0): lengthBytes = 4
        default: throw fail("unsupported .npy format version \(major).\(minor) (this reader handles 1.0, 2.0 and 3.0)")
        }
        let textStart = 8 + lengthBytes
        guard file.count >= textStart else { throw fail(".npy header is cut off before its length field ends") }
        var textLength = 0
        for i in (8..<textStart).reversed() { textLength = textLength << 8 | Int(file[i]) }
        guard textLength <= file.count - textStart else {
            throw fail(".npy header length \(textLength) runs past the end of the file (\(file.count - textStart) bytes follow the length field)")
        }
        let text = Array(file[textStart..<(textStart + textLength)])

        let value: PythonLiteral
        do {
            var parser = PythonLiteralParser(text)
            value = try parser.parseHeader()
        } catch let error as PythonLiteralParser.Failure {
            throw fail(".npy header is not a Python dict literal (\(error.reason))")
        }
        guard case .dict(let pairs) = value else { throw fail(".npy header is not a dict") }
        var fields: [String: PythonLiteral] = [:]
        for (key, value) in pairs { fields[key] = value }
        let expected: Set = ["descr", "fortran_order", "shape"]
        guard Set(fields.keys) == expected, pairs.count == expected.count else {
            let found = pairs.map { "'\($0.0)'" }.joined(separator: ", ")
            throw fail(".npy header must have exactly the keys 'descr', 'fortran_order' and 'shape' (found \(found))")
        }
        guard case .string(let descr)? = fields["descr"] else {
            throw fail(".npy 'descr' is not a dtype string (structured arrays are not supported)")
        }
        guard case .bool(let fortranOrder)? = fields["fortran_order"] else {
            throw fail(".npy 'fortran_order' is not True or False")
        }
        guard case .tuple(let dims)? = fields["shape"] else { throw fail(".npy 'shape' is not a tuple") }
        var shape: [Int] = []
        for dim in dims {
            guard case .integer(let n) = dim else { throw fail(".npy 'shape' holds something other than integers") }
            guard n >= 0 else { throw fail(".npy 'shape' has a negative dimension \(n)") }
            shape.append(n)
        }
        return (NPYHeader(descr: descr, fortranOrder: fortranOrder, shape: shape), textStart + textLength)
    }
}

/// The few Python literals a `.npy` header uses.
enum PythonLiteral: Equatable {
    case string(String)
    case integer(Int)
    case bool(Bool)
    case none
    case tuple([PythonLiteral])            // also lists
    case dict([(String, PythonLiteral)])   // string keys, in file order

    static func == (lhs: PythonLiteral, rhs: PythonLiteral) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)): return a == b
        case (.integer(let a), .integer(let b)): return a == b
        case (.bool(let a), .bool(let b)): return a == b
        case (.none, .none): return true
        case (.tuple(let a), .tuple(let b)): return a == b
        case (.dict(let a), .dict(let b)): return a.map(\.0) == b.map(\.0) && a.map(\.1) == b.map(\.1)
        default: return false
        }
    }
}

/// A recursive-descent parser for `PythonLiteral`s in header text (Latin-1 or UTF-8 bytes).
/// Depth is limited so hostile nesting cannot exhaust the stack.
struct PythonLiteralParser {
    struct Failure: Error { let reason: String }

    private let text: [UInt8]
    private var position = 0
    private var depth = 0
    private static let maxDepth = 32

    init(_ text: [UInt8]) { self.text = text }

    /// The whole header: one literal, then only whitespace (the padding and final newline).
    mutating func parseHeader() throws -> PythonLiteral {
        let value = try parseValue()
        skipSpace()
        guard position == text.count else { throw failure("unexpected text after the dict") }
        return value
    }

    private func failure(_ what: String) -> Failure {
        Failure(reason: "\(what) at byte \(position) of the header text")
    }

    private mutating func skipSpace() {
        while position < text.count, [0x20, 0x09, 0x0A, 0x0D].contains(text[position]) { position += 1 }
    }

    private func peek() -> UInt8? { position < text.count ? text[position] : nil }

    private mutating func expect(_ byte: UInt8) throws {
        skipSpace()
        guard peek() == byte else { throw failure("expected '\(Character(Unicode.Scalar(byte)))'") }
        position += 1
    }

    private mutating func parseValue() throws -> PythonLiteral {
        skipSpace()
        guard let byte = peek() else { throw failure("unexpected end") }
        switch byte {
        case UInt8(ascii: "{"): return try nested { try $0.parseDict() }
        case UInt8(ascii: "("): return try nested { try $0.parseSequence(closer: UInt8(ascii: ")")) }
        case UInt8(ascii: "["): return try nested { try $0.parseSequence(closer: UInt8(ascii: "]")) }
        case UInt8(ascii: "'"), UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .integer(try parseInteger())
        default:
            for (word, value) in [("True", PythonLiteral.bool(true)), ("False", .bool(false)), ("None", .none)] {
                let bytes = Array(word.utf8)
                if text.count - position >= bytes.count, text[position..<(position + bytes.count)].elementsEqual(bytes) {
                    position += bytes.count
                    return value
                }
            }
            throw failure("unexpected character")
        }
    }

    private mutating func nested(_ body: (inout PythonLiteralParser) throws -> PythonLiteral) throws -> PythonLiteral {
        guard depth < Self.maxDepth else { throw failure("nesting too deep") }
        depth += 1
        defer { depth -= 1 }
        return try body(&self)
    }

    private mutating func parseDict() throws -> PythonLiteral {
        try expect(UInt8(ascii: "{"))
        var pairs: [(String, PythonLiteral)] = []
        while true {
            skipSpace()
            if peek() == UInt8(ascii: "}") { position += 1; return .dict(pairs) }
            guard peek() == UInt8(ascii: "'") || peek() == UInt8(ascii: "\"") else { throw failure("expected a string key") }
            let key = try parseString()
            try expect(UInt8(ascii: ":"))
            pairs.append((key, try parseValue()))
            skipSpace()
            if peek() == UInt8(ascii: ",") { position += 1; continue }
            try expect(UInt8(ascii: "}"))
            return .dict(pairs)
        }
    }

    private mutating func parseSequence(closer: UInt8) throws -> PythonLiteral {
        position += 1                                   // the opener
        var items: [PythonLiteral] = []
        while true {
            skipSpace()
            if peek() == closer { position += 1; return .tuple(items) }
            items.append(try parseValue())
            skipSpace()
            if peek() == UInt8(ascii: ",") { position += 1; continue }
            try expect(closer)
            return .tuple(items)
        }
    }

    private mutating func parseString() throws -> String {
        let quote = text[position]
        position += 1
        var bytes: [UInt8] = []
        while let byte = peek() {
            position += 1
            if byte == quote { return String(decoding: bytes, as: UTF8.self) }
            if byte == UInt8(ascii: "\\") {
                guard let escaped = peek() else { break }
                bytes.append(escaped)
                position += 1
            } else {
                bytes.append(byte)
            }
        }
        throw failure("unterminated string")
    }

    private mutating func parseInteger() throws -> Int {
        var negative = false
        if peek() == UInt8(ascii: "-") { negative = true; position += 1 }
        var value = 0
        var digits = 0
        while let byte = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            guard !o1, !o2 else { throw failure("integer too large") }
            value = sum
            digits += 1
            position += 1
        }
        guard digits > 0 else { throw failure("expected digits") }
        if peek() == UInt8(ascii: "L") { position += 1 }    // Python 2 long suffix, e.g. (3L,)
        return negative ? -value : value
    }
}
