/// The quantized matrix product: widen a panel of W's rows into a per-task buffer, multiply it
/// there with the float gemm, go on to the next panel (llama.cpp's way of never holding the
/// weights as floats). Dispatch through the table's `quantized` slot.
#include "CKernels.h"
#include "dispatch.h"
#include "quantized_internal.h"

#include <stdlib.h>

/// A panel holds about this many floats (512 KiB, within a core's L2 here): wide enough that the
/// gemm's packing of A is paid over many columns, small enough to stay in cache.
#define CK_PANEL_FLOATS 131072
/// Rows of W per panel: at least 32, at most 256, a multiple of 16.
#define CK_PANEL_MIN 32
#define CK_PANEL_MAX 256

long ck_quantized_panel_rows(void) { return CK_PANEL_MAX; }

/// The panel height for rows of k values.
static long panel_rows(long k) {
    long rows = CK_PANEL_FLOATS / (k > 0 ? k : 1) / 16 * 16;
    return rows < CK_PANEL_MIN ? CK_PANEL_MIN : rows > CK_PANEL_MAX ? CK_PANEL_MAX : rows;
}

int ck_dequantize(int type, const void *src, float *dst, long blocks, ck_kernel kernel) {
    return ck_kernels(kernel)->quantized->dequantize(type, src, dst, blocks);
}

/// One product C = A·Wᵀ cut into tasks of `rows` of W's rows (columns of C) each: panels widened
/// and multiplied by the gemm (`run_panel`), or runs read in place by the few-rows loops (`run_rows`).
typedef struct {
    long m, n, k;
    const float *a;
    long lda;
    const unsigned char *w;
    long row_bytes;
    int type;
    float *c;
    long ldc;
    ck_kernel kernel;
    const ck_quantized_kernels *loops;
    /// W's rows a task takes (the last task may take fewer).
    long rows;
    long blocks_per_row;
    /// Set by a task that could not allocate its panel.
    int failed;
} quantized_product;

/// The first of task `index`'s rows of W, and how many it takes.
static long task_rows(const quantized_product *p, long index, long *first) {
    *first = index * p->rows;
    return p->n - *first < p->rows ? p->n - *first : p->rows;
}

static void run_panel(void *context, long index) {
    quantized_product *p = context;
    long first;
    const long rows = task_rows(p, index, &first);
    float *panel = malloc((size_t)rows * (size_t)p->k * sizeof(float));
    if (!panel) {
        __atomic_store_n(&p->failed, 1, __ATOMIC_RELAXED);
        return;
    }
    for (long r = 0; r < rows; r++) {
        p->loops->dequantize(p->type, p->w + (first + r) * p->row_bytes, panel + r * p->k, p->blocks_per_row);
    }
    ck_sgemm_transposing(p->m, rows, p->k, p->a, p->lda, panel, p->k, 1, p->c + first, p->ldc, 0, p->kernel);
    free(panel);
}

/// A product for at most this many rows of A widens each weight row once and takes its dot
/// products with every row of A (`rows_product`); a taller A goes through panels and the gemm,
/// whose packing pays off over many rows.
#define CK_ROWS_PRODUCT_MAX_M CK_Q_FEW_ROWS

static void run_rows(void *context, long index) {
    quantized_product *p = context;
    long first;
    const long rows = task_rows(p, index, &first);
    p->loops->rows_product(p->type, p->w + first * p->row_bytes, p->row_bytes, rows, p->k,
                           p->a, p->lda, p->m, p->c + first, p->ldc);
}

/// Runs of W's rows for `ck_parallel_for`: one run when the product is under 2^17 multiply-adds
/// (waking a worker costs more), else four per thread so a late thread does not hold up the rest.
static long rows_runs(long m, long n, long k) {
    if (m * n * k < (1L << 17)) return 1;
    long runs = 4 * ck_pool_threads();
    return runs > n ? n : runs;
}

int ck_quantized_matmul(long m, long n, long k, const float *a, long lda,
                        const void *w, long row_bytes, int type,
                        float *c, long ldc, ck_kernel kernel) {
    long bytes, values;
    ck_q_block_shape(type, &bytes, &values);
    if (values == 0 || k % values != 0) return -1;
    if (m <= 0 || n <= 0) return 0;
    quantized_product product = {
        .m = m, .n = n, .k = k, .a = a, .lda = lda, .w = w, .row_bytes = row_bytes, .type = type,
        .c = c, .ldc = ldc, .kernel = kernel, .loops = ck_kernels(kernel)->quantized,
        .blocks_per_row = k / values, .failed = 0,
    };
    if (m <= CK_ROWS_PRODUCT_MAX_M) {
        const long runs = rows_runs(m, n, k);
        product.rows = (n + runs - 1) / runs;
        ck_parallel_for((n + product.rows - 1) / product.rows, run_rows, &product);
        return 0;
    }
    product.rows = panel_rows(k);
    ck_parallel_for((n + product.rows - 1) / product.rows, run_panel, &product);
    return product.failed ? -1 : 0;
}
