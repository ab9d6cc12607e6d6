/// The quantized-block loops in plain C, for any CPU: the reference the other tiers are tested against.
#include "dispatch.h"

#define CK_Q_TARGET
#define CK_Q_KERNELS ck_quantized_portable
#include "quantized_impl.h"
