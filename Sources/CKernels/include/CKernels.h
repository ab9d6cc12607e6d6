/// Single-precision matrix product kernels for the Tensor module.
///
/// One blocked, packed GEMM driver (`ck_sgemm`) runs a register-tiled micro-kernel that is
/// chosen at run time: an AVX2+FMA one on x86-64 CPUs that have both, otherwise a portable
/// C one. Nothing here depends on build flags for the CPU, so one binary runs on any x86-64
/// (and the portable path builds everywhere else).
#ifndef CKERNELS_H
#define CKERNELS_H

#ifdef __cplusplus
extern "C" {
#endif

/// Which micro-kernel `ck_sgemm` runs.
typedef enum {
    /// The fastest one this CPU supports (decided once, at the first call).
    CK_KERNEL_AUTO = 0,
    /// The portable C micro-kernel, on any CPU.
    CK_KERNEL_PORTABLE = 1,
    /// The AVX2+FMA micro-kernel; falls back to the portable one where unsupported.
    CK_KERNEL_AVX2_FMA = 2,
} ck_kernel;

/// The micro-kernel `CK_KERNEL_AUTO` resolves to on this CPU.
ck_kernel ck_sgemm_best_kernel(void);

/// A short name for a kernel: "avx2-fma" or "portable" (what `kernel` actually resolves to).
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

#ifdef __cplusplus
}
#endif

#endif
