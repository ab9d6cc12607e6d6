/// Run-time choice of instruction set, shared by the gemm and the element-wise kernels
/// (not part of the public API).
#ifndef CK_CPU_FEATURES_H
#define CK_CPU_FEATURES_H

#include "CKernels.h"

#if defined(__x86_64__) || defined(_M_X64)
/// This build has AVX2+FMA kernels (compiled through function attributes, run only where
/// `ck_cpu_has_avx2_fma()` says yes).
#define CK_HAVE_AVX2_FMA_KERNEL 1
#endif

/// Whether this CPU (and OS) can run AVX2 and FMA instructions.
int ck_cpu_has_avx2_fma(void);

/// What a requested kernel really is on this CPU: `CK_KERNEL_PORTABLE` when asked for, else
/// the best one the CPU supports (never a kernel the CPU cannot run).
ck_kernel ck_resolve_kernel(ck_kernel requested);

#endif
