#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Tensor {
    /// Softmax over the last axis, numerically stable (the row's maximum is subtracted first).
    /// `-inf` entries become exactly 0; a row that is all `-inf` becomes all 0.
    public func softmaxLastAxis() -> Tensor {
        guard let n = shape.last, n > 0 else { return self }
        var out = Tensor(uninitializedShape: shape)
        withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                var start = 0
                while start < src.count {
                    var peak = -Float.infinity
                    for j in 0..<n { peak = Swift.max(peak, src[start + j]) }
                    if peak == -.infinity {
                        for j in 0..<n { dst[start + j] = 0 }
                    } else {
                        var total: Float = 0
                        for j in 0..<n {
                            let e = expf(src[start + j] - peak)
                            dst[start + j] = e
                            total += e
                        }
                        let inverse = 1 / total
                        for j in 0..<n { dst[start + j] *= inverse }
                    }
                    start += n
                }
            }
        }
        return out
    }
}
