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

/// Bytes and values of one block of `type` (a `ck_quant_type`); 0 and 0 for a type the kernels do
/// not read.
static inline void ck_q_block_shape(int type, long *bytes, long *values) {
    switch (type) {
    case CK_QUANT_F32: *bytes = 4; *values = 1; return;
    case CK_QUANT_F16: case CK_QUANT_BF16: *bytes = 2; *values = 1; return;
    case CK_QUANT_Q8_0: *bytes = 34; *values = 32; return;
    case CK_QUANT_Q4_0: *bytes = 18; *values = 32; return;
    case CK_QUANT_Q4_1: *bytes = 20; *values = 32; return;
    case CK_QUANT_Q5_0: *bytes = 22; *values = 32; return;
    case CK_QUANT_Q5_1: *bytes = 24; *values = 32; return;
    case CK_QUANT_Q4_K: *bytes = 144; *values = 256; return;
    case CK_QUANT_Q5_K: *bytes = 176; *values = 256; return;
    case CK_QUANT_Q6_K: *bytes = 210; *values = 256; return;
    default: *bytes = 0; *values = 0; return;
    }
}

/// One instruction set's quantized-block loops (single-threaded).
struct ck_quantized_kernels {
    /// Widens `blocks` consecutive blocks of `type` (a `ck_quant_type`) at `src` to floats at `dst`
    /// (blocks × the type's block size of them). Returns 0, or -1 for a type it does not read.
    int (*dequantize)(int type, const void *src, float *dst, long blocks);
    /// C[i, j] = Σ_k A[i, k] · W[j, k] for i < m and the `rows` rows of W at `w` (`row_bytes` apart,
    /// `k` values each): the product for a few rows of A (a generation step's single token), which
    /// reads each weight once. Q8_0, Q4_0, Q4_1, Q4_K, Q5_K and Q6_K blocks are dotted where they lie,
    /// as runs of 32 codes with a scale and an offset; other types are widened a chunk at a time into
    /// a buffer that stays in L1. Returns 0, or -1 for an unknown type.
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
