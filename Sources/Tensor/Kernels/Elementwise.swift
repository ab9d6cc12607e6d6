/// Element-by-element arithmetic and broadcasting of a row vector over a matrix.

extension Tensor {
    /// Applies `f` to every element.
    public func map(_ f: (Float) -> Float) -> Tensor {
        var out = Tensor(uninitializedShape: shape)
        withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<src.count { dst[i] = f(src[i]) }
            }
        }
        return out
    }

    /// Combines two tensors of equal shape element by element.
    public func zipMap(_ other: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
        precondition(shape == other.shape, "element-wise op on \(shape) and \(other.shape)")
        var out = Tensor(uninitializedShape: shape)
        withUnsafeBufferPointer { a in
            other.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { dst in
                    for i in 0..<a.count { dst[i] = f(a[i], b[i]) }
                }
            }
        }
        return out
    }

    /// Adds a vector `[N]` to every row of `self` `[..., N]`.
    public func addingRow(_ row: Tensor) -> Tensor {
        let n = row.count
        precondition(shape.last == n, "adding a row of \(row.shape) to \(shape)")
        var out = self
        row.withUnsafeBufferPointer { r in
            out.withUnsafeMutableBufferPointer { dst in
                var i = 0
                while i < dst.count {
                    for j in 0..<n { dst[i + j] += r[j] }
                    i += n
                }
            }
        }
        return out
    }

    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.zipMap(rhs, +) }
    public static func - (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.zipMap(rhs, -) }
    public static func * (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.zipMap(rhs, *) }
    public static func * (lhs: Tensor, rhs: Float) -> Tensor { lhs.map { $0 * rhs } }

    /// The largest |a − b| / (1 + |b|) over all elements, with -inf equal to -inf
    /// (the project's comparison rule; `b` is the reference). Infinity when the shapes or
    /// the positions of infinities differ.
    public func maxRelativeError(to reference: Tensor) -> Float {
        guard shape == reference.shape else { return .infinity }
        var worst: Float = 0
        withUnsafeBufferPointer { a in
            reference.withUnsafeBufferPointer { b in
                for i in 0..<a.count {
                    if a[i] == b[i] { continue }
                    if !a[i].isFinite || !b[i].isFinite { worst = .infinity; return }
                    worst = Swift.max(worst, abs(a[i] - b[i]) / (1 + abs(b[i])))
                }
            }
        }
        return worst
    }
}
