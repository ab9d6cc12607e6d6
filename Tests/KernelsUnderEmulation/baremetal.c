/// The little of a C library that CKernels and check.c call, for the bare-metal image (boot.S):
/// output on the first serial port, memory from a heap after the image, a pthreads that never
/// starts a thread (sysconf reports one processor, so the pool runs everything on the caller).
#include "check.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

// MARK: - Output: COM1

static inline void outb(uint16_t port, uint8_t value) { __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) {
    uint8_t value;
    __asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

/// 115200 baud, 8 data bits, no parity, one stop bit, FIFOs on (the power-on state is 5 bits).
static void serial_setup(void) {
    outb(0x3F9, 0x00); // no interrupts
    outb(0x3FB, 0x80); // divisor latch
    outb(0x3F8, 0x01); // divisor 1: 115200 baud
    outb(0x3F9, 0x00);
    outb(0x3FB, 0x03); // 8N1
    outb(0x3FA, 0xC7); // FIFOs on and cleared
    outb(0x3FC, 0x03); // DTR, RTS
}

void check_write(const char *text, long length) {
    static int ready;
    if (!ready) { serial_setup(); ready = 1; }
    for (long i = 0; i < length; i++) {
        while ((inb(0x3FD) & 0x20) == 0) {}
        outb(0x3F8, (uint8_t)text[i]);
    }
}

// MARK: - Memory

void *memset(void *destination, int value, size_t count) {
    unsigned char *d = destination;
    for (size_t i = 0; i < count; i++) d[i] = (unsigned char)value;
    return destination;
}

void *memcpy(void *restrict destination, const void *restrict source, size_t count) {
    unsigned char *d = destination;
    const unsigned char *s = source;
    for (size_t i = 0; i < count; i++) d[i] = s[i];
    return destination;
}

void *memmove(void *destination, const void *source, size_t count) {
    unsigned char *d = destination;
    const unsigned char *s = source;
    if (d < s) for (size_t i = 0; i < count; i++) d[i] = s[i];
    else for (size_t i = count; i > 0; i--) d[i - 1] = s[i - 1];
    return destination;
}

int memcmp(const void *a, const void *b, size_t count) {
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < count; i++) if (x[i] != y[i]) return x[i] - y[i];
    return 0;
}

int bcmp(const void *a, const void *b, size_t count) { return memcmp(a, b, count); }

size_t strlen(const char *text) {
    size_t n = 0;
    while (text[n]) n++;
    return n;
}

int strcmp(const char *a, const char *b) {
    while (*a && *a == *b) { a++; b++; }
    return (unsigned char)*a - (unsigned char)*b;
}

/// The heap: from the end of the image to the end of the identity-mapped first GiB. A freed
/// block goes on a list of blocks of its size class (powers of two from 64 bytes) and is handed
/// out again for the next request of that class; nothing is returned to the heap.
extern char image_bss_end[];
static uintptr_t heap_next;
static const uintptr_t heap_end = (uintptr_t)1 << 30;
/// Each block starts 64 bytes after its header (which holds its class) and is 64-byte aligned.
typedef struct block { struct block *next; long size_class; } block;
static block *free_blocks[48];

static long size_class_of(size_t size) {
    long c = 6;
    while (((size_t)1 << c) < size) c++;
    return c;
}

void *malloc(size_t size) {
    const long c = size_class_of(size == 0 ? 1 : size);
    if (free_blocks[c]) {
        block *b = free_blocks[c];
        free_blocks[c] = b->next;
        return (char *)b + 64;
    }
    if (heap_next == 0) heap_next = ((uintptr_t)image_bss_end + 63) & ~(uintptr_t)63;
    const uintptr_t bytes = 64 + ((uintptr_t)1 << c);
    if (heap_next + bytes > heap_end) return NULL;
    block *b = (block *)heap_next;
    heap_next += bytes;
    b->size_class = c;
    return (char *)b + 64;
}

void free(void *pointer) {
    if (!pointer) return;
    block *b = (block *)((char *)pointer - 64);
    b->next = free_blocks[b->size_class];
    free_blocks[b->size_class] = b;
}

void *calloc(size_t count, size_t size) {
    void *pointer = malloc(count * size);
    if (pointer) memset(pointer, 0, count * size);
    return pointer;
}

int posix_memalign(void **pointer, size_t alignment, size_t size) {
    if (alignment > 64) return 22; // EINVAL: every block here is 64-byte aligned, no more
    *pointer = malloc(size);
    return *pointer ? 0 : 12; // ENOMEM
}

void abort(void) {
    check_write("abort\n", 6);
    for (;;) __asm__ volatile("cli; hlt");
}

char *getenv(const char *name) { (void)name; return NULL; }
long sysconf(int name) { (void)name; return 1; }
double sqrt(double x) { return __builtin_sqrt(x); }

// MARK: - pthreads without threads

int pthread_create(pthread_t *thread, const pthread_attr_t *attributes, void *(*start)(void *), void *argument) {
    (void)thread; (void)attributes; (void)start; (void)argument;
    return 11; // EAGAIN
}
int pthread_attr_init(pthread_attr_t *attributes) { (void)attributes; return 0; }
int pthread_attr_destroy(pthread_attr_t *attributes) { (void)attributes; return 0; }
int pthread_attr_setdetachstate(pthread_attr_t *attributes, int state) { (void)attributes; (void)state; return 0; }
int pthread_mutex_lock(pthread_mutex_t *mutex) { (void)mutex; return 0; }
int pthread_mutex_trylock(pthread_mutex_t *mutex) { (void)mutex; return 0; }
int pthread_mutex_unlock(pthread_mutex_t *mutex) { (void)mutex; return 0; }
int pthread_cond_wait(pthread_cond_t *condition, pthread_mutex_t *mutex) { (void)condition; (void)mutex; return 0; }
int pthread_cond_broadcast(pthread_cond_t *condition) { (void)condition; return 0; }

int pthread_once(pthread_once_t *once, void (*routine)(void)) {
    if (*once == 0) { *once = 1; routine(); }
    return 0;
}

static void *thread_values[64];
static unsigned thread_keys;
int pthread_key_create(pthread_key_t *key, void (*destructor)(void *)) {
    (void)destructor;
    if (thread_keys >= 64) return 11;
    *key = thread_keys++;
    return 0;
}
void *pthread_getspecific(pthread_key_t key) { return key < 64 ? thread_values[key] : NULL; }
int pthread_setspecific(pthread_key_t key, const void *value) {
    if (key >= 64) return 22;
    thread_values[key] = (void *)value;
    return 0;
}

/// Called by boot.S once the CPU is in long mode with SSE, AVX and AVX-512 state enabled.
void check_main(void) {
    const int failed = check_run(1);
    check_print(failed ? "result: FAILED\n" : "result: OK\n");
    check_print("end of check\n");
}
