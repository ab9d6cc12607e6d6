/// Single-precision kernels for the Tensor module: matrix products and element-wise functions.
///
/// One blocked, packed GEMM driver (`ck_sgemm`) runs a register-tiled micro-kernel that is
/// chosen at run time, once: AVX-512 (F, BW, DQ, VL) on x86-64 CPUs and OSes that have it, else
/// AVX2+FMA, else a portable C one. The element-wise kernels (exp, erf, the activations, softmax,
/// the norms) are chosen the same way, from the same table (Sources/CKernels/dispatch.c).
/// Nothing here depends on build flags for the CPU, so one binary runs on any x86-64 (and the
/// portable path builds everywhere else). `EXPLORER_KERNEL=portable|avx2|avx512` in the
/// environment lowers the automatic choice (never above what the CPU supports).
#ifndef CKERNELS_H
#define CKERNELS_H

#ifdef __cplusplus
extern "C" {
#endif

/// Which instruction set a kernel runs on (`ck_sgemm`'s micro-kernel, the element-wise loops).
/// The tiers are ordered: a request the CPU cannot run gets the best lower tier it can.
typedef enum {
    /// The fastest tier this CPU supports, lowered by `EXPLORER_KERNEL` when that is set
    /// (decided once, at the first call).
    CK_KERNEL_AUTO = 0,
    /// The portable C kernels, on any CPU.
    CK_KERNEL_PORTABLE = 1,
    /// AVX2+FMA (256-bit registers).
    CK_KERNEL_AVX2_FMA = 2,
    /// AVX-512 F+BW+DQ+VL (32 512-bit registers).
    CK_KERNEL_AVX512 = 3,
    /// For tests only: the AVX-512 tier's matrix-product tiles and cache blocks compiled for
    /// AVX2+FMA, so that a machine without AVX-512 still checks their blocking and edges
    /// (slow: the tile does not fit in 16 registers). Element-wise functions run AVX2+FMA.
    CK_KERNEL_AVX512_TILES_ON_AVX2 = 4,
} ck_kernel;

/// The tier `CK_KERNEL_AUTO` resolves to (after `EXPLORER_KERNEL`).
ck_kernel ck_sgemm_best_kernel(void);

/// The best tier this CPU (and OS) supports, whatever `EXPLORER_KERNEL` says.
ck_kernel ck_cpu_best_kernel(void);

/// Whether `kernel` runs as itself on this CPU (rather than a lower tier in its place).
int ck_kernel_supported(ck_kernel kernel);

/// The tier a name stands for: "portable", "avx2" (or "avx2-fma"), "avx512"; `CK_KERNEL_AUTO`
/// for "auto", NULL, or anything else. This is how `EXPLORER_KERNEL` is read.
ck_kernel ck_kernel_named(const char *name);

/// A short name for what `kernel` resolves to on this CPU: "avx512", "avx2-fma" or
/// "portable" ("avx512-tiles-on-avx2" for the test tier).
const char *ck_sgemm_kernel_name(ck_kernel kernel);

/// The column granularity of the micro-kernel: splitting the columns of one product between
/// threads at multiples of this keeps every thread on full-width tiles.
long ck_sgemm_column_block(void);

/// The row granularity of the micro-kernel (see `ck_sgemm_column_block`).
long ck_sgemm_row_block(void);

/// C[m×n] = A[m×k] · B[k×n], or C += A·B when `accumulate` is non-zero. Row-major with leading
/// dimensions (row strides, in elements) `lda`, `ldb`, `ldc`. Single-threaded; safe to call
/// from several threads at once on disjoint parts of C (each thread keeps its own workspace).
void ck_sgemm(long m, long n, long k,
              const float *a, long lda,
              const float *b, long ldb,
              float *c, long ldc,
              int accumulate, ck_kernel kernel);

/// C[m×n] = A[m×k] · op(B) (or += with `accumulate`), where op(B) is B[k×n] itself, or, when
/// `transpose_b` is non-zero, the transpose of B[n×k] (row stride `ldb`): C = A·Bᵀ without a
/// transposed copy of B (a tied LM head reads the token table [V×D] so).
void ck_sgemm_transposing(long m, long n, long k,
                          const float *a, long lda,
                          const float *b, long ldb, int transpose_b,
                          float *c, long ldc,
                          int accumulate, ck_kernel kernel);

/// `ck_sgemm` spread over up to `threads` threads (the caller and a pool of workers).
///
/// The larger output dimension is cut into `threads` contiguous parts at micro-tile boundaries
/// (columns when n >= m, else rows); each part is an independent `ck_sgemm`. When another
/// thread's product already occupies the pool, the whole product runs on the caller.
void ck_sgemm_parallel(long m, long n, long k,
                       const float *a, long lda,
                       const float *b, long ldb,
                       float *c, long ldc,
                       int accumulate, long threads, ck_kernel kernel);

/// `ck_sgemm_transposing` spread over threads, as `ck_sgemm_parallel`.
void ck_sgemm_parallel_transposing(long m, long n, long k,
                                   const float *a, long lda,
                                   const float *b, long ldb, int transpose_b,
                                   float *c, long ldc,
                                   int accumulate, long threads, ck_kernel kernel);

/// The size in floats of B[k×n] packed ahead for `kernel`'s tier: k × n rounded up to whole
/// micro-kernel panels (the last panel padded with zeros).
long ck_sgemm_packed_b_floats(long k, long n, ck_kernel kernel);

/// The columns of one panel of a packed B on `kernel`'s tier (its micro-kernel's NR).
long ck_sgemm_packed_panel_columns(ck_kernel kernel);

/// The depth of the slices of k a packed B of depth `k` is cut into on `kernel`'s tier: the slice
/// starting at row p holds min(depth, k − p) rows of every panel, and starts p × (n rounded up to
/// whole panels) floats in.
long ck_sgemm_packed_slice_depth(long k, ck_kernel kernel);

/// Packs B[k×n] (row stride `ldb`; or, when `transpose_b` is non-zero, the transpose of B[n×k])
/// once, for many products (`ck_sgemm_packed`) on the same tier `kernel`: for each slice of k the
/// driver cuts, its panels of NR columns one after another, each 64-byte aligned when `packed` is.
/// `packed` holds `ck_sgemm_packed_b_floats(k, n, kernel)` floats, 64-byte aligned.
void ck_sgemm_pack_b(long k, long n, const float *b, long ldb, int transpose_b, float *packed, ck_kernel kernel);

/// `ck_sgemm` with B packed ahead by `ck_sgemm_pack_b(k, n, …, kernel)`: the same arithmetic in
/// the same order, so the same bits as the product with B as given, without packing B.
void ck_sgemm_packed(long m, long n, long k, const float *a, long lda, const float *packed_b,
                     float *c, long ldc, int accumulate, ck_kernel kernel);

/// `ck_sgemm_packed` on columns `first_column ..< first_column + n` of a B packed with
/// `packed_columns` columns; `first_column` a multiple of `ck_sgemm_column_block` for `kernel`.
void ck_sgemm_packed_columns(long m, long n, long k, const float *a, long lda,
                             const float *packed_b, long packed_columns, long first_column,
                             float *c, long ldc, int accumulate, ck_kernel kernel);

/// `ck_sgemm_packed` spread over threads, as `ck_sgemm_parallel`.
void ck_sgemm_parallel_packed(long m, long n, long k, const float *a, long lda, const float *packed_b,
                              float *c, long ldc, int accumulate, long threads, ck_kernel kernel);

/// How many threads `ck_sgemm_parallel` can use at most (the online processors).
long ck_sgemm_max_threads(void);

/// One unit of parallel work: `task(context, index)`.
typedef void (*ck_task)(void *context, long index);

/// Runs `task(context, i)` for every i in 0 ..< count, on the calling thread and the pool's
/// workers, and returns when all have finished. When the pool is already running another
/// caller's tasks (or this call is nested inside one of them), everything runs on the calling
/// thread instead: it never blocks on the pool.
void ck_parallel_for(long count, ck_task task, void *context);

/// The number of threads `ck_parallel_for` can use: the online processors (at least 1).
long ck_pool_threads(void);

/// Asks the C library's allocator (glibc) to keep freed blocks for reuse rather than hand them
/// back to the kernel, so that the tensors of the next forward pass cost no page faults.
/// Does nothing with other C libraries.
void ck_keep_freed_memory(void);

// MARK: - Element-wise functions
//
// Each maps n floats x[0..<n] to y[0..<n] (y may be x itself, for an in-place update; other
// overlaps are not allowed). NaN gives NaN. Error against the exact function of the float
// input, as measured on both paths (every float in [-10, 10] at step 1e-3, exp on [-110, 90],
// and special values; Tests/TensorTests/ElementwiseKernelTests.swift allows a margin above it):
// - exp: 1 ulp (subnormal results: 1 unit of the smallest subnormal);
// - erf: 9e-8 absolute (1.5 ulp at 1);
// - GELU (erf): 1.1e-7 · max(1, |y|) (below x = -5.66, where the exact value is smaller than
//   5e-8 in magnitude, the result is 0);
// - GELU (tanh): 1.3e-7 · max(1, |y|);
// - SiLU: 2.4 ulp while e^-|x| is a normal float (|x| < 87.3), 1.3e-43 absolute beyond.
//
// The coefficients come from Sources/CKernels/fit_elementwise.py.
//
// Arrays of at least `ck_elementwise_parallel_threshold()` elements are split into contiguous
// chunks (multiples of 64 elements) run on the thread pool; the result does not depend on the
// split (every element is computed the same way wherever it falls).

/// One element-wise function.
typedef enum {
    /// e^x: 0 for x below about -103.97 (and exactly 0 for -inf), +inf above about 88.72.
    CK_UNARY_EXP = 0,
    /// The error function: ±1 beyond |x| = 4 (where 1 - erf(4) is below half an ulp of 1).
    CK_UNARY_ERF = 1,
    /// GELU, erf form: x/2 · (1 + erf(x/√2)); 0 at -inf, +inf at +inf.
    CK_UNARY_GELU_ERF = 2,
    /// GELU, tanh form: x/2 · (1 + tanh(√(2/π)·(x + 0.044715·x³))), computed as x·σ(2u) with
    /// u the tanh argument; 0 at -inf, +inf at +inf.
    CK_UNARY_GELU_TANH = 3,
    /// SiLU: x·σ(x) = x / (1 + e^-x); 0 at -inf, +inf at +inf.
    CK_UNARY_SILU = 4,
} ck_unary;

/// y = f(x) element-wise, with a kernel choice and a thread count: `threads` <= 0 decides by
/// size (one thread below `ck_elementwise_parallel_threshold()` elements, else all of the
/// pool's); `threads` >= 1 splits into that many chunks whatever the size (for tests).
void ck_unary_apply(ck_unary function, const float *x, float *y, long n,
                    ck_kernel kernel, long threads);

/// Arrays shorter than this run on the calling thread alone.
long ck_elementwise_parallel_threshold(void);

/// y = e^x element-wise (see `CK_UNARY_EXP`), on the best kernel, threaded by size.
void ck_exp(const float *x, float *y, long n);

/// y = erf(x) element-wise (see `CK_UNARY_ERF`), on the best kernel, threaded by size.
void ck_erf(const float *x, float *y, long n);

/// y = x/2 · (1 + erf(x/√2)) element-wise (see `CK_UNARY_GELU_ERF`).
void ck_gelu_erf(const float *x, float *y, long n);

/// y = x/2 · (1 + tanh(√(2/π)·(x + 0.044715·x³))) element-wise (see `CK_UNARY_GELU_TANH`).
void ck_gelu_tanh(const float *x, float *y, long n);

/// y = x / (1 + e^-x) element-wise (see `CK_UNARY_SILU`).
void ck_silu(const float *x, float *y, long n);

/// Softmax of each of `rows` rows of `n` floats (row-major, contiguous): the row's maximum is
/// subtracted, the exponentials are scaled by the inverse of their sum. `-inf` entries give exactly 0; a row
/// that is entirely `-inf` gives all 0; a row with +inf or NaN gives NaN. y may be x itself.
/// Rows are split between threads when rows·n reaches `ck_elementwise_parallel_threshold()`.
void ck_softmax_rows(const float *x, float *y, long rows, long n);

/// LayerNorm of each of `rows` contiguous rows of `d` floats (Ba et al. 2016):
/// y = (x - mean) / sqrt(var + eps) · weight + bias, with the biased variance computed around the
/// mean (two passes). `weight` and `bias` hold d floats; `bias` may be NULL (no bias). y may be x.
/// Kernel and threads as in `ck_unary_apply` (the split is by whole rows).
void ck_layer_norm_rows(const float *x, float *y, long rows, long d, const float *weight,
                        const float *bias, float eps, ck_kernel kernel, long threads);

/// RMSNorm of each of `rows` contiguous rows of `d` floats (Zhang & Sennrich 2019):
/// y = x / sqrt(mean(x²) + eps) · weight. y may be x. Kernel and threads as in `ck_unary_apply`.
void ck_rms_norm_rows(const float *x, float *y, long rows, long d, const float *weight, float eps,
                      ck_kernel kernel, long threads);

/// `ck_softmax_rows` with a kernel choice and a thread count (as in `ck_unary_apply`; the
/// split is by whole rows).
void ck_softmax_rows_with(const float *x, float *y, long rows, long n,
                          ck_kernel kernel, long threads);

// MARK: - Quantized weights (GGUF blocks)
//
// A quantized weight matrix W[n×k] is n rows of k values, each row k / block-size blocks of codes
// with their scales, exactly as a GGUF file stores it; it is read in place, never widened whole.

/// The block types read here, numbered as GGUF's `ggml_type`.
typedef enum {
    CK_QUANT_F32 = 0, CK_QUANT_F16 = 1, CK_QUANT_Q4_0 = 2, CK_QUANT_Q4_1 = 3,
    CK_QUANT_Q5_0 = 6, CK_QUANT_Q5_1 = 7, CK_QUANT_Q8_0 = 8,
    CK_QUANT_Q4_K = 12, CK_QUANT_Q5_K = 13, CK_QUANT_Q6_K = 14, CK_QUANT_BF16 = 30,
} ck_quant_type;

/// Widens `blocks` consecutive blocks of `type` at `src` to floats at `dst` (blocks × block size
/// of them: 1 for F32/F16/BF16, 32 for Q4_0…Q8_0, 256 for the k-quants), bit for bit as ggml's
/// `dequantize_row_*`. Returns 0, or -1 for a type not in `ck_quant_type`. Single-threaded.
int ck_dequantize(int type, const void *src, float *dst, long blocks, ck_kernel kernel);

/// C[m×n] = A[m×k] · Wᵀ, W[n×k] a quantized matrix of `type` whose rows are `row_bytes` apart
/// (k must be a multiple of the block size). Panels of W's rows are widened into a small buffer
/// per task (about 512 KiB: 32 to `ck_quantized_panel_rows()` rows × k floats) and multiplied there
/// by the float gemm, so the weights are never held widened. For a few rows of A (m ≤ 12: a
/// generation step, a short sentence) each row of W is instead widened 1024 values at a time into an L1 buffer and
/// dotted there with A's rows, reading every weight once. Runs on the thread pool. Returns 0, or -1
/// for an unknown type or when a panel cannot be allocated.
int ck_quantized_matmul(long m, long n, long k, const float *a, long lda,
                        const void *w, long row_bytes, int type,
                        float *c, long ldc, ck_kernel kernel);

/// The most rows of W one task widens at once (256; fewer for long rows).
long ck_quantized_panel_rows(void);

#ifdef __cplusplus
}
#endif


#endif
