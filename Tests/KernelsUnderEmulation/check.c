/// Every kernel of the AVX-512 tier against the portable tier, on odd shapes and edge values:
/// the float matrix product (plain, B transposed, B packed ahead, accumulating), the element-wise
/// functions, softmax and the norms, the widening of every GGUF block type, and the quantized
/// product on both of its paths (a few rows, and panels). No C library beyond check.h's needs:
/// the same file runs on Linux and on bare metal.
#include "check.h"

#include "CKernels.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// MARK: - Output

void check_print(const char *text) { check_write(text, (long)strlen(text)); }

static void print_long(long value) {
    char digits[24];
    int n = 0;
    unsigned long magnitude = value < 0 ? (unsigned long)(-value) : (unsigned long)value;
    do { digits[n++] = (char)('0' + magnitude % 10); magnitude /= 10; } while (magnitude);
    if (value < 0) check_write("-", 1);
    while (n) check_write(&digits[--n], 1);
}

/// x in the form 1.234e-05 (finite x only; enough for error figures).
static void print_float(double x) {
    if (x != x) { check_print("nan"); return; }
    if (x < 0) { check_write("-", 1); x = -x; }
    if (x > 1e300) { check_print("inf"); return; }
    int exponent = 0;
    if (x != 0) {
        while (x >= 10) { x /= 10; exponent++; }
        while (x < 1) { x *= 10; exponent--; }
    }
    long mantissa = (long)(x * 1000 + 0.5);
    if (mantissa >= 10000) { mantissa /= 10; exponent++; }
    char text[8] = {(char)('0' + mantissa / 1000), '.', (char)('0' + mantissa / 100 % 10),
                    (char)('0' + mantissa / 10 % 10), (char)('0' + mantissa % 10), 'e', 0, 0};
    check_write(text, 6);
    if (exponent < 0) { check_write("-", 1); exponent = -exponent; } else check_write("+", 1);
    if (exponent < 10) check_write("0", 1);
    print_long(exponent);
}

static int failures, checks;

/// Counts one check; prints it when it fails.
static void expect(int ok, const char *what, long a, long b, long c, double error, double bound) {
    checks++;
    if (ok) return;
    failures++;
    check_print("FAIL ");
    check_print(what);
    check_print(" (");
    print_long(a); check_print(", "); print_long(b); check_print(", "); print_long(c);
    check_print("): error ");
    print_float(error);
    check_print(" > ");
    print_float(bound);
    check_print("\n");
}

static void group_done(const char *name, int checks_before, int failures_before, double worst) {
    check_print(name);
    check_print(": ");
    print_long(checks - checks_before);
    check_print(" checks, ");
    print_long(failures - failures_before);
    check_print(" failed, largest error/bound ");
    print_float(worst);
    check_print("\n");
}

// MARK: - Data

static uint64_t random_state = 0x9E3779B97F4A7C15ull;
static uint64_t next_random(void) {
    random_state ^= random_state << 13;
    random_state ^= random_state >> 7;
    random_state ^= random_state << 17;
    return random_state;
}
/// Uniform in [-1, 1).
static float uniform(void) { return (float)((double)(next_random() >> 40) / (double)(1ull << 23) - 1.0); }

static float *random_floats(long count) {
    float *x = malloc(sizeof(float) * (size_t)(count > 0 ? count : 1));
    for (long i = 0; i < count; i++) x[i] = uniform();
    return x;
}

static double absolute(double x) { return x < 0 ? -x : x; }
static double larger(double a, double b) { return a > b ? a : b; }

// MARK: - Matrix product

static const long dimensions[] = {1, 7, 17, 63, 65};
static const long dimension_count = sizeof dimensions / sizeof dimensions[0];

/// |x| of every element, in a new array.
static float *magnitudes(const float *x, long count) {
    float *y = malloc(sizeof(float) * (size_t)(count > 0 ? count : 1));
    for (long i = 0; i < count; i++) y[i] = x[i] < 0 ? -x[i] : x[i];
    return y;
}

