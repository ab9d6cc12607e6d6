/// The AVX-512 micro-kernels (12×32 tiles, microkernel_12x32.h), compiled for AVX-512 through
/// function attributes only: the rest of the binary stays baseline x86-64, and the dispatch
/// table hands these out only where the CPU and the OS support AVX-512 F/BW/DQ/VL.
#include "dispatch.h"

#ifdef CK_HAVE_X86_KERNELS
#define CK_WIDE_TARGET __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,avx2,fma")))
#define CK_WIDE_TABLE ck_gemm_avx512
#include "microkernel_12x32.h"
#endif
