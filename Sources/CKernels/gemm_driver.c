/// The blocked GEMM driver: cache blocking, packing of A and B, and the loops around the
/// micro-kernel (the BLIS/Goto scheme).
///
/// For each NC-wide column block and each KC-deep slice of k: each MC-tall row block of A is
/// packed into CK_MR-tall panels (kept in L2); then the product walks the CK_NR-wide column
/// panels of B, and for each panel down the rows of A, one micro-kernel call per CK_MR×CK_NR
/// tile of C, while the panel of B stays in L1. B is packed on the fly: the first tile of each
/// panel reads B itself and writes the packed panel that the tiles below it (and the later row
/// blocks) read, which saves a separate pass over B.
// posix_memalign is POSIX; ask for it explicitly under strict C modes.
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include "CKernels.h"
#include "gemm_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/// Depth of one packed slice (a B panel of KC×CK_NR floats is 16 KiB: it fits in L1).
#define CK_KC 256
/// Rows of A packed at once (a block of MC×KC floats is 144 KiB: it fits in L2).
#define CK_MC 144
/// Columns of B packed at once (KC×NC floats, 4 MiB: it fits in L3).
#define CK_NC 4096

static long ceil_div(long a, long b) { return (a + b - 1) / b; }
static long round_up(long a, long b) { return ceil_div(a, b) * b; }
static long min_long(long a, long b) { return a < b ? a : b; }

// MARK: - Kernel choice

static const ck_microkernels *microkernels_for(ck_kernel kernel) {
#ifdef CK_HAVE_AVX2_FMA_KERNEL
    if (ck_resolve_kernel(kernel) == CK_KERNEL_AVX2_FMA) return &ck_microkernels_avx2_fma;
#else
    (void)kernel;
#endif
    return &ck_microkernels_portable;
}

long ck_sgemm_column_block(void) { return CK_NR; }
long ck_sgemm_row_block(void) { return CK_MR; }

// MARK: - Per-thread workspace

/// Packing buffers of one thread, grown on demand and freed when the thread exits.
typedef struct {
    float *a;
    long a_capacity;
    float *b;
    long b_capacity;
} workspace;

static pthread_key_t workspace_key;
static pthread_once_t workspace_once = PTHREAD_ONCE_INIT;

static void workspace_free(void *pointer) {
    workspace *ws = pointer;
    free(ws->a);
    free(ws->b);
    free(ws);
}

static void workspace_make_key(void) { pthread_key_create(&workspace_key, workspace_free); }

static workspace *this_thread_workspace(void) {
    pthread_once(&workspace_once, workspace_make_key);
    workspace *ws = pthread_getspecific(workspace_key);
    if (!ws) {
        ws = calloc(1, sizeof *ws);
        if (!ws || pthread_setspecific(workspace_key, ws) != 0) abort();
    }
    return ws;
}

/// A 64-byte aligned buffer of at least `count` floats, reusing `*buffer` when big enough.
static float *reserve(float **buffer, long *capacity, long count) {
    if (*capacity < count) {
        free(*buffer);
        void *fresh = NULL;
        if (posix_memalign(&fresh, 64, (size_t)round_up(count, 16) * sizeof(float)) != 0) abort();
        *buffer = fresh;
        *capacity = count;
    }
    return *buffer;
}

// MARK: - Packing

/// Packs A[mc×kc] (row stride lda) into CK_MR-tall panels: panel r holds, for each k step,
/// the rows r*CK_MR ..< r*CK_MR+mr side by side (the last panel may be shorter, unpadded).
static void pack_a(long mc, long kc, const float *a, long lda, float *dst) {
    for (long ir = 0; ir < mc; ir += CK_MR) {
        const long mr = min_long(CK_MR, mc - ir);
        const float *rows = a + ir * lda;
        float *panel = dst + ir * kc;
        if (mr == CK_MR) {
            const float *r0 = rows, *r1 = r0 + lda, *r2 = r1 + lda;
            const float *r3 = r2 + lda, *r4 = r3 + lda, *r5 = r4 + lda;
            for (long p = 0; p < kc; p++) {
                float *out = panel + p * CK_MR;
                out[0] = r0[p]; out[1] = r1[p]; out[2] = r2[p];
                out[3] = r3[p]; out[4] = r4[p]; out[5] = r5[p];
            }
        } else {
            for (long p = 0; p < kc; p++)
                for (long i = 0; i < mr; i++) panel[p * mr + i] = rows[i * lda + p];
        }
    }
}