/// C = A·op(B) on both tiers (op: B or Bᵀ), compared elementwise with a bound of 1e-5 · Σ|a||b|
/// (the sums run in different orders; Σ|a||b| itself is |A|·|op(B)| on the portable tier);
/// also accumulating into a C that holds values already.
static void check_product(long m, long n, long k, int transpose, int accumulate, double *worst) {
    float *a = random_floats(m * k), *b = random_floats(k * n), *start = random_floats(m * n);
    float *fast = malloc(sizeof(float) * (size_t)(m * n)), *reference = malloc(sizeof(float) * (size_t)(m * n));
    memcpy(fast, start, sizeof(float) * (size_t)(m * n));
    memcpy(reference, start, sizeof(float) * (size_t)(m * n));
    const long ldb = transpose ? k : n;
    ck_sgemm_transposing(m, n, k, a, k, b, ldb, transpose, fast, n, accumulate, CK_KERNEL_AVX512);
    ck_sgemm_transposing(m, n, k, a, k, b, ldb, transpose, reference, n, accumulate, CK_KERNEL_PORTABLE);
    float *size_a = magnitudes(a, m * k), *size_b = magnitudes(b, k * n), *size_c = magnitudes(start, m * n);
    ck_sgemm_transposing(m, n, k, size_a, k, size_b, ldb, transpose, size_c, n, accumulate, CK_KERNEL_PORTABLE);
    double ratio = 0;
    for (long i = 0; i < m * n; i++) {
        const double bound = 1e-5 * size_c[i] + 1e-30;
        ratio = larger(ratio, absolute((double)fast[i] - reference[i]) / bound);
    }
    free(size_a); free(size_b); free(size_c);
    *worst = larger(*worst, ratio);
    expect(ratio <= 1, transpose ? "sgemm B transposed" : (accumulate ? "sgemm accumulating" : "sgemm"),
           m, n, k, ratio, 1);

    // B packed ahead: the same bits as the product that packs as it goes.
    if (!accumulate) {
        float *packed;
        const long floats = ck_sgemm_packed_b_floats(k, n, CK_KERNEL_AVX512);
        if (posix_memalign((void **)&packed, 64, sizeof(float) * (size_t)floats) == 0) {
            ck_sgemm_pack_b(k, n, b, ldb, transpose, packed, CK_KERNEL_AVX512);
            float *again = malloc(sizeof(float) * (size_t)(m * n));
            ck_sgemm_packed(m, n, k, a, k, packed, again, n, 0, CK_KERNEL_AVX512);
            expect(memcmp(again, fast, sizeof(float) * (size_t)(m * n)) == 0, "sgemm packed B, same bits", m, n, k, 1, 0);
            free(again);
            free(packed);
        }
    }
    free(a); free(b); free(start); free(fast); free(reference);
}

static void check_products(void) {
    const int c0 = checks, f0 = failures;
    double worst = 0;
    for (long i = 0; i < dimension_count; i++)
        for (long j = 0; j < dimension_count; j++)
            for (long l = 0; l < dimension_count; l++)
                for (int transpose = 0; transpose < 2; transpose++)
                    check_product(dimensions[i], dimensions[j], dimensions[l], transpose, 0, &worst);
    // Accumulating; MiniLM's widths (384, and 1536 in its FFN) on a few shapes, past one cache
    // block of k (128) and of rows (240) of the AVX-512 tier.
    check_product(17, 65, 63, 0, 1, &worst);
    check_product(65, 384, 7, 1, 1, &worst);
    check_product(1, 1536, 384, 1, 0, &worst);
    check_product(7, 384, 1536, 0, 0, &worst);
    check_product(13, 1536, 384, 0, 0, &worst);
    check_product(63, 65, 1536, 1, 0, &worst);
    check_product(384, 65, 384, 0, 0, &worst);
    check_product(250, 33, 129, 1, 0, &worst);
    group_done("matrix product", c0, f0, worst);
}

// MARK: - Element-wise

/// Both tiers of one function on every x in [-12, 12] at step 1/1024 and on edge values; the
/// bound is twice the documented error of each tier against the exact function (CKernels.h).
static void check_unary(ck_unary function, const char *name, double relative, double absolute_bound, double *worst) {
    const long grid = 24 * 1024 + 1;
    static const float edges[] = {0.0f, -0.0f, 1e-30f, -1e-30f, 1e-45f, 88.5f, 89.5f, -87.0f, -103.0f,
                                  -104.5f, -110.0f, 200.0f, -200.0f, 3.4e38f, -3.4e38f, 5.66f, -5.66f, 4.0f, -4.0f};
    const long edge_count = sizeof edges / sizeof edges[0];
    const long n = grid + edge_count;
    float *x = malloc(sizeof(float) * (size_t)n), *fast = malloc(sizeof(float) * (size_t)n), *reference = malloc(sizeof(float) * (size_t)n);
    for (long i = 0; i < grid; i++) x[i] = -12.0f + (float)i / 1024.0f;
    for (long i = 0; i < edge_count; i++) x[grid + i] = edges[i];
    ck_unary_apply(function, x, fast, n, CK_KERNEL_AVX512, 1);
    ck_unary_apply(function, x, reference, n, CK_KERNEL_PORTABLE, 1);
    double ratio = 0;
    for (long i = 0; i < n; i++) {
        const double y = reference[i], z = fast[i];
        if (y != y || z != z) { ratio = larger(ratio, (y != y) == (z != z) ? 0 : 1e9); continue; }
        if (y == z) continue; // also ±inf
        const double bound = relative * larger(1, absolute(y)) + absolute_bound;
        ratio = larger(ratio, absolute(z - y) / bound);
    }
    *worst = larger(*worst, ratio);
    expect(ratio <= 1, name, n, 0, 0, ratio, 1);
    free(x); free(fast); free(reference);
}

