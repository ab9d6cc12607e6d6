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

    // The operators are written out rather than passed to `zipMap`: a closure called across the
    // module boundary is an indirect call per element, where these loops vectorise.
    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor {
        lhs.combined(with: rhs) { a, b, out, n in for i in 0..<n { out[i] = a[i] + b[i] } }
    }

    public static func - (lhs: Tensor, rhs: Tensor) -> Tensor {
        lhs.combined(with: rhs) { a, b, out, n in for i in 0..<n { out[i] = a[i] - b[i] } }
    }

    public static func * (lhs: Tensor, rhs: Tensor) -> Tensor {
        lhs.combined(with: rhs) { a, b, out, n in for i in 0..<n { out[i] = a[i] * b[i] } }
    }

    public static func * (lhs: Tensor, rhs: Float) -> Tensor {
        var out = Tensor(uninitializedShape: lhs.shape)
        lhs.withUnsafeBufferPointer { a in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<a.count { dst[i] = a[i] * rhs }
            }
        }
        return out
    }

    /// A new tensor from `self` and `other` (equal shapes) through `loop(a, b, out, count)`.
    @inline(__always)
    private func combined(
        with other: Tensor,
        _ loop: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void
    ) -> Tensor {
        precondition(shape == other.shape, "element-wise op on \(shape) and \(other.shape)")
        var out = Tensor(uninitializedShape: shape)
        withUnsafeBufferPointer { a in
            other.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { dst in
                    guard let pa = a.baseAddress, let pb = b.baseAddress, let po = dst.baseAddress else { return }
                    loop(pa, pb, po, a.count)
                }
            }
        }
        return out
    }

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
