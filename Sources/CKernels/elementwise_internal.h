/// Declarations shared by the element-wise dispatcher and its per-instruction-set loops
/// (not part of the public API).
#ifndef CK_ELEMENTWISE_INTERNAL_H
#define CK_ELEMENTWISE_INTERNAL_H

#include "CKernels.h"
#include "dispatch.h"

/// How many `ck_unary` functions there are.
#define CK_UNARY_COUNT 5

/// One instruction set's element-wise loops (single-threaded, any n >= 0).
struct ck_elementwise_kernels {
    /// y[i] = f(x[i]) for i in 0 ..< n, indexed by `ck_unary`.
    void (*unary[CK_UNARY_COUNT])(const float *x, float *y, long n);
    /// Softmax of `rows` contiguous rows of n >= 1 floats.
    void (*softmax_rows)(const float *x, float *y, long rows, long n);
    /// LayerNorm (`rms` 0) or RMSNorm (`rms` 1) of `rows` contiguous rows of d >= 1 floats.
    void (*norm_rows)(const float *x, float *y, long rows, long d, const float *weight,
                      const float *bias, float eps, int rms);
};

/// The portable loops (plain C; the compiler vectorises them for the baseline ISA).
extern const ck_elementwise_kernels ck_elementwise_portable;

#ifdef CK_HAVE_X86_KERNELS
/// The same loops compiled for AVX2+FMA. Only run them where the CPU has AVX2+FMA.
extern const ck_elementwise_kernels ck_elementwise_avx2_fma;
/// The same loops compiled for AVX-512. Only run them where the CPU has AVX-512 F/BW/DQ/VL.
extern const ck_elementwise_kernels ck_elementwise_avx512;
#endif

#endif
