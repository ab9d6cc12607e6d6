import CKernels

/// A weight matrix `[rows, columns]` kept in its file's quantized blocks (GGUF's Q4_0, Q8_0, Q4_K, …),
/// read in place: each row is `columns / format.values` blocks of codes with their scales.
///
/// Rows are what PyTorch's `nn.Linear.weight [out, in]` has as rows, so `product(x)` is the Linear
/// map `x · Wᵀ`. Nothing is widened whole: the product widens a panel of rows at a time into a
/// small buffer per task (`ck_quantized_matmul`), and `widened()` / `rows(_:)` widen on demand what
/// a learner asks to see.
public struct QuantizedMatrix: @unchecked Sendable {
    /// Output features (the rows of W).
    public let rows: Int
    /// Input features (a row's length).
    public let columns: Int
    public let format: BlockFormat
    /// The blocks, row after row (`rows × rowBytes` bytes), alive as long as `owner`.
    public let bytes: UnsafeRawBufferPointer
    /// Keeps `bytes` alive (a mapped file, or the copy made by `init(copying:)`).
    let owner: AnyObject

    /// The bytes of one row.
    public var rowBytes: Int { columns / format.values * format.bytes }

    /// A matrix over `bytes`, which `owner` keeps alive. `columns` must be a multiple of the block's
    /// `values` and `bytes` exactly `rows × rowBytes` long (the file reader has checked both).
    public init(rows: Int, columns: Int, format: BlockFormat, bytes: UnsafeRawBufferPointer, owner: AnyObject) {
        precondition(columns % format.values == 0 && bytes.count == rows * (columns / format.values) * format.bytes,
                     "\(bytes.count) bytes are not \(rows) rows of \(columns) \(format.name) values")
        self.rows = rows
        self.columns = columns
        self.format = format
        self.bytes = bytes
        self.owner = owner
    }

    /// A matrix over a copy of `data` (for tests and small matrices made in memory).
    public init(rows: Int, columns: Int, format: BlockFormat, copying data: [UInt8]) {
        let box = ByteBox(data)
        self.init(rows: rows, columns: columns, format: format, bytes: box.bytes, owner: box)
    }

    /// `x · Wᵀ`: x `[T, columns]` → `[T, rows]` (the Linear map), widening a panel of W's rows at a
    /// time. `kernel` picks the instruction set (tests run each).
    public func product(_ x: Tensor, kernel: GemmKernel = .automatic) -> Tensor {
        precondition(x.rank == 2 && x.shape[1] == columns, "product of \(x.shape) with a [\(rows), \(columns)] matrix's transpose")
        let m = x.shape[0]
        var y = Tensor(uninitializedShape: [m, rows])
        let status = x.withUnsafeBufferPointer { px in
            y.withUnsafeMutableBufferPointer { py in
                ck_quantized_matmul(m, rows, columns, px.baseAddress!, columns, bytes.baseAddress!, rowBytes,
                                    Int32(bitPattern: format.code), py.baseAddress!, rows, kernel.cValue)
            }
        }
        precondition(status == 0, "the quantized product could not run on \(format.name) (out of memory?)")
        return y
    }

    /// `x · Wᵀ + bias`: x `[T, columns]`, bias `[rows]` added to every row (none when nil) → `[T, rows]`.
    public func product(_ x: Tensor, addingRow bias: Tensor?) -> Tensor {
        var y = product(x)
        guard let bias else { return y }
        precondition(bias.count == rows, "a bias of \(bias.count) for \(rows) outputs")
        let n = rows
        y.withUnsafeMutableBufferPointer { out in
            bias.withUnsafeBufferPointer { b in
                for i in 0..<out.count / n {
                    for j in 0..<n { out[i * n + j] += b[j] }
                }
            }
        }
        return y
    }

    /// Row `i` of the result is row `order[i]` of this matrix: a copy of the blocks, reordered (how
    /// llama.cpp's permutation of the query and key rows is undone).
    public func reorderingRows(_ order: [Int]) -> QuantizedMatrix {
        precondition(order.count == rows && order.allSatisfy { $0 >= 0 && $0 < rows }, "a row order for \(rows) rows")
        let size = rowBytes
        var data = [UInt8](repeating: 0, count: rows * size)
        data.withUnsafeMutableBytes { dst in
            for (i, source) in order.enumerated() {
                dst.baseAddress!.advanced(by: i * size).copyMemory(from: bytes.baseAddress! + source * size, byteCount: size)
            }
        }
        return QuantizedMatrix(rows: rows, columns: columns, format: format, copying: data)
    }

    /// Rows `ids` widened to floats: `[ids.count, columns]` (an embedding lookup in a token table).
    public func rows(_ ids: [Int]) -> Tensor {
        var out = Tensor(uninitializedShape: [ids.count, columns])
        let blocks = columns / format.values
        out.withUnsafeMutableBufferPointer { dst in
            for (i, id) in ids.enumerated() {
                precondition(id >= 0 && id < rows, "row \(id) of a matrix of \(rows) rows")
                _ = format.widen(bytes.baseAddress! + id * rowBytes, blocks: blocks, into: dst.baseAddress! + i * columns)
            }
        }
        return out
    }

    /// The whole matrix widened to floats, `[rows, columns]`: for a learner who asks to see it, or a
    /// test. Costs 4 bytes an element, so the forward pass never calls it.
    public func widened(kernel: GemmKernel = .automatic) -> Tensor {
        var out = Tensor(uninitializedShape: [rows, columns])
        out.withUnsafeMutableBufferPointer { dst in
            _ = format.widen(bytes.baseAddress!, blocks: rows * (columns / format.values), into: dst.baseAddress!, kernel: kernel)
        }
        return out
    }
}

/// Bytes owned by the process, for a `QuantizedMatrix` made in memory.
final class ByteBox: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer

    init(_ data: [UInt8]) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(data.count, 1), alignment: 64)
        buffer.copyBytes(from: data)
        bytes = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[0..<data.count])
    }

    deinit { UnsafeMutableRawPointer(mutating: bytes.baseAddress)?.deallocate() }
}
