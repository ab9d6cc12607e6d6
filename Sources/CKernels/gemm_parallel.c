/// Splitting one product between threads: independent column (or row) ranges of C.
#include "CKernels.h"
#include "gemm_internal.h"
#include "thread_pool.h"

#include <stddef.h>

/// One product and how it is cut into parts.
typedef struct {
    long m, n, k;
    const float *a;
    long lda;
    const float *b;
    long ldb;
    int transpose_b;
    /// B packed ahead (`ck_sgemm_pack_b`), n columns wide; then `b` is not read.
    const float *packed_b;
    float *c;
    long ldc;
    int accumulate;
    ck_kernel kernel;
    /// Cut along columns (else rows), `part` columns (rows) per part.
    int split_columns;
    long part;
} split_product;

static void run_part(void *context, long index) {
    const split_product *p = context;
    const long start = index * p->part;
    if (p->split_columns) {
        const long width = p->n - start < p->part ? p->n - start : p->part;
        if (p->packed_b) {
            ck_sgemm_packed_columns(p->m, width, p->k, p->a, p->lda, p->packed_b, p->n, start, p->c + start,
                                    p->ldc, p->accumulate, p->kernel);
            return;
        }
        // Columns of the product are rows of B when B comes transposed.
        const float *b = p->transpose_b ? p->b + start * p->ldb : p->b + start;
        ck_sgemm_transposing(p->m, width, p->k, p->a, p->lda, b, p->ldb, p->transpose_b, p->c + start, p->ldc,
                             p->accumulate, p->kernel);
    } else {
        const long height = p->m - start < p->part ? p->m - start : p->part;
        if (p->packed_b) {
            ck_sgemm_packed(height, p->n, p->k, p->a + start * p->lda, p->lda, p->packed_b,
                            p->c + start * p->ldc, p->ldc, p->accumulate, p->kernel);
            return;
        }
        ck_sgemm_transposing(height, p->n, p->k, p->a + start * p->lda, p->lda, p->b, p->ldb, p->transpose_b,
                             p->c + start * p->ldc, p->ldc, p->accumulate, p->kernel);
    }
}

long ck_sgemm_max_threads(void) { return ck_pool_threads(); }

void ck_sgemm_parallel(long m, long n, long k,
                       const float *a, long lda,
                       const float *b, long ldb,
                       float *c, long ldc,
                       int accumulate, long threads, ck_kernel kernel) {
    ck_sgemm_parallel_transposing(m, n, k, a, lda, b, ldb, 0, c, ldc, accumulate, threads, kernel);
}

/// Either product (B as given, or `packed_b`) spread over up to `threads` threads.
static void sgemm_parallel(long m, long n, long k, const float *a, long lda, const float *b, long ldb,
                           int transpose_b, const float *packed_b, float *c, long ldc, int accumulate,
                           long threads, ck_kernel kernel) {
    const int split_columns = n >= m;
    const long extent = split_columns ? n : m;
    const ck_gemm_kernels *kernels = ck_kernels(kernel)->gemm;
    const long block = split_columns ? kernels->nr : kernels->mr;
    if (threads > extent / block) threads = extent / block;
    if (threads <= 1 || k <= 0) {
        if (packed_b) {
            ck_sgemm_packed(m, n, k, a, lda, packed_b, c, ldc, accumulate, kernel);
        } else {
            ck_sgemm_transposing(m, n, k, a, lda, b, ldb, transpose_b, c, ldc, accumulate, kernel);
        }
        return;
    }
    const long share = (extent + threads - 1) / threads;
    const long part = (share + block - 1) / block * block;
    split_product product = {
        .m = m, .n = n, .k = k, .a = a, .lda = lda, .b = b, .ldb = ldb, .transpose_b = transpose_b, .packed_b = packed_b, .c = c, .ldc = ldc,
        .accumulate = accumulate, .kernel = kernel, .split_columns = split_columns, .part = part,
    };
    ck_parallel_for((extent + part - 1) / part, run_part, &product);
}

void ck_sgemm_parallel_transposing(long m, long n, long k,
                                   const float *a, long lda,
                                   const float *b, long ldb, int transpose_b,
                                   float *c, long ldc,
                                   int accumulate, long threads, ck_kernel kernel) {
    sgemm_parallel(m, n, k, a, lda, b, ldb, transpose_b, NULL, c, ldc, accumulate, threads, kernel);
}

void ck_sgemm_parallel_packed(long m, long n, long k, const float *a, long lda, const float *packed_b,
                              float *c, long ldc, int accumulate, long threads, ck_kernel kernel) {
    sgemm_parallel(m, n, k, a, lda, NULL, 0, 0, packed_b, c, ldc, accumulate, threads, kernel);
}
