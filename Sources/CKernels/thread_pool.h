/// A small pool of worker threads for splitting one product between cores (internal).
#ifndef CK_THREAD_POOL_H
#define CK_THREAD_POOL_H

/// One unit of parallel work: `task(context, index)`.
typedef void (*ck_task)(void *context, long index);

/// Runs `task(context, i)` for every i in 0 ..< count, on the calling thread and the pool's
/// workers, and returns when all have finished. When the pool is already running another
/// caller's tasks, everything runs on the calling thread instead (never blocks on it).
void ck_parallel_for(long count, ck_task task, void *context);

/// The number of threads `ck_parallel_for` can use: the online processors (at least 1).
long ck_pool_threads(void);

#endif
