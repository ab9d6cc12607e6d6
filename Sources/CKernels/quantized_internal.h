/// Declarations shared by the quantized-weight dispatcher and its per-instruction-set loops
/// (not part of the public API).
#ifndef CK_QUANTIZED_INTERNAL_H
#define CK_QUANTIZED_INTERNAL_H

#include "CKernels.h"
#include "dispatch.h"

#include <stdint.h>

/// The most rows of A for which a product takes the few-rows path (`rows_product`): measured on
/// 1536×576 Q4_1 (2 cores, AVX2), it is 4× the panels' speed for one row, 1.7× for 8, even at 16.
#define CK_Q_FEW_ROWS 12
/// Rows of A the few-rows product multiplies together (their sums held in registers).
#define CK_Q_ROW_GROUP 4

/// One instruction set's quantized-block loops (single-threaded).
struct ck_quantized_kernels {
    /// Widens `blocks` consecutive blocks of `type` (a `ck_quant_type`) at `src` to floats at `dst`
    /// (blocks × the type's block size of them). Returns 0, or -1 for a type it does not read.
    int (*dequantize)(int type, const void *src, float *dst, long blocks);
    /// C[i, j] = Σ_k A[i, k] · W[j, k] for i < m and the `rows` rows of W at `w` (`row_bytes` apart,
    /// `k` values each): every row widened a chunk at a time into a buffer that stays in L1 and
    /// multiplied there with each of A's m rows. The product for a few rows of A (a generation
    /// step's single token), which reads each weight once. Returns 0, or -1 for an unknown type.
    int (*rows_product)(int type, const uint8_t *w, long row_bytes, long rows, long k,
                        const float *a, long lda, long m, float *c, long ldc);
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
