/// The element-wise kernels for the baseline instruction set (SSE2 on x86-64): always correct,
/// used where AVX2+FMA is missing, and in tests.
#define CK_EW_TARGET
#define CK_EW_KERNELS ck_elementwise_portable
#include "elementwise_impl.h"
