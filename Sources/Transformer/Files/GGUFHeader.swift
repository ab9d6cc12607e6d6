/// The parsed and validated header of a GGUF file (llama.cpp's format, versions 2 and 3):
///
///     4 bytes    magic "GGUF"
///     u32        version (2 or 3; version 1 used 32-bit counts and is refused)
///     u64        tensor count            u64   metadata count
///     metadata   key (u64 length + UTF-8), u32 value type, value; an array is u32 element type,
///                u64 count, elements; all little-endian
///     tensors    name, u32 axis count, u64 axes (innermost first), u32 type, u64 offset
///     padding    to `general.alignment` (32 when absent)
///     data       each tensor at its offset from here, offsets multiples of the alignment
///
/// Every count is bounded by the bytes left (a count no file of this size could hold is an error
/// before anything is allocated); every tensor's bytes lie inside the file and overlap no other's.
struct GGUFHeader {
    let version: Int
    /// The key/value pairs, in file order.
    let metadata: [(key: String, value: GGUFValue)]
    /// The tensor infos, in file order.
    let tensors: [GGUFTensorInfo]
    let alignment: Int
    /// Where the data section starts in the file.
    let dataStart: Int

    /// The four bytes every GGUF file starts with.
    static let magic: [UInt8] = Array("GGUF".utf8)
    /// Alignment when the file sets none.
    static let defaultAlignment = 32

    /// Whether `bytes` start with the GGUF magic.
    static func hasMagic(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 4 && Array(bytes[0..<4]) == magic
    }

    /// Parses and validates the header of `file`, naming `path` in every error.
    static func parse(_ file: UnsafeRawBufferPointer, path: String) throws -> GGUFHeader {
        func fail(_ reason: String) -> ModelError { .badFile(path: path, reason: reason) }
        guard !file.isEmpty else { throw fail("file is empty; a GGUF file starts with the magic \"GGUF\"") }
        guard hasMagic(file) else {
            let shown = file.prefix(4).map { String($0, radix: 16, uppercase: true) }.joined(separator: " ")
            throw fail("not a GGUF file (it starts with bytes \(shown), not the magic \"GGUF\")")
        }
        var cursor = GGUFCursor(bytes: file, fail: fail)
        _ = try cursor.read(UInt32.self, "magic")
        let version = try cursor.read(UInt32.self, "version")
        guard version == 2 || version == 3 else {
            if version == 1 { throw fail("GGUF version 1 is not supported (it used 32-bit counts); convert the model again with a current llama.cpp") }
            if version & 0xFFFF == 0 { throw fail("GGUF version \(version) looks byte-swapped: big-endian GGUF files are not supported") }
            throw fail("GGUF version \(version) is not supported (versions 2 and 3 are)")
        }
        // A tensor info takes at least 8 (name length) + 4 + 8 + 4 + 8 bytes; a key/value 8 + 4 + 1.
        let tensorCount = try cursor.count("tensor count", minimumBytes: 32)
        let metadataCount = try cursor.count("metadata count", minimumBytes: 13)

        var metadata: [(key: String, value: GGUFValue)] = []
        var seen: Set<String> = []
        for index in 0..<metadataCount {
            let key = try cursor.string("key of metadata entry \(index)", strict: true)
            guard seen.insert(key).inserted else { throw fail("metadata key \(key) appears twice") }
            let type = try cursor.valueType("metadata \(key)")
            metadata.append((key, try cursor.value(type, "metadata \(key)")))
        }

        var alignment = defaultAlignment
        if let entry = metadata.first(where: { $0.key == "general.alignment" }) {
            guard case .uint32(let value) = entry.value else {
                throw fail("metadata general.alignment is \(entry.value.type), not uint32")
            }
            guard value > 0, value & (value - 1) == 0, value <= 1 << 20 else {
                throw fail("metadata general.alignment \(value) is not a power of two up to 1 MiB")
            }
            alignment = Int(value)
        }

        var tensors: [GGUFTensorInfo] = []
        var names: Set<String> = []
        for index in 0..<tensorCount {
            let info = try GGUFTensorInfo.read(&cursor, index: index)
            guard names.insert(info.name).inserted else { throw fail("tensor \(info.name) appears twice") }
            tensors.append(info)
        }
        cursor.align(to: alignment)
        let dataStart = cursor.offset
        let dataLength = file.count - dataStart
        try checkPlacement(tensors, alignment: alignment, dataLength: dataLength, fail: fail)
        return GGUFHeader(version: Int(version), metadata: metadata, tensors: tensors, alignment: alignment,
                          dataStart: dataStart)
    }

    /// Each tensor's offset is aligned and its bytes lie in the data section, overlapping no other's.
    private static func checkPlacement(_ tensors: [GGUFTensorInfo], alignment: Int, dataLength: Int,
                                       fail: (String) -> ModelError) throws {
        for info in tensors {
            guard info.offset % alignment == 0 else {
                throw fail("tensor \(info.name): data offset \(info.offset) is not a multiple of the alignment \(alignment)")
            }
            guard info.offset <= dataLength, info.byteCount <= dataLength - info.offset else {
                throw fail("tensor \(info.name): its \(info.byteCount) bytes of \(info.type.name) \(info.shape) at data offset \(info.offset) run past the end of the file (the data section is \(dataLength) bytes); the file is truncated or corrupt")
            }
        }
        let sorted = tensors.filter { $0.byteCount > 0 }.sorted { ($0.offset, $0.name) < ($1.offset, $1.name) }
        for (previous, next) in zip(sorted, sorted.dropFirst()) where next.offset < previous.offset + previous.byteCount {
            throw fail("tensor \(next.name): data at offset \(next.offset) overlaps tensor \(previous.name)'s \(previous.byteCount) bytes at offset \(previous.offset)")
        }
    }
}
