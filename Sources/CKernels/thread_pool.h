/// The worker pool behind `ck_parallel_for` (declared in CKernels.h, with `ck_task`).
#ifndef CK_THREAD_POOL_H
#define CK_THREAD_POOL_H

#include "CKernels.h"

#endif
