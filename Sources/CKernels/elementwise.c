/// The element-wise entry points: the choice of instruction set, and the split of large arrays
/// between the pool's threads.
#include "CKernels.h"
#include "elementwise_internal.h"
#include "thread_pool.h"

#include <stddef.h>

/// Below this many elements an array runs on the caller alone: the element-wise kernels do
/// about 1–3 elements per nanosecond, so 16 Ki elements is ~10 µs, well above the ~1 µs it
/// takes to hand a task to a spinning worker.
#define CK_EW_PARALLEL_THRESHOLD 16384
/// Chunks start at multiples of this many elements (whole vectors, whole cache lines).
#define CK_EW_CHUNK_ALIGN 64

long ck_elementwise_parallel_threshold(void) { return CK_EW_PARALLEL_THRESHOLD; }

static const ck_elementwise_kernels *kernels_for(ck_kernel kernel) {
#ifdef CK_HAVE_AVX2_FMA_KERNEL
    if (ck_resolve_kernel(kernel) == CK_KERNEL_AVX2_FMA) return &ck_elementwise_avx2_fma;
#else
    (void)kernel;
#endif
    return &ck_elementwise_portable;
}

/// How many parts `items` items (of `size` elements each) are split into.
static long parts_for(long items, long size, long threads) {
    if (threads <= 0) threads = items * size >= CK_EW_PARALLEL_THRESHOLD ? ck_pool_threads() : 1;
    return threads < items ? threads : items;
}

/// One array (or rows of one) split into consecutive parts of `part` items (elements or rows).
typedef struct {
    const ck_elementwise_kernels *kernels;
    ck_unary function;
    const float *x;
    float *y;
    long items, size, part;
} split_job;

static void run_unary_part(void *context, long index) {
    const split_job *job = context;
    const long start = index * job->part;
    const long count = job->items - start < job->part ? job->items - start : job->part;
    job->kernels->unary[job->function](job->x + start, job->y + start, count);
}

static void run_softmax_part(void *context, long index) {
    const split_job *job = context;
    const long start = index * job->part;
    const long rows = job->items - start < job->part ? job->items - start : job->part;
    job->kernels->softmax_rows(job->x + start * job->size, job->y + start * job->size, rows, job->size);
}

void ck_unary_apply(ck_unary function, const float *x, float *y, long n,
                    ck_kernel kernel, long threads) {
    if (n <= 0 || (unsigned)function >= CK_UNARY_COUNT) return;
    const ck_elementwise_kernels *kernels = kernels_for(kernel);
    // Parts are counted in aligned blocks, so every chunk but the last is whole blocks.
    const long blocks = (n + CK_EW_CHUNK_ALIGN - 1) / CK_EW_CHUNK_ALIGN;
    const long parts = parts_for(blocks, CK_EW_CHUNK_ALIGN, threads);
    if (parts <= 1) {
        kernels->unary[function](x, y, n);
        return;
    }
    const long part = (blocks + parts - 1) / parts * CK_EW_CHUNK_ALIGN;
    split_job job = {.kernels = kernels, .function = function, .x = x, .y = y,
                     .items = n, .size = 1, .part = part};
    ck_parallel_for((n + part - 1) / part, run_unary_part, &job);
}

void ck_softmax_rows_with(const float *x, float *y, long rows, long n,
                          ck_kernel kernel, long threads) {
    if (rows <= 0 || n <= 0) return;
    const ck_elementwise_kernels *kernels = kernels_for(kernel);
    const long parts = parts_for(rows, n, threads);
    if (parts <= 1) {
        kernels->softmax_rows(x, y, rows, n);
        return;
    }
    const long part = (rows + parts - 1) / parts;
    split_job job = {.kernels = kernels, .x = x, .y = y, .items = rows, .size = n, .part = part};
    ck_parallel_for((rows + part - 1) / part, run_softmax_part, &job);
}

/// Rows of a norm split into consecutive parts of `part` rows.
typedef struct {
    const ck_elementwise_kernels *kernels;
    const float *x, *weight, *bias;
    float *y;
    long rows, d, part;
    float eps;
    int rms;
} norm_job;

static void run_norm_part(void *context, long index) {
    const norm_job *job = context;
    const long start = index * job->part;
    const long rows = job->rows - start < job->part ? job->rows - start : job->part;
    job->kernels->norm_rows(job->x + start * job->d, job->y + start * job->d, rows, job->d,
                            job->weight, job->bias, job->eps, job->rms);
}

static void norm_rows_with(const float *x, float *y, long rows, long d, const float *weight,
                           const float *bias, float eps, int rms, ck_kernel kernel, long threads) {
    if (rows <= 0 || d <= 0) return;
    const ck_elementwise_kernels *kernels = kernels_for(kernel);
    const long parts = parts_for(rows, d, threads);
    if (parts <= 1) {
        kernels->norm_rows(x, y, rows, d, weight, bias, eps, rms);
        return;
    }
    const long part = (rows + parts - 1) / parts;
    norm_job job = {.kernels = kernels, .x = x, .weight = weight, .bias = bias, .y = y,
                    .rows = rows, .d = d, .part = part, .eps = eps, .rms = rms};
    ck_parallel_for((rows + part - 1) / part, run_norm_part, &job);
}

void ck_layer_norm_rows(const float *x, float *y, long rows, long d, const float *weight,
                        const float *bias, float eps, ck_kernel kernel, long threads) {
    norm_rows_with(x, y, rows, d, weight, bias, eps, 0, kernel, threads);
}

void ck_rms_norm_rows(const float *x, float *y, long rows, long d, const float *weight, float eps,
                      ck_kernel kernel, long threads) {
    norm_rows_with(x, y, rows, d, weight, NULL, eps, 1, kernel, threads);
}

void ck_exp(const float *x, float *y, long n) { ck_unary_apply(CK_UNARY_EXP, x, y, n, CK_KERNEL_AUTO, 0); }
void ck_erf(const float *x, float *y, long n) { ck_unary_apply(CK_UNARY_ERF, x, y, n, CK_KERNEL_AUTO, 0); }
void ck_gelu_erf(const float *x, float *y, long n) {
    ck_unary_apply(CK_UNARY_GELU_ERF, x, y, n, CK_KERNEL_AUTO, 0);
}
void ck_gelu_tanh(const float *x, float *y, long n) {
    ck_unary_apply(CK_UNARY_GELU_TANH, x, y, n, CK_KERNEL_AUTO, 0);
}
void ck_silu(const float *x, float *y, long n) { ck_unary_apply(CK_UNARY_SILU, x, y, n, CK_KERNEL_AUTO, 0); }

void ck_softmax_rows(const float *x, float *y, long rows, long n) {
    ck_softmax_rows_with(x, y, rows, n, CK_KERNEL_AUTO, 0);
}
