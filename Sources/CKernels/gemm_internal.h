/// Declarations shared by the GEMM driver and its micro-kernels (not part of the public API).
#ifndef CK_GEMM_INTERNAL_H
#define CK_GEMM_INTERNAL_H

#include "dispatch.h"

/// The most rows and columns of C any tier's micro-kernel computes in one call (the driver's
/// scratch tile for edge columns has this size).
#define CK_MAX_MR 16
#define CK_MAX_NR 32

/// A micro-kernel: C[mr×nr] = (or += when `accumulate`) Ap · Bp, where nr is its table's `nr` and
/// - `ap` is a packed A panel: for each of the `kc` steps, `mr` consecutive floats (one per row);
/// - `bp` is a packed B panel: for each of the `kc` steps, nr consecutive floats, 64-byte aligned;
/// - `c` has row stride `ldc`; 1 <= mr <= the table's `mr`, kc >= 1.
typedef void (*ck_microkernel)(long kc, const float *ap, const float *bp,
                               float *c, long ldc, int accumulate, int mr);

/// A micro-kernel that reads B unpacked and packs it on the way: like `ck_microkernel`, but the
/// nr columns of B come from `b` (row stride `ldb`), and are also written to `bp` in packed
/// layout, so the following tiles of the same columns can run from `bp`.
typedef void (*ck_microkernel_packing_b)(long kc, const float *ap, const float *b, long ldb,
                                         float *bp, float *c, long ldc, int accumulate, int mr);

/// The float matrix product of one tier: its micro-kernels, the tile they compute, and the
/// cache blocks the driver packs for them.
struct ck_gemm_kernels {
    /// Rows (at most) and columns (always; narrower edges go through a scratch tile) of C per
    /// micro-kernel call; mr <= CK_MAX_MR, nr <= CK_MAX_NR, nr a multiple of 16.
    int mr, nr;
    /// Depth of one packed slice of k (a kc×nr panel of B stays in L1), rows of A packed at
    /// once (mc×kc floats stay in L2), columns of B packed at once (kc×nc in L3).
    long kc, mc, nc;
    ck_microkernel compute;
    ck_microkernel_packing_b compute_packing_b;
};

/// The portable micro-kernels (plain C; the compiler vectorises them for the baseline ISA).
extern const ck_gemm_kernels ck_gemm_portable;

#ifdef CK_HAVE_X86_KERNELS
/// The AVX2+FMA micro-kernels: a 6×16 tile. Only run them where the CPU has AVX2+FMA.
extern const ck_gemm_kernels ck_gemm_avx2_fma;
/// The AVX-512 micro-kernels: a 12×32 tile. Only run them where the CPU has AVX-512 F/BW/DQ/VL.
extern const ck_gemm_kernels ck_gemm_avx512;
/// The same 12×32 tiles compiled for AVX2+FMA, for tests on machines without AVX-512.
extern const ck_gemm_kernels ck_gemm_avx512_tiles_on_avx2;
#endif

#endif