static void check_elementwise(void) {
    const int c0 = checks, f0 = failures;
    double worst = 0;
    // exp: 1 ulp each (relative); the others as documented in CKernels.h.
    check_unary(CK_UNARY_EXP, "exp", 2.4e-7, 0, &worst);
    check_unary(CK_UNARY_ERF, "erf", 0, 1.8e-7, &worst);
    check_unary(CK_UNARY_GELU_ERF, "gelu (erf)", 2.2e-7, 0, &worst);
    check_unary(CK_UNARY_GELU_TANH, "gelu (tanh)", 2.6e-7, 0, &worst);
    check_unary(CK_UNARY_SILU, "silu", 5.8e-7, 2.6e-43, &worst);

    // Softmax and the norms on rows of odd lengths (sums in 16 lanes against 4).
    static const long widths[] = {1, 7, 17, 63, 65, 384, 1000};
    for (long w = 0; w < (long)(sizeof widths / sizeof widths[0]); w++) {
        const long rows = 5, d = widths[w];
        float *x = random_floats(rows * d), *weight = random_floats(d), *bias = random_floats(d);
        for (long i = 0; i < rows * d; i++) x[i] *= 8;
        if (d > 3) x[2] = -__builtin_inff(); // a masked score
        float *fast = malloc(sizeof(float) * (size_t)(rows * d)), *reference = malloc(sizeof(float) * (size_t)(rows * d));
        const char *names[3] = {"softmax", "layer norm", "rms norm"};
        for (int which = 0; which < 3; which++) {
            for (int tier = 0; tier < 2; tier++) {
                const ck_kernel kernel = tier ? CK_KERNEL_PORTABLE : CK_KERNEL_AVX512;
                float *y = tier ? reference : fast;
                if (which == 0) ck_softmax_rows_with(x, y, rows, d, kernel, 1);
                if (which == 1) ck_layer_norm_rows(x, y, rows, d, weight, bias, 1e-5f, kernel, 1);
                if (which == 2) ck_rms_norm_rows(x, y, rows, d, weight, 1e-6f, kernel, 1);
            }
            double ratio = 0;
            for (long i = 0; i < rows * d; i++) {
                if (x[i] != x[i]) continue;
                const double bound = (which == 0 ? 4e-7 : 2e-6) * larger(1, absolute(reference[i]));
                const double error = absolute((double)fast[i] - reference[i]);
                ratio = larger(ratio, error / bound);
                if (which == 0 && (fast[i] == 0) != (reference[i] == 0) && x[i] == -__builtin_inff()) ratio = 1e9;
            }
            worst = larger(worst, ratio);
            expect(ratio <= 1, names[which], rows, d, 0, ratio, 1);
        }
        free(x); free(weight); free(bias); free(fast); free(reference);
    }
    group_done("element-wise", c0, f0, worst);
}

// MARK: - Quantized blocks

typedef struct { int type; const char *name; long bytes, values; long half_offsets[2]; int half_count; } block_type;

static const block_type block_types[] = {
    {CK_QUANT_F32, "F32", 4, 1, {0, 0}, 0},
    {CK_QUANT_F16, "F16", 2, 1, {0, 0}, 1},
    {CK_QUANT_BF16, "BF16", 2, 1, {0, 0}, 0},
    {CK_QUANT_Q4_0, "Q4_0", 18, 32, {0, 0}, 1},
    {CK_QUANT_Q4_1, "Q4_1", 20, 32, {0, 2}, 2},
    {CK_QUANT_Q5_0, "Q5_0", 22, 32, {0, 0}, 1},
    {CK_QUANT_Q5_1, "Q5_1", 24, 32, {0, 2}, 2},
    {CK_QUANT_Q8_0, "Q8_0", 34, 32, {0, 0}, 1},
    {CK_QUANT_Q4_K, "Q4_K", 144, 256, {0, 2}, 2},
    {CK_QUANT_Q5_K, "Q5_K", 176, 256, {0, 2}, 2},
    {CK_QUANT_Q6_K, "Q6_K", 210, 256, {208, 0}, 1},
};

/// A normal half-precision float of magnitude 2^-8 to 2^-1, either sign.
static uint16_t random_half(void) {
    const uint64_t r = next_random();
    return (uint16_t)(((r & 1) << 15) | ((7 + (r >> 1) % 7) << 10) | ((r >> 8) & 0x3FF));
}