/// Packs B[kc×nc] (row stride ldb) into CK_NR-wide panels: panel j holds, for each k step,
/// the columns j*CK_NR ..< j*CK_NR+CK_NR, the last one padded with zeros. Reads B row by row
/// (sequential memory, which the hardware prefetcher streams well).
static void pack_b(long kc, long nc, const float *b, long ldb, float *dst) {
    const long full = nc / CK_NR * CK_NR;
    const long panel_stride = kc * CK_NR;
    for (long p = 0; p < kc; p++) {
        const float *row = b + p * ldb;
        float *out = dst + p * CK_NR;
        for (long jr = 0; jr < full; jr += CK_NR, out += panel_stride)
            memcpy(out, row + jr, CK_NR * sizeof(float));
        if (full < nc) {
            memcpy(out, row + full, (size_t)(nc - full) * sizeof(float));
            memset(out + (nc - full), 0, (size_t)(CK_NR - (nc - full)) * sizeof(float));
        }
    }
}

/// Packs the kc×nc block of Bᵀ whose source is B[nc×kc] (row stride ldb: row j of B is column j
/// of the product's right side) into the same CK_NR-wide panels as `pack_b`, the last one padded
/// with zeros. Reads each row of B along its length (sequential memory).
static void pack_b_transposed(long kc, long nc, const float *b, long ldb, float *dst) {
    for (long jr = 0; jr < nc; jr += CK_NR) {
        const long nr = min_long(CK_NR, nc - jr);
        float *panel = dst + jr * kc;
        for (long j = 0; j < nr; j++) {
            const float *row = b + (jr + j) * ldb;
            for (long p = 0; p < kc; p++) panel[p * CK_NR + j] = row[p];
        }
        for (long j = nr; j < CK_NR; j++)
            for (long p = 0; p < kc; p++) panel[p * CK_NR + j] = 0.0f;
    }
}

// MARK: - Loops around the micro-kernel

/// Runs one tile whose columns are fewer than CK_NR: computes the full-width tile aside and
/// keeps the valid columns.
static void edge_tile(const ck_microkernels *kernels, long kc, const float *a_panel,
                      const float *b_panel, float *tile, long ldc, int accumulate, int mr, long nr) {
    float scratch[CK_MR * CK_NR] __attribute__((aligned(64)));
    kernels->compute(kc, a_panel, b_panel, scratch, CK_NR, 0, mr);
    for (int i = 0; i < mr; i++) {
        float *crow = tile + i * ldc;
        const float *srow = scratch + i * CK_NR;
        if (accumulate) {
            for (long j = 0; j < nr; j++) crow[j] += srow[j];
        } else {
            for (long j = 0; j < nr; j++) crow[j] = srow[j];
        }
    }
}

/// C[mc×nc] (=|+=) packed A block · packed B slice, one micro-kernel call per tile.
static void macro_kernel(long mc, long nc, long kc, const float *packed_a, const float *packed_b,
                         float *c, long ldc, int accumulate, const ck_microkernels *kernels) {
    for (long jr = 0; jr < nc; jr += CK_NR) {
        const long nr = min_long(CK_NR, nc - jr);
        const float *b_panel = packed_b + jr * kc;
        for (long ir = 0; ir < mc; ir += CK_MR) {
            const int mr = (int)min_long(CK_MR, mc - ir);
            const float *a_panel = packed_a + ir * kc;
            float *tile = c + ir * ldc + jr;
            if (nr == CK_NR) {
                kernels->compute(kc, a_panel, b_panel, tile, ldc, accumulate, mr);
            } else {
                edge_tile(kernels, kc, a_panel, b_panel, tile, ldc, accumulate, mr, nr);
            }
        }
    }
}

