/// The AVX-512 tier's 12×32 tiles compiled for AVX2+FMA, for tests only (`CK_KERNEL_AVX512_TILES_ON_AVX2`):
/// on a machine without AVX-512 they still run the AVX-512 tier's blocking, packing and edges.
#include "dispatch.h"

#ifdef CK_HAVE_X86_KERNELS
#define CK_WIDE_TARGET __attribute__((target("avx2,fma")))
#define CK_WIDE_TABLE ck_gemm_avx512_tiles_on_avx2
#include "microkernel_12x32.h"
#endif
