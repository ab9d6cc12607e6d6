/// The blocked GEMM driver: cache blocking, packing of A and B, and the loops around the
/// micro-kernel (the BLIS/Goto scheme).
///
/// For each NC-wide column block and each KC-deep slice of k: each MC-tall row block of A is
/// packed into MR-tall panels (kept in L2); then the product walks the NR-wide column panels of
/// B, and for each panel down the rows of A, one micro-kernel call per MR×NR tile of C, while the
/// panel of B stays in L1. B is packed on the fly: the first tile of each panel reads B itself
/// and writes the packed panel that the tiles below it (and the later row blocks) read, which
/// saves a separate pass over B. MR, NR, KC, MC and NC are the chosen tier's (`ck_gemm_kernels`).
///
/// A B that many products share (a weight matrix) can be packed once instead (`ck_sgemm_pack_b`):
/// every slice of k, panel after panel, in the layout the packing above writes; a product with it
/// then runs the same loops and micro-kernel with no packing of B at all.
// posix_memalign is POSIX; ask for it explicitly under strict C modes.
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include "CKernels.h"
#include "gemm_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static inline __attribute__((always_inline)) long ceil_div(long a, long b) { return (a + b - 1) / b; }
static inline __attribute__((always_inline)) long round_up(long a, long b) { return ceil_div(a, b) * b; }
static inline __attribute__((always_inline)) long min_long(long a, long b) { return a < b ? a : b; }

long ck_sgemm_column_block(void) { return ck_kernels(CK_KERNEL_AUTO)->gemm->nr; }
long ck_sgemm_row_block(void) { return ck_kernels(CK_KERNEL_AUTO)->gemm->mr; }

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

/// Packs one full panel of `mr` rows (a compile-time count where inlined into the switch below).
/// Left scalar: vectorised with gathers and shuffles it was slower (a 12×16×16 product lost a
/// fifth of its speed).
static inline __attribute__((always_inline))
void pack_a_panel(const int mr, long kc, const float *rows, long lda, float *panel) {
#if defined(__clang__)
#pragma clang loop vectorize(disable)
#endif
    for (long p = 0; p < kc; p++)
        for (int i = 0; i < mr; i++) panel[p * mr + i] = rows[i * lda + p];
}

/// Packs A[mc×kc] (row stride lda) into `tile_rows`-tall panels: panel r holds, for each k step,
/// the rows r*tile_rows ..< r*tile_rows+mr side by side (the last panel may be shorter, unpadded).
static inline __attribute__((always_inline))
void pack_a(const long tile_rows, long mc, long kc, const float *a, long lda, float *dst) {
    for (long ir = 0; ir < mc; ir += tile_rows) {
        const int mr = (int)min_long(tile_rows, mc - ir);
        const float *rows = a + ir * lda;
        float *panel = dst + ir * kc;
        switch (mr) {
        case 6: { // the AVX2 and portable tiers' rows, written out (as fast as it gets here)
            const float *r0 = rows, *r1 = r0 + lda, *r2 = r1 + lda;
            const float *r3 = r2 + lda, *r4 = r3 + lda, *r5 = r4 + lda;
            for (long p = 0; p < kc; p++) {
                float *out = panel + p * 6;
                out[0] = r0[p]; out[1] = r1[p]; out[2] = r2[p];
                out[3] = r3[p]; out[4] = r4[p]; out[5] = r5[p];
            }
            break;
        }
        case 12: pack_a_panel(12, kc, rows, lda, panel); break;
        default: pack_a_panel(mr, kc, rows, lda, panel); break;
        }
    }
}

/// Packs B[kc×nc] (row stride ldb) into nr-wide panels: panel j holds, for each k step,
/// the columns j*nr ..< j*nr+nr, the last one padded with zeros. Reads B row by row
/// (sequential memory, which the hardware prefetcher streams well).
static inline __attribute__((always_inline))
void pack_b(const long nr, long kc, long nc, const float *b, long ldb, float *dst) {
    const long full = nc / nr * nr;
    const long panel_stride = kc * nr;
    for (long p = 0; p < kc; p++) {
        const float *row = b + p * ldb;
        float *out = dst + p * nr;
        for (long jr = 0; jr < full; jr += nr, out += panel_stride)
            memcpy(out, row + jr, (size_t)nr * sizeof(float));
        if (full < nc) {
            memcpy(out, row + full, (size_t)(nc - full) * sizeof(float));
            memset(out + (nc - full), 0, (size_t)(nr - (nc - full)) * sizeof(float));
        }
    }
}

