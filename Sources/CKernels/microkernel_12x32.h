/// The micro-kernels of the AVX-512 tier: a 12×32 tile of C held in 24 vectors of 16 floats
/// (of the 32 ZMM registers, 24 accumulate, 2 hold the k step's row of B, the rest are free for
/// the broadcasts of A), written once with the compiler's vector types.
///
/// Included by microkernel_avx512.c (the real tier) and microkernel_avx512_on_avx2.c (the same
/// tiles compiled for AVX2+FMA, where each vector is split into two YMM registers and the tile
/// spills: slow, but it runs the AVX-512 tier's blocking, packing and edges on any AVX2 machine,
/// so the tests check them there too). Each includer defines
/// - `CK_WIDE_TARGET`: the function attribute (`__attribute__((target(...)))`), and
/// - `CK_WIDE_TABLE`: the name of the `ck_gemm_kernels` it defines.
#include "gemm_internal.h"

/// Rows and columns of the tile; columns are two vectors of 16.
#define CK_WIDE_MR 12
#define CK_WIDE_NR 32

/// How many k steps ahead the packing kernel prefetches rows of unpacked B.
#define CK_WIDE_B_PREFETCH_ROWS 16
/// How many k steps ahead (two 64-byte lines each) the kernel prefetches packed B: 4 KiB, the
/// distance that the AVX2 tier measured best for weights streamed from memory at a few rows
/// (microkernel_avx2_fma.c); not yet measured on an AVX-512 machine.
#define CK_WIDE_PACKED_PREFETCH_STEPS 32

/// 16 floats, 64-byte aligned (the packed panels); may alias floats.
typedef float ck_f32x16 __attribute__((vector_size(64), __may_alias__));
/// 16 floats at any float-aligned address (rows of C, unpacked B).
typedef float ck_f32x16u __attribute__((vector_size(64), aligned(4), __may_alias__));

#define CK_WIDE_INLINE static inline __attribute__((always_inline)) CK_WIDE_TARGET

CK_WIDE_INLINE ck_f32x16 wide_splat(float x) {
    return (ck_f32x16){x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x};
}
CK_WIDE_INLINE ck_f32x16 wide_load(const float *p) { return *(const ck_f32x16 *)p; }
CK_WIDE_INLINE ck_f32x16 wide_load_unaligned(const float *p) { return *(const ck_f32x16u *)p; }
CK_WIDE_INLINE void wide_store(float *p, ck_f32x16 v) { *(ck_f32x16 *)p = v; }
CK_WIDE_INLINE void wide_store_unaligned(float *p, ck_f32x16 v) { *(ck_f32x16u *)p = v; }

/// One k step: two vectors of B (from the packed panel, or from B itself, then stored packed),
/// one broadcast of A per row, two FMAs per row.
#define CK_WIDE_STEP(P)                                                                   \
    do {                                                                                  \
        ck_f32x16 b0, b1;                                                                 \
        if (packing) {                                                                    \
            const float *row = b + (P) * ldb;                                             \
            b0 = wide_load_unaligned(row);                                                \
            b1 = wide_load_unaligned(row + 16);                                           \
            wide_store(bp + (P) * CK_WIDE_NR, b0);                                        \
            wide_store(bp + (P) * CK_WIDE_NR + 16, b1);                                   \
        } else {                                                                          \
            b0 = wide_load(bp + (P) * CK_WIDE_NR);                                        \
            b1 = wide_load(bp + (P) * CK_WIDE_NR + 16);                                   \
        }                                                                                 \
        _Pragma("clang loop unroll(full)")                                                \
        for (int i = 0; i < mr; i++) {                                                    \
            const ck_f32x16 ai = wide_splat(ap[(P) * mr + i]);                            \
            acc[i][0] = __builtin_elementwise_fma(ai, b0, acc[i][0]);                     \
            acc[i][1] = __builtin_elementwise_fma(ai, b1, acc[i][1]);                     \
        }                                                                                 \
    } while (0)

