/// Declarations shared by the GEMM driver and its micro-kernels (not part of the public API).
#ifndef CK_GEMM_INTERNAL_H
#define CK_GEMM_INTERNAL_H

#include "cpu_features.h"

/// Rows of C one micro-kernel call computes (at most).
#define CK_MR 6
/// Columns of C one micro-kernel call computes (always; narrower edges go through a scratch tile).
#define CK_NR 16

/// A micro-kernel: C[mr×CK_NR] = (or += when `accumulate`) Ap · Bp, where
/// - `ap` is a packed A panel: for each of the `kc` steps, `mr` consecutive floats (one per row);
/// - `bp` is a packed B panel: for each of the `kc` steps, CK_NR consecutive floats, 32-byte aligned;
/// - `c` has row stride `ldc`; 1 <= mr <= CK_MR, kc >= 1.
typedef void (*ck_microkernel)(long kc, const float *ap, const float *bp,
                               float *c, long ldc, int accumulate, int mr);

/// A micro-kernel that reads B unpacked and packs it on the way: like `ck_microkernel`, but the
/// CK_NR columns of B come from `b` (row stride `ldb`), and are also written to `bp` in packed
/// layout, so the following tiles of the same columns can run from `bp`.
typedef void (*ck_microkernel_packing_b)(long kc, const float *ap, const float *b, long ldb,
                                         float *bp, float *c, long ldc, int accumulate, int mr);

/// The micro-kernels of one instruction set.
typedef struct {
    ck_microkernel compute;
    ck_microkernel_packing_b compute_packing_b;
} ck_microkernels;

/// The portable micro-kernels (plain C; the compiler vectorises them for the baseline ISA).
extern const ck_microkernels ck_microkernels_portable;

#ifdef CK_HAVE_AVX2_FMA_KERNEL
/// The AVX2+FMA micro-kernels. Only call them where `ck_cpu_has_avx2_fma()` is true.
extern const ck_microkernels ck_microkernels_avx2_fma;
#endif

#endif
