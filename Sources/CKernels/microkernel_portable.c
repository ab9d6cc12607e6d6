/// The portable micro-kernels: plain C that any compiler vectorises for its baseline ISA
/// (SSE2 on x86-64, NEON on arm64). Used where AVX2+FMA is missing, and in tests.
#include "gemm_internal.h"

#include <string.h>

/// Rows and columns of the tile (the compiler keeps what it can of it in registers).
#define CK_MR 6
#define CK_NR 16

/// The tile for a compile-time row count, so the accumulators stay fixed-size.
static inline __attribute__((always_inline))
void portable_tile(const int mr, long kc, const float *ap, const float *bp,
                   float *c, long ldc, int accumulate) {
    float acc[CK_MR][CK_NR] = {{0}};
    for (long p = 0; p < kc; p++) {
        const float *brow = bp + p * CK_NR;
        for (int i = 0; i < mr; i++) {
            const float ai = ap[p * mr + i];
            for (int j = 0; j < CK_NR; j++) acc[i][j] += ai * brow[j];
        }
    }
    for (int i = 0; i < mr; i++) {
        float *crow = c + i * ldc;
        if (accumulate) {
            for (int j = 0; j < CK_NR; j++) crow[j] += acc[i][j];
        } else {
            for (int j = 0; j < CK_NR; j++) crow[j] = acc[i][j];
        }
    }
}

static void portable_compute(long kc, const float *ap, const float *bp,
                             float *c, long ldc, int accumulate, int mr) {
    switch (mr) {
    case 6: portable_tile(6, kc, ap, bp, c, ldc, accumulate); break;
    case 5: portable_tile(5, kc, ap, bp, c, ldc, accumulate); break;
    case 4: portable_tile(4, kc, ap, bp, c, ldc, accumulate); break;
    case 3: portable_tile(3, kc, ap, bp, c, ldc, accumulate); break;
    case 2: portable_tile(2, kc, ap, bp, c, ldc, accumulate); break;
    default: portable_tile(1, kc, ap, bp, c, ldc, accumulate); break;
    }
}

/// Packs the panel first, then runs the ordinary kernel on it.
static void portable_compute_packing_b(long kc, const float *ap, const float *b, long ldb,
                                       float *bp, float *c, long ldc, int accumulate, int mr) {
    for (long p = 0; p < kc; p++) memcpy(bp + p * CK_NR, b + p * ldb, CK_NR * sizeof(float));
    portable_compute(kc, ap, bp, c, ldc, accumulate, mr);
}

const ck_gemm_kernels ck_gemm_portable = {
    .mr = CK_MR, .nr = CK_NR, .kc = 256, .mc = 144, .nc = 4096,
    .compute = portable_compute,
    .compute_packing_b = portable_compute_packing_b,
};
