#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Measures the element-wise kernels beside the scalar loops they replaced, for the
/// command line's benchmark.
public enum ElementwiseBenchmark {
    /// One measured operation: nanoseconds per element on each path.
    public struct Row: Sendable {
        /// What was measured and its shape, e.g. "gelu erf [64×1536]".
        public var name: String
        /// The scalar Swift loop with the C library's float functions (what ran before).
        public var scalarLoop: Double
        /// The portable C kernel, one thread.
        public var portable: Double
        /// The best kernel of this CPU, one thread.
        public var best: Double
        /// The best kernel split between threads as the tensor operations do it.
        public var threaded: Double
    }

    /// Which kernel "best" is on this CPU: "avx512", "avx2-fma" or "portable".
    public static var kernelName: String { GemmKernel.automatic.resolvedName }

    /// The transformer's element-wise work at the sizes of a 64-token BERT forward: the FFN
    /// activations on `[64, 1536]`, the attention softmax on 12 heads of `[64, 64]`.
    public static func measure(minSeconds: Double) -> [Row] {
        var rows: [Row] = []
        let activationCount = 64 * 1536
        for (activation, function) in [(Activation.gelu, ElementwiseFunction.gelu), (.geluTanh, .geluTanh), (.silu, .silu)] {
            rows.append(measure("\(activation.rawValue) [64×1536]", count: activationCount, scale: 4, minSeconds: minSeconds,
                                scalar: { x, y in for i in 0..<activationCount { y[i] = activation(x[i]) } },
                                kernel: { x, y, kernel, threads in
                                    applyElementwise(function, x, y, count: activationCount, kernel: kernel, threads: threads)
                                }))
        }
        let (scoreRows, length) = (12 * 64, 64)
        rows.append(measure("softmax [12×64×64]", count: scoreRows * length, scale: 8, minSeconds: minSeconds,
                            scalar: { x, y in scalarSoftmaxRows(x, y, rows: scoreRows, length: length) },
                            kernel: { x, y, kernel, threads in
                                softmaxRows(x, y, rows: scoreRows, length: length, kernel: kernel, threads: threads)
                            }))
        return rows
    }

    private static func measure(
        _ name: String, count: Int, scale: Float, minSeconds: Double,
        scalar: (UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void,
        kernel: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, GemmKernel, Int) -> Void
    ) -> Row {
        let (x, y) = (alignedFloats(count), alignedFloats(count))
        defer { x.deallocate(); y.deallocate() }
        var generator = UniformFloats(seed: 3)
        for i in 0..<count { x[i] = scale * generator.next() }
        func nanoseconds(_ run: () -> Void) -> Double {
            bestSecondsPerRun(minSeconds: minSeconds, run) / Double(count) * 1e9
        }
        return Row(name: name,
                   scalarLoop: nanoseconds { scalar(x, y) },
                   portable: nanoseconds { kernel(x, y, .portable, 1) },
                   best: nanoseconds { kernel(x, y, .automatic, 1) },
                   threaded: nanoseconds { kernel(x, y, .automatic, 0) })
    }

    /// The softmax loop `softmaxLastAxis` ran before the C kernel: per row, the maximum, `expf`
    /// of each difference, and a multiplication by the inverse of the sum.
    private static func scalarSoftmaxRows(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, length n: Int) {
        for row in 0..<rows {
            let (src, dst) = (x + row * n, y + row * n)
            var peak = -Float.infinity
            for j in 0..<n { peak = Swift.max(peak, src[j]) }
            if peak == -.infinity {
                for j in 0..<n { dst[j] = 0 }
                continue
            }
            var total: Float = 0
            for j in 0..<n {
                let e = expf(src[j] - peak)
                dst[j] = e
                total += e
            }
            let inverse = 1 / total
            for j in 0..<n { dst[j] *= inverse }
        }
    }
}
