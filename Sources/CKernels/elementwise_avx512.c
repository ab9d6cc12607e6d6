/// The element-wise kernels compiled for AVX-512 through function attributes only (the rest of
/// the binary stays baseline x86-64); handed out by the dispatch table only where the CPU and the
/// OS support AVX-512 F/BW/DQ/VL. The same scalar source as the other tiers (elementwise_impl.h),
/// vectorised 16 floats at a time, with 16-lane reductions in softmax.
#include "dispatch.h"

#ifdef CK_HAVE_X86_KERNELS
#define CK_EW_TARGET __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,avx2,fma")))
#define CK_EW_KERNELS ck_elementwise_avx512
#define CK_EW_LANES 16
#include "elementwise_impl.h"
#endif
