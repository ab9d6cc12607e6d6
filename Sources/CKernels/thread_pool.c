/// The worker pool behind `ck_parallel_for`.
///
/// A product on two cores lasts ~100 µs, so handing work over has to take about a microsecond:
/// workers spin on a shared ticket for a while after each job and only then sleep on a condition
/// variable. (Dispatch's concurrentPerform, measured on Linux, took 20–30 µs to start a second
/// thread and sometimes ran every iteration on the caller.)
///
/// Protocol: the 64-bit `ticket` holds (job generation << 32) | next task index. A thread claims
/// a task with a compare-and-swap that also checks the generation, so a worker that wakes late
/// can never claim a task of a newer job with a stale view of an older one; and the caller
/// returns only after every claimed task of its job has finished (`finished == count`), so the
/// job's context outlives all uses of it.
#include "thread_pool.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

/// How many times an idle worker polls the ticket before going to sleep: with a pause of
/// 25–45 ns per poll (Zen 3, recent Intel), about a millisecond, which covers the gaps between
/// the products of one forward pass without burning a core for long after the last one.
#define CK_SPIN_POLLS 30000
/// The most workers the pool starts.
#define CK_MAX_WORKERS 63

#if defined(__x86_64__) || defined(__i386__)
#define CK_CPU_RELAX() __builtin_ia32_pause()
#elif defined(__aarch64__)
#define CK_CPU_RELAX() __asm__ __volatile__("yield")
#else
#define CK_CPU_RELAX() ((void)0)
#endif

static struct {
    /// Held by the one caller whose job the pool is running.
    pthread_mutex_t submit;
    /// (generation << 32) | index of the next unclaimed task.
    uint64_t ticket;
    /// The current job (written only while no task of the previous one can still be claimed).
    ck_task task;
    void *context;
    long count;
    /// Tasks of the current job finished so far.
    long finished;
    /// Sleeping workers wait here for a new generation.
    pthread_mutex_t sleep_lock;
    pthread_cond_t wake;
    int sleepers;
    long threads;
} pool = {
    .submit = PTHREAD_MUTEX_INITIALIZER,
    .sleep_lock = PTHREAD_MUTEX_INITIALIZER,
    .wake = PTHREAD_COND_INITIALIZER,
};

static pthread_once_t pool_once = PTHREAD_ONCE_INIT;

static uint32_t generation_of(uint64_t ticket) { return (uint32_t)(ticket >> 32); }

/// Claims and runs tasks of generation `generation` until none is left.
static void run_tasks(uint32_t generation, ck_task task, void *context, long count) {
    uint64_t ticket = __atomic_load_n(&pool.ticket, __ATOMIC_ACQUIRE);
    for (;;) {
        if (generation_of(ticket) != generation || (long)(uint32_t)ticket >= count) return;
        if (__atomic_compare_exchange_n(&pool.ticket, &ticket, ticket + 1, 1,
                                        __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
            task(context, (long)(uint32_t)ticket);
            __atomic_fetch_add(&pool.finished, 1, __ATOMIC_RELEASE);
            ticket = __atomic_load_n(&pool.ticket, __ATOMIC_ACQUIRE);
        }
    }
}

static void *worker_main(void *unused) {
    (void)unused;
    uint32_t seen = generation_of(__atomic_load_n(&pool.ticket, __ATOMIC_ACQUIRE));
    for (;;) {
        uint64_t ticket = __atomic_load_n(&pool.ticket, __ATOMIC_ACQUIRE);
        for (long polls = 0; generation_of(ticket) == seen && polls < CK_SPIN_POLLS; polls++) {
            CK_CPU_RELAX();
            ticket = __atomic_load_n(&pool.ticket, __ATOMIC_ACQUIRE);
        }
        if (generation_of(ticket) == seen) {
            pthread_mutex_lock(&pool.sleep_lock);
            __atomic_fetch_add(&pool.sleepers, 1, __ATOMIC_SEQ_CST);
            while (generation_of(__atomic_load_n(&pool.ticket, __ATOMIC_SEQ_CST)) == seen)
                pthread_cond_wait(&pool.wake, &pool.sleep_lock);
            __atomic_fetch_sub(&pool.sleepers, 1, __ATOMIC_SEQ_CST);
            pthread_mutex_unlock(&pool.sleep_lock);
            continue;
        }
        seen = generation_of(ticket);
        // Consistent with `seen` whenever a claim below succeeds (see the protocol above).
        ck_task task = __atomic_load_n(&pool.task, __ATOMIC_RELAXED);
        void *context = __atomic_load_n(&pool.context, __ATOMIC_RELAXED);
        long count = __atomic_load_n(&pool.count, __ATOMIC_RELAXED);
        run_tasks(seen, task, context, count);
    }
    return NULL;
}

static void pool_start(void) {
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    long threads = online < 1 ? 1 : online;
    if (threads > CK_MAX_WORKERS + 1) threads = CK_MAX_WORKERS + 1;
    long started = 1;
    for (long i = 1; i < threads; i++) {
        pthread_attr_t attributes;
        pthread_attr_init(&attributes);
        pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
        pthread_t thread;
        if (pthread_create(&thread, &attributes, worker_main, NULL) == 0) started++;
        pthread_attr_destroy(&attributes);
    }
    pool.threads = started;
}

long ck_pool_threads(void) {
    pthread_once(&pool_once, pool_start);
    return pool.threads;
}

void ck_parallel_for(long count, ck_task task, void *context) {
    if (count <= 0) return;
    if (count == 1 || ck_pool_threads() == 1 || pthread_mutex_trylock(&pool.submit) != 0) {
        for (long i = 0; i < count; i++) task(context, i);
        return;
    }
    // No task of the previous job can be claimed any more: publish the new one.
    __atomic_store_n(&pool.task, task, __ATOMIC_RELAXED);
    __atomic_store_n(&pool.context, context, __ATOMIC_RELAXED);
    __atomic_store_n(&pool.count, count, __ATOMIC_RELAXED);
    __atomic_store_n(&pool.finished, 0, __ATOMIC_RELAXED);
    // Task 0 is the caller's own: published as already claimed, so that with repeated calls
    // the same core keeps the same share of the data (and its cache) more often.
    uint32_t generation = generation_of(__atomic_load_n(&pool.ticket, __ATOMIC_RELAXED)) + 1;
    __atomic_store_n(&pool.ticket, ((uint64_t)generation << 32) | 1, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&pool.sleepers, __ATOMIC_SEQ_CST) > 0) {
        pthread_mutex_lock(&pool.sleep_lock);
        pthread_cond_broadcast(&pool.wake);
        pthread_mutex_unlock(&pool.sleep_lock);
    }
    task(context, 0);
    __atomic_fetch_add(&pool.finished, 1, __ATOMIC_RELEASE);
    run_tasks(generation, task, context, count);
    while (__atomic_load_n(&pool.finished, __ATOMIC_ACQUIRE) < count) CK_CPU_RELAX();
    pthread_mutex_unlock(&pool.submit);
}
