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

static const ck_elementwise_kernels *kernels_for(ck_kernel kernel) { return ck_kernels(kernel)->elementwise; }

/// How many parts `items` items (of `size` elements each) are split into.
static long parts_for(long items, long size, long threads) {
    if (threads <= 0) threads = items * size >= CK_EW_PARALLEL_THRESHOLD ? ck_pool_threads() : 1;
    return threads < items ? threads : items;
}

/// Work on rows: `run(context, first, count)` handles rows first ..< first + count.
typedef void (*rows_task)(const void *context, long first, long count);

/// Rows split into consecutive parts of `part` rows.
typedef struct {
    rows_task run;
    const void *context;
    long rows, part;
} rows_job;

static void run_rows_part(void *context, long index) {
    const rows_job *job = context;
    const long first = index * job->part;
    job->run(job->context, first, job->rows - first < job->part ? job->rows - first : job->part);
}

/// Runs `run` over `rows` rows of `size` elements: on the caller, or split by whole rows between
/// threads (`threads` as in `ck_unary_apply`).
static void for_rows(long rows, long size, long threads, rows_task run, const void *context) {
    const long parts = parts_for(rows, size, threads);
    if (parts <= 1) {
        run(context, 0, rows);
        return;
    }
    const long part = (rows + parts - 1) / parts;
    rows_job job = {.run = run, .context = context, .rows = rows, .part = part};
    ck_parallel_for((rows + part - 1) / part, run_rows_part, &job);
}

/// An element-wise function over n floats, handled in blocks of CK_EW_CHUNK_ALIGN (the last one
/// shorter), so that every part but the last is whole blocks.
typedef struct {
    const ck_elementwise_kernels *kernels;
    ck_unary function;
    const float *x;
    float *y;
    long n;
} unary_job;

static void run_unary(const void *context, long first, long count) {
    const unary_job *job = context;
    const long start = first * CK_EW_CHUNK_ALIGN;
    const long end = (first + count) * CK_EW_CHUNK_ALIGN;
    job->kernels->unary[job->function](job->x + start, job->y + start, (end < job->n ? end : job->n) - start);
}

void ck_unary_apply(ck_unary function, const float *x, float *y, long n,
                    ck_kernel kernel, long threads) {
    if (n <= 0 || (unsigned)function >= CK_UNARY_COUNT) return;
    unary_job job = {.kernels = kernels_for(kernel), .function = function, .x = x, .y = y, .n = n};
    for_rows((n + CK_EW_CHUNK_ALIGN - 1) / CK_EW_CHUNK_ALIGN, CK_EW_CHUNK_ALIGN, threads, run_unary, &job);
}

/// Softmax rows of n floats.
typedef struct {
    const ck_elementwise_kernels *kernels;
    const float *x;
    float *y;
    long n;
} softmax_job;

static void run_softmax(const void *context, long first, long count) {
    const softmax_job *job = context;
    job->kernels->softmax_rows(job->x + first * job->n, job->y + first * job->n, count, job->n);
}

void ck_softmax_rows_with(const float *x, float *y, long rows, long n,
                          ck_kernel kernel, long threads) {
    if (rows <= 0 || n <= 0) return;
    softmax_job job = {.kernels = kernels_for(kernel), .x = x, .y = y, .n = n};
    for_rows(rows, n, threads, run_softmax, &job);
}

/// LayerNorm (or RMSNorm) rows of d floats.
typedef struct {
    const ck_elementwise_kernels *kernels;
    const float *x, *weight, *bias;
    float *y;
    long d;
    float eps;
    int rms;
} norm_job;

static void run_norm(const void *context, long first, long count) {
    const norm_job *job = context;
    job->kernels->norm_rows(job->x + first * job->d, job->y + first * job->d, count, job->d,
                            job->weight, job->bias, job->eps, job->rms);
}

static void norm_rows_with(const float *x, float *y, long rows, long d, const float *weight,
                           const float *bias, float eps, int rms, ck_kernel kernel, long threads) {
    if (rows <= 0 || d <= 0) return;
    norm_job job = {.kernels = kernels_for(kernel), .x = x, .weight = weight, .bias = bias, .y = y,
                    .d = d, .eps = eps, .rms = rms};
    for_rows(rows, d, threads, run_norm, &job);
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
