/// The kernel dispatch table: which code runs on this CPU, decided once.
///
/// Design
/// ------
/// - Tiers, ordered: `CK_KERNEL_PORTABLE` < `CK_KERNEL_AVX2_FMA` < `CK_KERNEL_AVX512`. Each tier
///   has one `ck_kernel_table` (dispatch.h): the float gemm's micro-kernels with their tile and
///   cache-block sizes, the element-wise loops, and the quantized kernels' slot. Every slot of
///   every table is filled: a tier without its own version of a kernel points at the next lower
///   tier's, so callers never test for NULL.
/// - The CPU is read once (`ck_cpu`): CPUID for the instructions, XGETBV for the register state
///   the OS saves on a context switch (XMM+YMM for AVX2; also the opmask and both halves of the
///   32 ZMM registers for AVX-512). An instruction set counts only when both agree.
///   AVX2+FMA needs AVX, AVX2, FMA; AVX-512 needs F, BW, DQ and VL as well (Skylake-SP and
///   later, Zen 4 and later). Optional extras that a kernel may use inside a tier (VNNI's
///   8-bit dot products for quantized blocks, F16C for half floats) are in `ck_cpu_features`:
///   test them when filling that tier's table below, not in the kernel's inner loop.
/// - A request (`ck_kernel`, passed down from Swift's `GemmKernel`) resolves to a table:
///   `CK_KERNEL_AUTO` is the best tier the CPU supports, lowered by `EXPLORER_KERNEL`
///   (portable|avx2|avx512, read once) when set; a named tier runs as itself where the CPU has
///   it, else as the best lower tier (so a test asking for AVX-512 on an AVX2 machine runs AVX2:
///   `ck_kernel_supported` says so, and the tests skip rather than pass vacuously).
/// - Kernels for a tier are compiled with function attributes (`target("avx2,fma")`, or
///   `target("avx512f,avx512bw,avx512dq,avx512vl,...")`), never a global -march: the rest of
///   the binary is baseline x86-64 and runs anywhere; a tier's code is called only through its
///   table, and its table is handed out only after the check above.
///
/// Adding a kernel (e.g. a GGUF Q8_0 / Q4_K matrix product): declare its function-pointer slots
/// in a struct of its own (`struct ck_quantized_kernels` in a quantized_internal.h), write one
/// instance per tier that pays (portable C first; it is the reference the tests compare the
/// others with), point the `quantized` slot of each table below at the best instance at or
/// below that tier, and call it through `ck_kernels(kernel)->quantized->…`. Tests run every
/// tier through the `ck_kernel` argument and compare with the portable tier.
#include "dispatch.h"
#include "elementwise_internal.h"
#include "gemm_internal.h"
#include "quantized_internal.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef CK_HAVE_X86_KERNELS
#include <cpuid.h>
#endif

// MARK: - The CPU

