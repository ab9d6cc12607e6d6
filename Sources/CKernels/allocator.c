/// Allocator settings for the forward pass's tensors.
#include "CKernels.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

void ck_keep_freed_memory(void) {
#if defined(__GLIBC__)
    // Blocks up to 32 MiB come from the heap rather than their own mapping, and the heap is
    // handed back to the kernel only when more than 256 MiB of it is free.
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
}