/// Packs the kc×nc block of Bᵀ whose source is B[nc×kc] (row stride ldb: row j of B is column j
/// of the product's right side) into the same nr-wide panels as `pack_b`, the last one padded
/// with zeros. Reads each row of B along its length (sequential memory).
static inline __attribute__((always_inline))
void pack_b_transposed(const long tile_columns, long kc, long nc, const float *b, long ldb, float *dst) {
    const long width = tile_columns;
    for (long jr = 0; jr < nc; jr += width) {
        const long nr = min_long(width, nc - jr);
        float *panel = dst + jr * kc;
        for (long j = 0; j < nr; j++) {
            const float *row = b + (jr + j) * ldb;
            for (long p = 0; p < kc; p++) panel[p * width + j] = row[p];
        }
        for (long j = nr; j < width; j++)
            for (long p = 0; p < kc; p++) panel[p * width + j] = 0.0f;
    }
}

// MARK: - Loops around the micro-kernel

/// Runs one tile whose columns are fewer than the kernel's nr: computes the full-width tile
/// aside and keeps the valid columns.
static void edge_tile(const ck_gemm_kernels *kernels, long kc, const float *a_panel,
                      const float *b_panel, float *tile, long ldc, int accumulate, int mr, long nr) {
    float scratch[CK_MAX_MR * CK_MAX_NR] __attribute__((aligned(64)));
    const long tile_columns = kernels->nr;
    kernels->compute(kc, a_panel, b_panel, scratch, tile_columns, 0, mr);
    for (int i = 0; i < mr; i++) {
        float *crow = tile + i * ldc;
        const float *srow = scratch + i * tile_columns;
        if (accumulate) {
            for (long j = 0; j < nr; j++) crow[j] += srow[j];
        } else {
            for (long j = 0; j < nr; j++) crow[j] = srow[j];
        }
    }
}