/// `blocks` blocks of `t` with random codes and valid (finite, modest) scales or values.
static uint8_t *random_blocks(const block_type *t, long blocks) {
    uint8_t *data = malloc((size_t)(t->bytes * blocks));
    for (long i = 0; i < t->bytes * blocks; i++) data[i] = (uint8_t)next_random();
    for (long b = 0; b < blocks; b++) {
        uint8_t *block = data + b * t->bytes;
        if (t->type == CK_QUANT_F32) { const float v = uniform(); memcpy(block, &v, 4); continue; }
        if (t->type == CK_QUANT_BF16) { const float v = uniform(); uint32_t bits; memcpy(&bits, &v, 4); const uint16_t top = (uint16_t)(bits >> 16); memcpy(block, &top, 2); continue; }
        for (int h = 0; h < t->half_count; h++) {
            const uint16_t half = random_half();
            memcpy(block + t->half_offsets[h], &half, 2);
        }
    }
    return data;
}

static void check_quantized(void) {
    const int c0 = checks, f0 = failures;
    double worst = 0;
    for (long i = 0; i < (long)(sizeof block_types / sizeof block_types[0]); i++) {
        const block_type *t = &block_types[i];
        // Widening: the same bits on both tiers.
        const long blocks = 64;
        uint8_t *data = random_blocks(t, blocks);
        float *fast = malloc(sizeof(float) * (size_t)(blocks * t->values)), *reference = malloc(sizeof(float) * (size_t)(blocks * t->values));
        const int status = ck_dequantize(t->type, data, fast, blocks, CK_KERNEL_AVX512)
                         | ck_dequantize(t->type, data, reference, blocks, CK_KERNEL_PORTABLE);
        expect(status == 0 && memcmp(fast, reference, sizeof(float) * (size_t)(blocks * t->values)) == 0,
               t->name, blocks, 0, 0, 1, 0);
        free(data); free(fast); free(reference);

        // The product C[m×n] = A · Wᵀ for W[n×k] of this type: a few rows (m ≤ 12) and panels.
        const long k = 512, n = 37, row_blocks = k / t->values, row_bytes = row_blocks * t->bytes;
        uint8_t *w = random_blocks(t, n * row_blocks);
        float *widened = malloc(sizeof(float) * (size_t)(n * k));
        ck_dequantize(t->type, w, widened, n * row_blocks, CK_KERNEL_PORTABLE);
        float *size_w = magnitudes(widened, n * k);
        static const long row_counts[] = {1, 3, 12, 13, 40};
        for (long r = 0; r < 5; r++) {
            const long m = row_counts[r];
            float *a = random_floats(m * k), *c_fast = malloc(sizeof(float) * (size_t)(m * n)), *c_reference = malloc(sizeof(float) * (size_t)(m * n));
            const int s = ck_quantized_matmul(m, n, k, a, k, w, row_bytes, t->type, c_fast, n, CK_KERNEL_AVX512)
                        | ck_quantized_matmul(m, n, k, a, k, w, row_bytes, t->type, c_reference, n, CK_KERNEL_PORTABLE);
            float *size_a = magnitudes(a, m * k), *size_c = malloc(sizeof(float) * (size_t)(m * n));
            ck_sgemm_transposing(m, n, k, size_a, k, size_w, k, 1, size_c, n, 0, CK_KERNEL_PORTABLE);
            double ratio = s == 0 ? 0 : 1e9;
            for (long x = 0; x < m * n && s == 0; x++)
                ratio = larger(ratio, absolute((double)c_fast[x] - c_reference[x]) / (1e-5 * size_c[x] + 1e-30));
            free(size_a); free(size_c);
            worst = larger(worst, ratio);
            expect(ratio <= 1, t->name, m, n, k, ratio, 1);
            free(a); free(c_fast); free(c_reference);
        }
        free(w); free(widened); free(size_w);
    }
    group_done("quantized blocks", c0, f0, worst);
}

// MARK: - All

int check_run(int require_avx512) {
    check_print("kernel check: the CPU's best tier is ");
    check_print(ck_sgemm_kernel_name(ck_cpu_best_kernel()));
    check_print("\n");
    if (!ck_kernel_supported(CK_KERNEL_AVX512)) {
        check_print("this CPU (or its operating system) has no AVX-512");
        if (require_avx512) { check_print(": nothing checked\n"); return 1; }
        check_print(": the AVX-512 requests run the best lower tier\n");
    }
    check_products();
    check_elementwise();
    check_quantized();
    check_print("avx512 against portable: ");
    print_long(checks);
    check_print(" checks, ");
    print_long(failures);
    check_print(" failed\n");
    return failures;
}
