/// The quantized-block loops compiled for AVX2+FMA through function attributes only; handed out by
/// the dispatch table only where the CPU has AVX2+FMA.
#include "dispatch.h"

#ifdef CK_HAVE_X86_KERNELS
#define CK_Q_TARGET __attribute__((target("avx2,fma")))
#define CK_Q_FMA 1
#define CK_Q_KERNELS ck_quantized_avx2_fma
#include "quantized_impl.h"
#endif
