/// Declarations shared by the quantized-weight dispatcher and its per-instruction-set loops
/// (not part of the public API).
#ifndef CK_QUANTIZED_INTERNAL_H
#define CK_QUANTIZED_INTERNAL_H

#include "CKernels.h"
#include "dispatch.h"

#include <stdint.h>

/// One instruction set's quantized-block loops (single-threaded).
struct ck_quantized_kernels {
    /// Widens `blocks` consecutive blocks of `type` (a `ck_quant_type`) at `src` to floats at `dst`
    /// (blocks × the type's block size of them). Returns 0, or -1 for a type it does not read.
    int (*dequantize)(int type, const void *src, float *dst, long blocks);
};

/// The portable loops (plain C; the compiler vectorises them for the baseline ISA).
extern const ck_quantized_kernels ck_quantized_portable;

#ifdef CK_HAVE_X86_KERNELS
/// The same loops compiled for AVX2+FMA (and F16C for the half-float scales).
extern const ck_quantized_kernels ck_quantized_avx2_fma;
/// The same loops compiled for AVX-512.
extern const ck_quantized_kernels ck_quantized_avx512;
#endif

#endif
