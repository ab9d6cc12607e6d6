/// The element-wise kernels compiled for AVX2+FMA through function attributes only (the rest
/// of the binary stays baseline x86-64); chosen only after `ck_cpu_has_avx2_fma()` said yes.
#include "cpu_features.h"

#ifdef CK_HAVE_AVX2_FMA_KERNEL
#define CK_EW_TARGET __attribute__((target("avx2,fma")))
#define CK_EW_KERNELS ck_elementwise_avx2_fma
#include "elementwise_impl.h"
#endif
