/// The AVX2+FMA micro-kernels: a 6×16 tile of C held in twelve YMM registers.
///
/// Compiled for AVX2+FMA through function attributes only (the rest of the binary stays
/// baseline x86-64); the dispatch table hands them out only where the CPU has AVX2+FMA.
#include "gemm_internal.h"

#ifdef CK_HAVE_X86_KERNELS
#include <immintrin.h>

/// Rows and columns of the tile (twelve accumulators of 8 floats).
#define CK_MR 6
#define CK_NR 16

#define CK_AVX2 __attribute__((target("avx2,fma")))

/// How many k steps ahead the packing kernel prefetches rows of unpacked B.
#define CK_B_PREFETCH_ROWS 16
/// How many k steps (64-byte lines of a packed panel) ahead the kernel prefetches packed B: 4 KiB,
/// about a DRAM latency of this loop's reading. At a few rows of A (a short sentence) the product
/// streams the weights from memory once; prefetching every line this far ahead, rather than two
/// lines in four at 8 and 10 steps, took the 24 products of MiniLM's six layers at 8 rows from
/// 1.75–1.83 ms to 1.27–1.39 ms, at 12 rows from 2.06–2.21 to 1.48–1.55, at 64 from 7.9–8.6 to
/// 7.5–8.2 (2 threads, Zen 3; 16 and 32 steps gained less, 128 no more).
#define CK_PACKED_PREFETCH_STEPS 64

/// One k step: two vectors of B (from the packed panel, or from B itself, then stored packed),
/// one broadcast of A per row, two FMAs per row.
#define CK_STEP(P)                                                              \
    do {                                                                        \
        __m256 b0, b1;                                                          \
        if (packing) {                                                          \
            const float *row = b + (P) * ldb;                                   \
            b0 = _mm256_loadu_ps(row);                                          \
            b1 = _mm256_loadu_ps(row + 8);                                      \
            _mm256_store_ps(bp + (P) * CK_NR, b0);                              \
            _mm256_store_ps(bp + (P) * CK_NR + 8, b1);                          \
        } else {                                                                \
            b0 = _mm256_load_ps(bp + (P) * CK_NR);                              \
            b1 = _mm256_load_ps(bp + (P) * CK_NR + 8);                          \
        }                                                                       \
        for (int i = 0; i < mr; i++) {                                          \
            const __m256 ai = _mm256_broadcast_ss(ap + (P) * mr + i);           \
            acc[i][0] = _mm256_fmadd_ps(ai, b0, acc[i][0]);                     \
            acc[i][1] = _mm256_fmadd_ps(ai, b1, acc[i][1]);                     \
        }                                                                       \
    } while (0)

/// The tile for a compile-time row count and B source (the loops over rows unroll away).
/// With `packing`, B comes from `b` (row stride `ldb`) and is copied to `bp` as it is read.
static inline __attribute__((always_inline)) CK_AVX2
void avx2_tile(const int mr, const int packing, long kc, const float *ap,
               const float *b, long ldb, float *bp, float *c, long ldc, int accumulate) {
    __m256 acc[CK_MR][2];
    for (int i = 0; i < mr; i++) {
        acc[i][0] = _mm256_setzero_ps();
        acc[i][1] = _mm256_setzero_ps();
        _mm_prefetch((const char *)(c + i * ldc), _MM_HINT_T0);
        _mm_prefetch((const char *)(c + i * ldc + 15), _MM_HINT_T0);
    }
    long p = 0;
    for (; p + 4 <= kc; p += 4) {
        if (packing) {
            for (int r = 0; r < 4; r++) {
                const float *ahead = b + (CK_B_PREFETCH_ROWS + r) * ldb;
                _mm_prefetch((const char *)ahead, _MM_HINT_T0);
                _mm_prefetch((const char *)(ahead + 15), _MM_HINT_T0);
            }
        } else {
            for (int r = 0; r < 4; r++)
                _mm_prefetch((const char *)(bp + (CK_PACKED_PREFETCH_STEPS + r) * CK_NR), _MM_HINT_T0);
        }
        CK_STEP(0);
        CK_STEP(1);
        CK_STEP(2);
        CK_STEP(3);
        ap += 4 * mr;
        bp += 4 * CK_NR;
        if (packing) b += 4 * ldb;
    }
    for (; p < kc; p++) {
        CK_STEP(0);
        ap += mr;
        bp += CK_NR;
        if (packing) b += ldb;
    }
    for (int i = 0; i < mr; i++) {
        float *crow = c + i * ldc;
        if (accumulate) {
            acc[i][0] = _mm256_add_ps(acc[i][0], _mm256_loadu_ps(crow));
            acc[i][1] = _mm256_add_ps(acc[i][1], _mm256_loadu_ps(crow + 8));
        }
        _mm256_storeu_ps(crow, acc[i][0]);
        _mm256_storeu_ps(crow + 8, acc[i][1]);
    }
}

/// Instantiates `avx2_tile` for each row count 1...CK_MR.
#define CK_DISPATCH_ROWS(PACKING, B, LDB, BP)                                                  \
    switch (mr) {                                                                              \
    case 6: avx2_tile(6, PACKING, kc, ap, B, LDB, BP, c, ldc, accumulate); break;              \
    case 5: avx2_tile(5, PACKING, kc, ap, B, LDB, BP, c, ldc, accumulate); break;              \
    case 4: avx2_tile(4, PACKING, kc, ap, B, LDB, BP, c, ldc, accumulate); break;              \
    case 3: avx2_tile(3, PACKING, kc, ap, B, LDB, BP, c, ldc, accumulate); break;              \
    case 2: avx2_tile(2, PACKING, kc, ap, B, LDB, BP, c, ldc, accumulate); break;              \
    default: avx2_tile(1, PACKING, kc, ap, B, LDB, BP, c, ldc, accumulate); break;             \
    }

CK_AVX2
static void avx2_compute(long kc, const float *ap, const float *bp,
                         float *c, long ldc, int accumulate, int mr) {
    CK_DISPATCH_ROWS(0, NULL, 0, (float *)bp)
}

CK_AVX2
static void avx2_compute_packing_b(long kc, const float *ap, const float *b, long ldb,
                                   float *bp, float *c, long ldc, int accumulate, int mr) {
    CK_DISPATCH_ROWS(1, b, ldb, bp)
}

/// A 16 KiB panel of B (256×16 floats) in L1, 144×256 floats of A (144 KiB) in L2.
const ck_gemm_kernels ck_gemm_avx2_fma = {
    .mr = CK_MR, .nr = CK_NR, .kc = 256, .mc = 144, .nc = 4096,
    .compute = avx2_compute,
    .compute_packing_b = avx2_compute_packing_b,
};

#endif