/// Like `macro_kernel`, but B is not packed beforehand: the first tile of each column panel
/// reads B itself and packs the panel on the way, for the tiles below it (and for later row
/// blocks). Panel j goes to `packed_b + j * panel_stride`: with a stride of 0 every panel
/// reuses one KC×CK_NR buffer, which stays in L1 (enough when A is a single row block).
static void macro_kernel_packing_b(long mc, long nc, long kc, const float *packed_a,
                                   const float *b, long ldb, float *packed_b, long panel_stride,
                                   float *c, long ldc, int accumulate,
                                   const ck_microkernels *kernels) {
    for (long jr = 0; jr < nc; jr += CK_NR) {
        const long nr = min_long(CK_NR, nc - jr);
        float *b_panel = packed_b + jr / CK_NR * panel_stride;
        long ir = 0;
        if (nr == CK_NR) {
            const int mr = (int)min_long(CK_MR, mc);
            kernels->compute_packing_b(kc, packed_a, b + jr, ldb, b_panel, c + jr, ldc, accumulate, mr);
            ir = CK_MR;
        } else {
            pack_b(kc, nr, b + jr, ldb, b_panel);
        }
        // While the tiles below run from the packed panel, the next panel's rows of B are
        // fetched towards the cache, a share before each tile: its packing tile then finds them
        // there instead of waiting on memory for every row.
        const long next = jr + CK_NR;
        const long tiles = (mc - ir + CK_MR - 1) / CK_MR;
        const long share = next < nc && tiles > 0 ? (kc + tiles - 1) / tiles : 0;
        long fetched = 0;
        for (; ir < mc; ir += CK_MR) {
            const int mr = (int)min_long(CK_MR, mc - ir);
            const float *a_panel = packed_a + ir * kc;
            float *tile = c + ir * ldc + jr;
            for (long end = min_long(fetched + share, kc); fetched < end; fetched++)
                __builtin_prefetch(b + fetched * ldb + next, 0, 2);
            if (nr == CK_NR) {
                kernels->compute(kc, a_panel, b_panel, tile, ldc, accumulate, mr);
            } else {
                edge_tile(kernels, kc, a_panel, b_panel, tile, ldc, accumulate, mr, nr);
            }
        }
    }
}

void ck_sgemm(long m, long n, long k,
              const float *a, long lda,
              const float *b, long ldb,
              float *c, long ldc,
              int accumulate, ck_kernel kernel_choice) {
    ck_sgemm_transposing(m, n, k, a, lda, b, ldb, 0, c, ldc, accumulate, kernel_choice);
}

void ck_sgemm_transposing(long m, long n, long k,
                          const float *a, long lda,
                          const float *b, long ldb, int transpose_b,
                          float *c, long ldc,
                          int accumulate, ck_kernel kernel_choice) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0) {
        // An empty sum: C = 0, or C unchanged when accumulating.
        if (!accumulate)
            for (long i = 0; i < m; i++) memset(c + i * ldc, 0, (size_t)n * sizeof(float));
        return;
    }
    const ck_microkernels *kernels = microkernels_for(kernel_choice);

    // Even block sizes: e.g. k = 384 runs as two slices of 192 rather than 256 + 128.
    const long kc_max = ceil_div(k, ceil_div(k, CK_KC));
    const long mc_max = round_up(ceil_div(m, ceil_div(m, CK_MC)), CK_MR);
    const long nc_max = round_up(ceil_div(n, ceil_div(n, CK_NC)), CK_NR);
    // With one block of rows, each B panel is used by one pass down A: one panel buffer will do.
    // Bᵀ is packed whole, slice by slice, before the product runs from it.
    const int single_row_block = m <= mc_max && !transpose_b;

    workspace *ws = this_thread_workspace();
    float *packed_a = reserve(&ws->a, &ws->a_capacity, min_long(mc_max, round_up(m, CK_MR)) * kc_max);
    const long b_floats = single_row_block ? CK_NR * kc_max : min_long(nc_max, round_up(n, CK_NR)) * kc_max;
    float *packed_b = reserve(&ws->b, &ws->b_capacity, b_floats);

    for (long jc = 0; jc < n; jc += nc_max) {
        const long nc = min_long(nc_max, n - jc);
        for (long pc = 0; pc < k; pc += kc_max) {
            const long kc = min_long(kc_max, k - pc);
            // Later slices of k add onto what the earlier ones wrote.
            const int add = accumulate || pc > 0;
            const float *b_slice = transpose_b ? b + jc * ldb + pc : b + pc * ldb + jc;
            if (transpose_b) pack_b_transposed(kc, nc, b_slice, ldb, packed_b);
            // The first row block packs the slice of B as it goes; the others reuse it.
            for (long ic = 0; ic < m; ic += mc_max) {
                const long mc = min_long(mc_max, m - ic);
                float *c_block = c + ic * ldc + jc;
                pack_a(mc, kc, a + ic * lda + pc, lda, packed_a);
                if (ic == 0 && !transpose_b) {
                    const long panel_stride = single_row_block ? 0 : kc * CK_NR;
                    macro_kernel_packing_b(mc, nc, kc, packed_a, b_slice, ldb, packed_b, panel_stride,
                                           c_block, ldc, add, kernels);
                } else {
                    macro_kernel(mc, nc, kc, packed_a, packed_b, c_block, ldc, add, kernels);
                }
            }
        }
    }
}