/// The tile for a compile-time row count and B source. The loops over rows are unrolled by
/// pragma: left to the compiler at -O2, clang unrolled the 11- and 12-row tiles only after it had
/// placed the accumulators and kept all 22 or 24 of them in memory (a load and a store around
/// every FMA of the inner loop; SwiftPM's release build, at -O3, happened not to); unrolled
/// first, they stay in 24 of the 32 ZMM registers at -O2, -O3 and -Os alike.
/// With `packing`, B comes from `b` (row stride `ldb`) and is copied to `bp` as it is read.
CK_WIDE_INLINE void wide_tile(const int mr, const int packing, long kc, const float *ap,
                              const float *b, long ldb, float *bp, float *c, long ldc, int accumulate) {
    ck_f32x16 acc[CK_WIDE_MR][2];
#pragma clang loop unroll(full)
    for (int i = 0; i < mr; i++) {
        acc[i][0] = wide_splat(0.0f);
        acc[i][1] = wide_splat(0.0f);
        __builtin_prefetch(c + i * ldc, 1, 3);
        __builtin_prefetch(c + i * ldc + 31, 1, 3);
    }
    long p = 0;
    for (; p + 4 <= kc; p += 4) {
        if (packing) {
            for (int r = 0; r < 4; r++) {
                const float *ahead = b + (CK_WIDE_B_PREFETCH_ROWS + r) * ldb;
                __builtin_prefetch(ahead, 0, 3);
                __builtin_prefetch(ahead + 31, 0, 3);
            }
        } else {
            for (int r = 0; r < 8; r++)
                __builtin_prefetch(bp + CK_WIDE_PACKED_PREFETCH_STEPS * CK_WIDE_NR + 16 * r, 0, 3);
        }
        // The next four steps of A: 4·mr floats, up to three cache lines.
        __builtin_prefetch(ap + 8 * mr, 0, 3);
        __builtin_prefetch(ap + 8 * mr + 16, 0, 3);
        __builtin_prefetch(ap + 8 * mr + 32, 0, 3);
        CK_WIDE_STEP(0);
        CK_WIDE_STEP(1);
        CK_WIDE_STEP(2);
        CK_WIDE_STEP(3);
        ap += 4 * mr;
        bp += 4 * CK_WIDE_NR;
        if (packing) b += 4 * ldb;
    }
    for (; p < kc; p++) {
        CK_WIDE_STEP(0);
        ap += mr;
        bp += CK_WIDE_NR;
        if (packing) b += ldb;
    }
#pragma clang loop unroll(full)
    for (int i = 0; i < mr; i++) {
        float *crow = c + i * ldc;
        if (accumulate) {
            acc[i][0] += wide_load_unaligned(crow);
            acc[i][1] += wide_load_unaligned(crow + 16);
        }
        wide_store_unaligned(crow, acc[i][0]);
        wide_store_unaligned(crow + 16, acc[i][1]);
    }
}

/// Instantiates `wide_tile` for each row count 1...CK_WIDE_MR.
#define CK_WIDE_ROWS(PACKING, B, LDB, BP)                                                    \
    switch (mr) {                                                                            \
    case 12: wide_tile(12, PACKING, kc, ap, B, LDB, BP, c, ldc, accumulate); break;          \
    case 11: wide_tile(11, PACKING, kc, ap, B, LDB, BP, c, ldc, accumulate); break;          \
    case 10: wide_tile(10, PACKING, kc, ap, B, LDB, BP, c, ldc, accumulate); break;          \
    case 9: wide_tile(9, PACKING, kc, ap, B, LDB, BP, c, ldc, accumulate); break;            \
    case 8: wide_tile(8, PACKING, kc, ap, B, LDB, BP, c, ldc, accumulate); break;            \
    case 7: wide_tile(7, PACKING, kc, ap, B, LDB, BP, c, ldc, accumulate); break;            \
    case 6: wide_tile(6, PACKING, kc, ap, B, LDB, BP, c, ldc, accumulate); break;            \
    case 5: wide_tile(5, PACKING, kc, ap, B, LDB, BP, c, ldc, accumulate); break;            \
    case 4: wide_tile(4, PACKING, kc, ap, B, LDB, BP, c, ldc, accumulate); break;            \
    case 3: wide_tile(3, PACKING, kc, ap, B, LDB, BP, c, ldc, accumulate); break;            \
    case 2: wide_tile(2, PACKING, kc, ap, B, LDB, BP, c, ldc, accumulate); break;            \
    default: wide_tile(1, PACKING, kc, ap, B, LDB, BP, c, ldc, accumulate); break;           \
    }

static CK_WIDE_TARGET void wide_compute(long kc, const float *ap, const float *bp,
                                        float *c, long ldc, int accumulate, int mr) {
    CK_WIDE_ROWS(0, (const float *)0, 0, (float *)bp)
}

static CK_WIDE_TARGET void wide_compute_packing_b(long kc, const float *ap, const float *b, long ldb,
                                                  float *bp, float *c, long ldc, int accumulate, int mr) {
    CK_WIDE_ROWS(1, b, ldb, bp)
}

/// A 16 KiB panel of B (128×32 floats) stays in L1 (32 KiB or more on every AVX-512 core) while
/// 12-row panels of A stream from a 240×128 block (120 KiB) in L2. Chosen from the cache sizes,
/// not yet tuned by measurement on an AVX-512 machine.
const ck_gemm_kernels CK_WIDE_TABLE = {
    .mr = CK_WIDE_MR, .nr = CK_WIDE_NR, .kc = 128, .mc = 240, .nc = 4096,
    .compute = wide_compute,
    .compute_packing_b = wide_compute_packing_b,
};
