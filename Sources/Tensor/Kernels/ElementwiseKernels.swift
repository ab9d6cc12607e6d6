import CKernels

/// The vectorised element-wise functions of CKernels (`ck_unary_apply`), chosen at run time
/// like the gemm's micro-kernel: AVX2+FMA where the CPU has it, else portable C.
enum ElementwiseFunction: CaseIterable, Sendable {
    case exp, erf, gelu, geluTanh, silu

    var cValue: ck_unary {
        switch self {
        case .exp: CK_UNARY_EXP
        case .erf: CK_UNARY_ERF
        case .gelu: CK_UNARY_GELU_ERF
        case .geluTanh: CK_UNARY_GELU_TANH
        case .silu: CK_UNARY_SILU
        }
    }
}

extension Activation {
    /// The C kernel computing this activation, or nil where a Swift loop is as fast (ReLU).
    var elementwiseFunction: ElementwiseFunction? {
        switch self {
        case .gelu: .gelu
        case .geluTanh: .geluTanh
        case .relu: nil
        case .silu: .silu
        }
    }
}

/// How the element-wise kernels split work between threads.
enum ElementwiseParallelism {
    /// Arrays (or softmax inputs) with fewer elements run on the calling thread alone.
    static var threshold: Int { Int(ck_elementwise_parallel_threshold()) }
}

/// `y[i] = function(x[i])` for `count` floats. `threads` 0 decides by size (see
/// `ElementwiseParallelism`); 1 or more splits into that many chunks whatever the size.
func applyElementwise(
    _ function: ElementwiseFunction,
    _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int,
    kernel: GemmKernel = .automatic, threads: Int = 0
) {
    ck_unary_apply(function.cValue, x, y, count, kernel.cValue, threads)
}

/// Softmax of each of `rows` contiguous rows of `length` floats, `x` `[rows, length]` into
/// `y` `[rows, length]` (`y` may be `x`); `-inf` gives exactly 0, an all `-inf` row all 0.
/// `threads` 0 decides by size, 1 keeps the work on the calling thread (e.g. inside work already
/// split between the cores), more splits by whole rows.
public func softmaxRows(
    _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, length: Int, threads: Int = 0
) {
    softmaxRows(x, y, rows: rows, length: length, kernel: .automatic, threads: threads)
}

/// `softmaxRows` with a kernel choice (tests run the portable path on purpose).
func softmaxRows(
    _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, length: Int,
    kernel: GemmKernel, threads: Int = 0
) {
    ck_softmax_rows_with(x, y, rows, length, kernel.cValue, threads)
}