/// C[mc×nc] (=|+=) packed A block · packed B slice, one micro-kernel call per tile.
static inline __attribute__((always_inline))
void macro_kernel(long mc, long nc, long kc, const float *packed_a, const float *packed_b,
                  float *c, long ldc, int accumulate, const ck_gemm_kernels *kernels,
                  const long tile_rows, const long tile_columns) {
    for (long jr = 0; jr < nc; jr += tile_columns) {
        const long nr = min_long(tile_columns, nc - jr);
        const float *b_panel = packed_b + jr * kc;
        for (long ir = 0; ir < mc; ir += tile_rows) {
            const int mr = (int)min_long(tile_rows, mc - ir);
            const float *a_panel = packed_a + ir * kc;
            float *tile = c + ir * ldc + jr;
            if (nr == tile_columns) {
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
/// reuses one KC×NR buffer, which stays in L1 (enough when A is a single row block).
static inline __attribute__((always_inline))
void macro_kernel_packing_b(long mc, long nc, long kc, const float *packed_a,
                            const float *b, long ldb, float *packed_b, long panel_stride,
                            float *c, long ldc, int accumulate, const ck_gemm_kernels *kernels,
                            const long tile_rows, const long tile_columns) {
    for (long jr = 0; jr < nc; jr += tile_columns) {
        const long nr = min_long(tile_columns, nc - jr);
        float *b_panel = packed_b + jr / tile_columns * panel_stride;
        long ir = 0;
        if (nr == tile_columns) {
            const int mr = (int)min_long(tile_rows, mc);
            kernels->compute_packing_b(kc, packed_a, b + jr, ldb, b_panel, c + jr, ldc, accumulate, mr);
            ir = tile_rows;
        } else {
            pack_b(tile_columns, kc, nr, b + jr, ldb, b_panel);
        }
        // While the tiles below run from the packed panel, the next panel's rows of B are
        // fetched towards the cache, a share before each tile: its packing tile then finds them
        // there instead of waiting on memory for every row.
        const long next = jr + tile_columns;
        const long tiles = (mc - ir + tile_rows - 1) / tile_rows;
        const long share = next < nc && tiles > 0 ? (kc + tiles - 1) / tiles : 0;
        long fetched = 0;
        for (; ir < mc; ir += tile_rows) {
            const int mr = (int)min_long(tile_rows, mc - ir);
            const float *a_panel = packed_a + ir * kc;
            float *tile = c + ir * ldc + jr;
            for (long end = min_long(fetched + share, kc); fetched < end; fetched++)
                __builtin_prefetch(b + fetched * ldb + next, 0, 2);
            if (nr == tile_columns) {
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

/// The depth of the slices of k a product of depth `k` is cut into: even slices of at most
/// `kc_block` (e.g. k = 384 runs as two slices of 192 rather than 256 + 128).
static inline __attribute__((always_inline)) long slice_depth(long k, long kc_block) {
    return ceil_div(k, ceil_div(k, kc_block));
}

/// Where B is packed ahead of the product (`ck_sgemm_pack_b`): the packed matrix, its width in
/// floats (the columns rounded up to whole panels) and the first column this product reads.
typedef struct {
    const float *panels;
    long width;
    long first_column;
} prepacked_b;

/// The blocked product for one tier's tile and block sizes: inlined with the sizes as constants
/// for the tiers' own shapes (so the blocking arithmetic has no run-time divisions, which a
/// product of a few hundred nanoseconds notices), and with the table's values otherwise.
/// With `prepacked`, B comes packed (`b` and `transpose_b` are not read) and only A is packed.
static inline __attribute__((always_inline))
void blocked_sgemm(const ck_gemm_kernels *kernels, const long tile_rows, const long tile_columns,
                   const long kc_block, const long mc_block, const long nc_block,
                   long m, long n, long k, const float *a, long lda, const float *b, long ldb,
                   int transpose_b, const prepacked_b *prepacked, float *c, long ldc, int accumulate) {
    const long kc_max = slice_depth(k, kc_block);
    const long mc_max = round_up(ceil_div(m, ceil_div(m, mc_block)), tile_rows);
    const long nc_max = round_up(ceil_div(n, ceil_div(n, nc_block)), tile_columns);
    // With one block of rows, each B panel is used by one pass down A: one panel buffer will do.
    // Bᵀ is packed whole, slice by slice, before the product runs from it.
    const int single_row_block = m <= mc_max && !transpose_b;

    workspace *ws = this_thread_workspace();
    float *packed_a = reserve(&ws->a, &ws->a_capacity, min_long(mc_max, round_up(m, tile_rows)) * kc_max);
    const long b_floats = prepacked ? 0
                        : single_row_block ? tile_columns * kc_max
                                           : min_long(nc_max, round_up(n, tile_columns)) * kc_max;
    float *packed_b = prepacked ? NULL : reserve(&ws->b, &ws->b_capacity, b_floats);

    for (long jc = 0; jc < n; jc += nc_max) {
        const long nc = min_long(nc_max, n - jc);
        for (long pc = 0; pc < k; pc += kc_max) {
            const long kc = min_long(kc_max, k - pc);
            // Later slices of k add onto what the earlier ones wrote.
            const int add = accumulate || pc > 0;
            if (prepacked) {
                // The slice starts pc full rows of panels in; its panels are kc × NR floats each.
                const float *slice = prepacked->panels + pc * prepacked->width + (prepacked->first_column + jc) * kc;
                for (long ic = 0; ic < m; ic += mc_max) {
                    const long mc = min_long(mc_max, m - ic);
                    pack_a(tile_rows, mc, kc, a + ic * lda + pc, lda, packed_a);
                    macro_kernel(mc, nc, kc, packed_a, slice, c + ic * ldc + jc, ldc, add, kernels,
                                 tile_rows, tile_columns);
                }
                continue;
            }
            const float *b_slice = transpose_b ? b + jc * ldb + pc : b + pc * ldb + jc;
            if (transpose_b) pack_b_transposed(tile_columns, kc, nc, b_slice, ldb, packed_b);
            // The first row block packs the slice of B as it goes; the others reuse it.
            for (long ic = 0; ic < m; ic += mc_max) {
                const long mc = min_long(mc_max, m - ic);
                float *c_block = c + ic * ldc + jc;
                pack_a(tile_rows, mc, kc, a + ic * lda + pc, lda, packed_a);
                if (ic == 0 && !transpose_b) {
                    const long panel_stride = single_row_block ? 0 : kc * tile_columns;
                    macro_kernel_packing_b(mc, nc, kc, packed_a, b_slice, ldb, packed_b, panel_stride,
                                           c_block, ldc, add, kernels, tile_rows, tile_columns);
                } else {
                    macro_kernel(mc, nc, kc, packed_a, packed_b, c_block, ldc, add, kernels, tile_rows, tile_columns);
                }
            }
        }
    }
}

/// Either product: with B as given (`prepacked` NULL), or with B packed ahead.
static void sgemm(long m, long n, long k, const float *a, long lda, const float *b, long ldb, int transpose_b,
                  const prepacked_b *prepacked, float *c, long ldc, int accumulate, ck_kernel kernel_choice) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0) {
        // An empty sum: C = 0, or C unchanged when accumulating.
        if (!accumulate)
            for (long i = 0; i < m; i++) memset(c + i * ldc, 0, (size_t)n * sizeof(float));
        return;
    }
    const ck_gemm_kernels *g = ck_kernels(kernel_choice)->gemm;
#define CK_BLOCKED(MR, NR, KC, MC, NC) \
    blocked_sgemm(g, MR, NR, KC, MC, NC, m, n, k, a, lda, b, ldb, transpose_b, prepacked, c, ldc, accumulate)
    if (g->mr == 6 && g->nr == 16 && g->kc == 256 && g->mc == 144 && g->nc == 4096) {
        CK_BLOCKED(6, 16, 256, 144, 4096);
    } else if (g->mr == 12 && g->nr == 32 && g->kc == 128 && g->mc == 240 && g->nc == 4096) {
        CK_BLOCKED(12, 32, 128, 240, 4096);
    } else {
        CK_BLOCKED(g->mr, g->nr, g->kc, g->mc, g->nc);
    }
#undef CK_BLOCKED
}

void ck_sgemm_transposing(long m, long n, long k,
                          const float *a, long lda,
                          const float *b, long ldb, int transpose_b,
                          float *c, long ldc,
                          int accumulate, ck_kernel kernel_choice) {
    sgemm(m, n, k, a, lda, b, ldb, transpose_b, NULL, c, ldc, accumulate, kernel_choice);
}

// MARK: - B packed ahead

long ck_sgemm_packed_b_floats(long k, long n, ck_kernel kernel) {
    const long nr = ck_kernels(kernel)->gemm->nr;
    return k * round_up(n, nr);
}

long ck_sgemm_packed_panel_columns(ck_kernel kernel) { return ck_kernels(kernel)->gemm->nr; }

long ck_sgemm_packed_slice_depth(long k, ck_kernel kernel) {
    return k <= 0 ? 1 : slice_depth(k, ck_kernels(kernel)->gemm->kc);
}

void ck_sgemm_pack_b(long k, long n, const float *b, long ldb, int transpose_b, float *packed, ck_kernel kernel) {
    if (k <= 0 || n <= 0) return;
    const ck_gemm_kernels *g = ck_kernels(kernel)->gemm;
    const long nr = g->nr, width = round_up(n, nr), kc_max = slice_depth(k, g->kc);
    for (long pc = 0; pc < k; pc += kc_max) {
        const long kc = min_long(kc_max, k - pc);
        if (transpose_b) {
            pack_b_transposed(nr, kc, n, b + pc, ldb, packed + pc * width);
        } else {
            pack_b(nr, kc, n, b + pc * ldb, ldb, packed + pc * width);
        }
    }
}

void ck_sgemm_packed_columns(long m, long n, long k, const float *a, long lda,
                             const float *packed_b, long packed_columns, long first_column,
                             float *c, long ldc, int accumulate, ck_kernel kernel) {
    const long nr = ck_kernels(kernel)->gemm->nr;
    const prepacked_b prepacked = {
        .panels = packed_b, .width = round_up(packed_columns, nr), .first_column = first_column,
    };
    sgemm(m, n, k, a, lda, NULL, 0, 0, &prepacked, c, ldc, accumulate, kernel);
}

void ck_sgemm_packed(long m, long n, long k, const float *a, long lda, const float *packed_b,
                     float *c, long ldc, int accumulate, ck_kernel kernel) {
    ck_sgemm_packed_columns(m, n, k, a, lda, packed_b, n, 0, c, ldc, accumulate, kernel);
}
