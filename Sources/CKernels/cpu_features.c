/// Run-time CPU feature detection for choosing a micro-kernel.
#include "gemm_internal.h"

int ck_cpu_has_avx2_fma(void) {
#if defined(CK_HAVE_AVX2_FMA_KERNEL) && (defined(__GNUC__) || defined(__clang__))
    // __builtin_cpu_supports also checks that the OS saves the YMM registers (XSAVE/OSXSAVE).
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
}
