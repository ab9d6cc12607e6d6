/// The element-wise kernels compiled for AVX2+FMA through function attributes only (the rest
/// of the binary stays baseline x86-64); handed out by the dispatch table only where the CPU has AVX2+FMA.
#include "dispatch.h"

#ifdef CK_HAVE_X86_KERNELS
#define CK_EW_TARGET __attribute__((target("avx2,fma")))
#define CK_EW_KERNELS ck_elementwise_avx2_fma
#include "elementwise_impl.h"
#endif