#ifdef CK_HAVE_X86_KERNELS
/// XCR0: which register states the OS saves (XGETBV with ECX = 0). Only call it when CPUID
/// reports OSXSAVE.
static uint64_t read_xcr0(void) {
    uint32_t low, high;
    __asm__ volatile("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
    return ((uint64_t)high << 32) | low;
}

/// XCR0 bits: SSE (1) and AVX (2) state; AVX-512's opmask (5), upper halves of ZMM0–15 (6) and
/// ZMM16–31 (7).
#define CK_XCR0_YMM 0x06u
#define CK_XCR0_ZMM 0xE6u

static ck_cpu_features detect(void) {
    ck_cpu_features f = {0};
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return f;
    const int osxsave = (c >> 27) & 1, avx = (c >> 28) & 1, fma = (c >> 12) & 1, f16c = (c >> 29) & 1;
    const uint64_t xcr0 = osxsave ? read_xcr0() : 0;
    const int os_ymm = (xcr0 & CK_XCR0_YMM) == CK_XCR0_YMM;
    const int os_zmm = (xcr0 & CK_XCR0_ZMM) == CK_XCR0_ZMM;
    unsigned b7 = 0, c7 = 0, a71 = 0;
    if (__get_cpuid_max(0, NULL) >= 7) {
        unsigned a7, d7;
        __cpuid_count(7, 0, a7, b7, c7, d7);
        unsigned b71, c71, d71;
        __cpuid_count(7, 1, a71, b71, c71, d71);
    }
    if (os_ymm && avx) {
        f.avx2 = (b7 >> 5) & 1;
        f.fma = fma;
        f.f16c = f16c;
        f.avx_vnni = (a71 >> 4) & 1;
    }
    if (os_zmm && avx) {
        f.avx512f = (b7 >> 16) & 1;
        f.avx512dq = (b7 >> 17) & 1;
        f.avx512bw = (b7 >> 30) & 1;
        f.avx512vl = (b7 >> 31) & 1;
        f.avx512vnni = (c7 >> 11) & 1;
    }
    return f;
}
#else
static ck_cpu_features detect(void) { return (ck_cpu_features){0}; }
#endif

static ck_cpu_features cpu_features;
static ck_kernel cpu_best = CK_KERNEL_PORTABLE;
static ck_kernel auto_choice = CK_KERNEL_PORTABLE;
static pthread_once_t detect_once = PTHREAD_ONCE_INIT;
/// The table `CK_KERNEL_AUTO` resolves to, NULL until first asked: every product asks, so after
/// the first this is one load (a small product lasts only ~100 ns).
static const ck_kernel_table *auto_table;

static void detect_once_body(void) {
    cpu_features = detect();
    const ck_cpu_features *f = &cpu_features;
    if (f->avx2 && f->fma) cpu_best = CK_KERNEL_AVX2_FMA;
    if (cpu_best == CK_KERNEL_AVX2_FMA && f->avx512f && f->avx512bw && f->avx512dq && f->avx512vl)
        cpu_best = CK_KERNEL_AVX512;
    const ck_kernel asked = ck_kernel_named(getenv("EXPLORER_KERNEL"));
    auto_choice = asked != CK_KERNEL_AUTO && asked < cpu_best ? asked : cpu_best;
}

const ck_cpu_features *ck_cpu(void) {
    pthread_once(&detect_once, detect_once_body);
    return &cpu_features;
}

ck_kernel ck_cpu_best_kernel(void) {
    pthread_once(&detect_once, detect_once_body);
    return cpu_best;
}

ck_kernel ck_sgemm_best_kernel(void) {
    pthread_once(&detect_once, detect_once_body);
    return auto_choice;
}

ck_kernel ck_kernel_named(const char *name) {
    if (!name) return CK_KERNEL_AUTO;
    if (strcmp(name, "portable") == 0) return CK_KERNEL_PORTABLE;
    if (strcmp(name, "avx2") == 0 || strcmp(name, "avx2-fma") == 0) return CK_KERNEL_AVX2_FMA;
    if (strcmp(name, "avx512") == 0) return CK_KERNEL_AVX512;
    return CK_KERNEL_AUTO;
}

// MARK: - The tables

static const ck_kernel_table portable_table = {
    .tier = CK_KERNEL_PORTABLE,
    .name = "portable",
    .gemm = &ck_gemm_portable,
    .elementwise = &ck_elementwise_portable,
    .quantized = &ck_quantized_portable,
};

#ifdef CK_HAVE_X86_KERNELS
static const ck_kernel_table avx2_fma_table = {
    .tier = CK_KERNEL_AVX2_FMA,
    .name = "avx2-fma",
    .gemm = &ck_gemm_avx2_fma,
    .elementwise = &ck_elementwise_avx2_fma,
    .quantized = &ck_quantized_avx2_fma,
};

static const ck_kernel_table avx512_table = {
    .tier = CK_KERNEL_AVX512,
    .name = "avx512",
    .gemm = &ck_gemm_avx512,
    .elementwise = &ck_elementwise_avx512,
    .quantized = &ck_quantized_avx512,
};

static const ck_kernel_table avx512_tiles_on_avx2_table = {
    .tier = CK_KERNEL_AVX512_TILES_ON_AVX2,
    .name = "avx512-tiles-on-avx2",
    .gemm = &ck_gemm_avx512_tiles_on_avx2,
    .elementwise = &ck_elementwise_avx2_fma,
    .quantized = &ck_quantized_avx2_fma,
};
#endif

ck_kernel ck_resolve_kernel(ck_kernel requested) {
    const ck_kernel best = ck_cpu_best_kernel();
    switch (requested) {
    case CK_KERNEL_AUTO: return ck_sgemm_best_kernel();
    case CK_KERNEL_PORTABLE: return CK_KERNEL_PORTABLE;
    case CK_KERNEL_AVX2_FMA: return best < CK_KERNEL_AVX2_FMA ? best : CK_KERNEL_AVX2_FMA;
    case CK_KERNEL_AVX512: return best;
    case CK_KERNEL_AVX512_TILES_ON_AVX2:
        return best >= CK_KERNEL_AVX2_FMA ? CK_KERNEL_AVX512_TILES_ON_AVX2 : best;
    }
    return best < CK_KERNEL_AVX2_FMA ? best : ck_sgemm_best_kernel();
}

int ck_kernel_supported(ck_kernel kernel) {
    return kernel == CK_KERNEL_AUTO || ck_resolve_kernel(kernel) == kernel;
}

static const ck_kernel_table *table_of(ck_kernel tier);

const ck_kernel_table *ck_kernels(ck_kernel requested) {
    if (requested == CK_KERNEL_AUTO) {
        const ck_kernel_table *table = __atomic_load_n(&auto_table, __ATOMIC_ACQUIRE);
        if (!table) {
            table = table_of(ck_sgemm_best_kernel());
            __atomic_store_n(&auto_table, table, __ATOMIC_RELEASE);
        }
        return table;
    }
    return table_of(ck_resolve_kernel(requested));
}

static const ck_kernel_table *table_of(ck_kernel tier) {
    switch (tier) {
#ifdef CK_HAVE_X86_KERNELS
    case CK_KERNEL_AVX512: return &avx512_table;
    case CK_KERNEL_AVX2_FMA: return &avx2_fma_table;
    case CK_KERNEL_AVX512_TILES_ON_AVX2: return &avx512_tiles_on_avx2_table;
#endif
    default: return &portable_table;
    }
}

const char *ck_sgemm_kernel_name(ck_kernel kernel) { return ck_kernels(kernel)->name; }
