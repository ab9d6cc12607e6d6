/// One tensor as a GGUF file's header describes it.
public struct GGUFTensorInfo: Sendable, Equatable {
    /// The file's name for it (llama.cpp's: `blk.0.attn_q.weight`, `token_embd.weight`).
    public let name: String
    /// Outermost axis first, as PyTorch and NumPy write it (the file lists them innermost first,
    /// `ne[0]` being a row's length): a Linear weight `[out, in]`, an embedding `[V, D]`.
    public let shape: [Int]
    public let type: GGUFTensorType
    /// Where its bytes start, relative to the start of the data section (a multiple of the alignment).
    public let offset: Int
    /// How many bytes it takes: rows × (row length / block size) × block bytes.
    public let byteCount: Int

    /// The number of elements.
    public var count: Int { shape.reduce(1, *) }
    /// The length of a row (the innermost axis, `ne[0]`), along which the blocks run.
    public var rowLength: Int { shape.last ?? 1 }
    /// The number of rows (every axis but the innermost).
    public var rows: Int { shape.dropLast().reduce(1, *) }
    /// The bytes of one row.
    public var rowBytes: Int { rowLength / type.blockSize * type.blockBytes }
}

extension GGUFTensorInfo {
    /// The most axes a GGUF tensor has (`GGML_MAX_DIMS`).
    static let maxAxes = 4

    /// Reads one tensor info at the cursor: name, axis count, axes (innermost first), type, offset.
    /// Checks the axes, the type, and that the size is a whole number of blocks computed without
    /// overflow; the offset is checked against the data section by the caller.
    static func read(_ cursor: inout GGUFCursor, index: Int) throws -> GGUFTensorInfo {
        let name = try cursor.string("name of tensor \(index)", strict: true)
        func bad(_ reason: String) -> ModelError { cursor.fail("tensor \(name): \(reason)") }
        let axes = try cursor.read(UInt32.self, "axis count of tensor \(name)")
        guard axes >= 1 && axes <= UInt32(maxAxes) else {
            throw bad("has \(axes) axes; a GGUF tensor has 1 to \(maxAxes)")
        }
        var dims: [Int] = []
        for axis in 0..<Int(axes) {
            let raw = try cursor.read(UInt64.self, "axis \(axis) of tensor \(name)")
            guard let dim = Int(exactly: raw), dim <= Int(Int32.max) else {
                throw bad("axis \(axis) has length \(raw), more than the \(Int32.max) accepted")
            }
            dims.append(dim)
        }
        let rawType = try cursor.read(UInt32.self, "type of tensor \(name)")
        guard let type = GGUFTensorType(rawValue: rawType) else {
            throw bad("unknown tensor type \(rawType)")
        }
        let rawOffset = try cursor.read(UInt64.self, "data offset of tensor \(name)")
        guard let offset = Int(exactly: rawOffset) else {
            throw bad("data offset \(rawOffset) runs past the end of the file")
        }
        let shape = Array(dims.reversed())
        guard dims[0] % type.blockSize == 0 else {
            throw bad("rows of \(dims[0]) elements are not a whole number of \(type.name) blocks of \(type.blockSize)")
        }
        var bytes = dims[0] / type.blockSize * type.blockBytes
        for dim in dims.dropFirst() {
            let (product, overflow) = bytes.multipliedReportingOverflow(by: dim)
            guard !overflow else { throw bad("shape \(shape) of \(type.name) is too large (the byte size overflows 64 bits)") }
            bytes = product
        }
        return GGUFTensorInfo(name: name, shape: shape, type: type, offset: offset, byteCount: bytes)
    }
}
