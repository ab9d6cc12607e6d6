/// The quantized-block loops compiled for AVX-512 through function attributes only; handed out by
/// the dispatch table only where the CPU has AVX-512 F/BW/DQ/VL.
#include "dispatch.h"

#ifdef CK_HAVE_X86_KERNELS
#define CK_Q_TARGET __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,avx2,fma")))
#define CK_Q_FMA 1
#define CK_Q_KERNELS ck_quantized_avx512
#include "quantized_impl.h"
#endif
