/// Run-time CPU feature detection for choosing a kernel.
#include "cpu_features.h"

int ck_cpu_has_avx2_fma(void) {
#if defined(CK_HAVE_AVX2_FMA_KERNEL) && (defined(__GNUC__) || defined(__clang__))
    // __builtin_cpu_supports also checks that the OS saves the YMM registers (XSAVE/OSXSAVE).
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
}

/// The kernel CK_KERNEL_AUTO resolves to; -1 until first asked (a benign, idempotent race).
static int best_kernel = -1;

ck_kernel ck_sgemm_best_kernel(void) {
    int best = __atomic_load_n(&best_kernel, __ATOMIC_RELAXED);
    if (best < 0) {
        best = ck_cpu_has_avx2_fma() ? CK_KERNEL_AVX2_FMA : CK_KERNEL_PORTABLE;
        __atomic_store_n(&best_kernel, best, __ATOMIC_RELAXED);
    }
    return (ck_kernel)best;
}

ck_kernel ck_resolve_kernel(ck_kernel requested) {
    if (requested == CK_KERNEL_PORTABLE) return CK_KERNEL_PORTABLE;
    return ck_sgemm_best_kernel();
}

const char *ck_sgemm_kernel_name(ck_kernel kernel) {
    return ck_resolve_kernel(kernel) == CK_KERNEL_AVX2_FMA ? "avx2-fma" : "portable";
}
