/// The run-time choice of kernels (not part of the public API): see dispatch.c for the design.
#ifndef CK_DISPATCH_H
#define CK_DISPATCH_H

#include "CKernels.h"

#if defined(__x86_64__) || defined(_M_X64)
/// This build has the x86-64 kernels (AVX2+FMA and AVX-512), compiled through function
/// attributes only; they run only where the CPU and the OS support them.
#define CK_HAVE_X86_KERNELS 1
#endif

typedef struct ck_gemm_kernels ck_gemm_kernels;               // gemm_internal.h
typedef struct ck_elementwise_kernels ck_elementwise_kernels; // elementwise_internal.h
/// The quantized-weight kernels (GGUF blocks): defined in quantized_internal.h.
typedef struct ck_quantized_kernels ck_quantized_kernels;

/// Everything that runs on one instruction set: one table per tier, every slot filled (a tier
/// without its own version of a kernel points at the next lower tier's).
typedef struct {
    /// Which tier this is (`CK_KERNEL_PORTABLE`, `CK_KERNEL_AVX2_FMA`, `CK_KERNEL_AVX512`).
    ck_kernel tier;
    /// Its short name: "portable", "avx2-fma", "avx512".
    const char *name;
    /// The float matrix product's micro-kernels with their tile and cache-block sizes.
    const ck_gemm_kernels *gemm;
    /// exp, erf, GELU, SiLU, softmax, norms.
    const ck_elementwise_kernels *elementwise;
    /// Widening GGUF's quantized blocks (the quantized matrix product's inner loop).
    const ck_quantized_kernels *quantized;
} ck_kernel_table;

/// What the CPU and the OS support, read once (CPUID, and XGETBV for the register state the OS
/// saves). A feature is set only when the OS saves the registers it needs.
typedef struct {
    int avx2, fma, f16c;
    int avx512f, avx512bw, avx512dq, avx512vl, avx512vnni;
    /// AVX-VNNI (the VEX-encoded dot products of Alder Lake / Zen 5 on 256-bit registers).
    int avx_vnni;
} ck_cpu_features;

/// This CPU's features (detected at the first call; then a read of a constant).
const ck_cpu_features *ck_cpu(void);

/// The table to run for a request: `CK_KERNEL_AUTO` is the best tier the CPU supports, lowered
/// by `EXPLORER_KERNEL` when set; a named tier is that one, or the best lower one the CPU has.
const ck_kernel_table *ck_kernels(ck_kernel requested);

/// The tier a request resolves to (the `tier` of `ck_kernels(requested)`).
ck_kernel ck_resolve_kernel(ck_kernel requested);

#endif
