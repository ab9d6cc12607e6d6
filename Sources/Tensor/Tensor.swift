/// A dense, row-major (C order) array of `Float` with a shape.
///
/// A value type: copies share storage until one of them is written, and storage that
/// views a memory-mapped file is copied before any write. Shapes are plain `[Int]`;
/// a scalar has shape `[]` and one element.
public struct Tensor: Sendable {
    /// The length of each axis, outermost first.
    public let shape: [Int]
    var storage: TensorStorage
    /// Offset of the first element within `storage` (non-zero for row views).
    let offset: Int

    /// The number of elements (the product of the shape).
    public var count: Int { shape.reduce(1, *) }
    /// The number of axes.
    public var rank: Int { shape.count }

    /// A tensor of the given shape filled with `value`.
    public init(shape: [Int], repeating value: Float = 0) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        self.shape = shape
        let n = shape.reduce(1, *)
        storage = TensorStorage(zeroed: n)
        offset = 0
        if value != 0 { storage.base.update(repeating: value, count: n) }
    }

    /// A tensor of the given shape whose elements are not set: for kernels that write every element
    /// before anything reads it (a product's output, an element-wise result), so large outputs are
    /// not cleared only to be overwritten.
    public init(uninitializedShape shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        self.shape = shape
        storage = TensorStorage(zeroed: shape.reduce(1, *), clear: false)
        offset = 0
    }

    /// A tensor of the given shape holding `scalars` in row-major order.
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.reduce(1, *) == scalars.count,
                     "shape \(shape) holds \(shape.reduce(1, *)) values, got \(scalars.count)")
        self.init(shape: shape)
        scalars.withUnsafeBufferPointer { storage.base.update(from: $0.baseAddress!, count: $0.count) }
    }

    /// A rank-2 tensor from rows of equal length.
    public init(rows: [[Float]]) {
        let width = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == width }, "rows of unequal length")
        self.init(shape: [rows.count, width], scalars: rows.flatMap { $0 })
    }

    /// A read-only view of memory owned by `owner` (e.g. a mapped weights file); no copy is made
    /// until the tensor is written.
    public init(shape: [Int], viewing pointer: UnsafePointer<Float>, owner: AnyObject) {
        self.shape = shape
        storage = TensorStorage(viewing: pointer, count: shape.reduce(1, *), owner: owner)
        offset = 0
    }

    init(shape: [Int], storage: TensorStorage, offset: Int) {
        self.shape = shape
        self.storage = storage
        self.offset = offset
    }

    /// The elements in row-major order.
    public var scalars: [Float] {
        withUnsafeBufferPointer { Array($0) }
    }

    /// Reads the elements in place.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.base + offset, count: count))
    }

    /// Writes the elements in place, copying first if the storage is shared or read-only.
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) || !storage.ownsMemory || offset != 0 || storage.count != count {
            let fresh = TensorStorage(zeroed: count)
            fresh.base.update(from: storage.base + offset, count: count)
            self = Tensor(shape: shape, storage: fresh, offset: 0)
        }
        return try body(UnsafeMutableBufferPointer(start: storage.base, count: count))
    }

    /// The flat (row-major) offset of a multi-index.
    @inlinable
    public func flatIndex(_ indices: [Int]) -> Int {
        precondition(indices.count == shape.count, "index \(indices) for shape \(shape)")
        var flat = 0
        for (axis, i) in indices.enumerated() {
            precondition(i >= 0 && i < shape[axis], "index \(indices) out of range for shape \(shape)")
            flat = flat * shape[axis] + i
        }
        return flat
    }

    /// The element at a multi-index, e.g. `pattern[h, i, j]`.
    public subscript(_ indices: Int...) -> Float {
        get { storage.base[offset + flatIndex(indices)] }
        set {
            let flat = flatIndex(indices)
            withUnsafeMutableBufferPointer { $0[flat] = newValue }
        }
    }

    /// The same elements with another shape of the same count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        precondition(newShape.reduce(1, *) == count, "cannot reshape \(shape) to \(newShape)")
        return Tensor(shape: newShape, storage: storage, offset: offset)
    }

    /// The sub-tensor at `index` along the first axis: shape `shape.dropFirst()`. Shares storage.
    public func slice(_ index: Int) -> Tensor {
        precondition(rank >= 1 && index >= 0 && index < shape[0], "slice \(index) of shape \(shape)")
        let inner = Array(shape.dropFirst())
        let size = inner.reduce(1, *)
        return Tensor(shape: inner, storage: storage, offset: offset + index * size)
    }

    /// Stacks tensors of equal shape along a new first axis: `[n] + shape`.
    public static func stack(_ parts: [Tensor]) -> Tensor {
        let inner = parts.first?.shape ?? []
        precondition(parts.allSatisfy { $0.shape == inner }, "stacking tensors of different shapes")
        var out = Tensor(shape: [parts.count] + inner)
        let size = inner.reduce(1, *)
        out.withUnsafeMutableBufferPointer { dst in
            for (n, part) in parts.enumerated() {
                part.withUnsafeBufferPointer { src in
                    (dst.baseAddress! + n * size).update(from: src.baseAddress!, count: size)
                }
            }
        }
        return out
    }
}

extension Tensor: Equatable {
    /// Equal shapes and bitwise-equal elements (so NaN never equals NaN).
    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        lhs.shape == rhs.shape && lhs.withUnsafeBufferPointer { a in
            rhs.withUnsafeBufferPointer { b in a.elementsEqual(b) }
        }
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let preview = scalars.prefix(8).map { String($0) }.joined(separator: ", ")
        return "Tensor\(shape)[\(preview)\(count > 8 ? ", …" : "")]"
    }
}
