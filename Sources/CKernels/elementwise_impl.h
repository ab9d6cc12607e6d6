/// The element-wise kernels, written once as scalar C and instantiated per instruction set.
///
/// Included by elementwise_portable.c, elementwise_avx2_fma.c and elementwise_avx512.c after they
/// define
/// - `CK_EW_TARGET`: the function attribute of the instantiation (empty, or
///   `__attribute__((target("avx2,fma")))`), and
/// - `CK_EW_KERNELS`: the name of the `ck_elementwise_kernels` table it defines.
/// Every function is branch-free per element (selects, no calls), so the compiler vectorises
/// the loops: 4 floats at a time with SSE2, 8 with AVX2, 16 with AVX-512 (where `a*b + c` also
/// becomes one FMA).
///
/// The polynomial coefficients come from fit_elementwise.py (beside this file), which prints
/// them together with the error of each fit.
#include "elementwise_internal.h"

#include <stdint.h>
#include <string.h>

#define CK_EW_INLINE static inline __attribute__((always_inline)) CK_EW_TARGET

CK_EW_INLINE int32_t bits_of(float x) {
    int32_t bits;
    memcpy(&bits, &x, sizeof bits);
    return bits;
}

CK_EW_INLINE float float_of(int32_t bits) {
    float x;
    memcpy(&x, &bits, sizeof x);
    return x;
}

// MARK: - exp

/// e^x = 2^n · e^r with n = round(x / ln2) and r = x - n·ln2, |r| <= ln2/2.
///
/// ln2 is split Cody–Waite style: LN2_HI has 9 significant bits, so n·LN2_HI is exact for
/// every n reached here and x - n·LN2_HI loses nothing; LN2_LO holds the rest of ln2.
/// e^r = 1 + r + r²·P(r), P of degree 4 (relative error ~1e-9 before rounding). 2^n is built
/// in the exponent bits as two factors 2^(n>>1) · 2^(n - (n>>1)), each a normal float for
/// n in [-152, 128], so results that are subnormal round once, and results past FLT_MAX
/// become +inf by the multiplication itself.
CK_EW_INLINE float ew_exp(float x) {
    // e^-105 is below half the smallest subnormal; e^89 is past FLT_MAX. A NaN stays NaN
    // (every comparison with it is false).
    x = x < -105.0f ? -105.0f : x;
    x = x > 89.0f ? 89.0f : x;
    // Adding 1.5·2^23 rounds x/ln2 to an integer and leaves it in the low mantissa bits.
    const float shifter = 12582912.0f;
    const float shifted = x * 1.44269504088896341f + shifter;
    const float n = shifted - shifter;
    const int32_t integer = bits_of(shifted) - bits_of(shifter);
    float r = x - n * 0.693359375f;
    r = r - n * -2.12194440e-4f;
    const float p = 0.00138146128f;
    const float poly = 0.49999994f + r * (0.166665211f + r * (0.041668389f + r * (0.00836871006f + r * p)));
    const float er = 1.0f + (r + r * r * poly);
    const int32_t half = integer >> 1;
    const float scale_a = float_of((half + 127) << 23);
    const float scale_b = float_of((integer - half + 127) << 23);
    return er * scale_a * scale_b;
}

// MARK: - erf

/// erf(z) for |z| <= 1: z + z·S(z²), S of degree 5 (relative error ~1e-9 before rounding).
CK_EW_INLINE float erf_small(float z) {
    const float s = z * z;
    const float poly = 0.128379121f + s * (-0.37612325f + s * (0.112801798f + s * (-0.0267113112f
                     + s * (0.0049175513f + s * -0.000563142181f))));
    return z + z * poly;
}

/// erfc(a) for 1 <= a <= 4: e^(-a²)·T(a - 2.5), T of degree 8 (absolute error ~1e-9 before
/// rounding). Larger a are taken as 4 (erfc(4) = 1.5e-8, below half an ulp of 1); NaN stays NaN.
CK_EW_INLINE float erfc_tail(float a) {
    a = a > 4.0f ? 4.0f : a;
    const float t = a - 2.5f;
    const float poly = 0.210807607f + t * (-0.0743421838f + t * (0.0249146242f + t * (-0.00813225377f
                     + t * (0.00230250228f + t * (-0.000661118072f + t * (0.000543323753f
                     + t * (0.000225064767f + t * 0.000106843574f)))))));
    return ew_exp(-(a * a)) * poly;
}

/// erf(z): the odd polynomial below |z| = 1, ±(1 - erfc(|z|)) above (exactly ±1 past 4).
CK_EW_INLINE float ew_erf(float z) {
    const float a = __builtin_fabsf(z);
    const float small = erf_small(z);
    const float large = __builtin_copysignf(1.0f - erfc_tail(a), z);
    return a < 1.0f ? small : large;
}

// MARK: - Activations

/// GELU, erf form: x·Φ(x) with Φ(x) = (1 + erf(x/√2)) / 2.
///
/// Below |x/√2| = 1: x/2 + x/2·erf(x/√2). Above, from q = Φ(-|x|) = erfc(|x|/√2) / 2 directly
/// (no 1 + erf cancellation for negative x): x·(1 - q) for x > 0, x·q for x < 0, and q = 0
/// past |x/√2| = 4, where x·q would be -inf·0 at -inf.
CK_EW_INLINE float ew_gelu_erf(float x) {
    const float z = x * 0.707106781186547524f;
    const float a = __builtin_fabsf(z);
    const float h = 0.5f * x;
    const float small = h + h * erf_small(z);
    const float q = a > 4.0f ? 0.0f : 0.5f * erfc_tail(a);
    const float negative = q == 0.0f ? 0.0f : x * q;
    const float large = x > 0.0f ? x * (1.0f - q) : negative;
    return a < 1.0f ? small : large;
}

/// x·σ(k) = x / (1 + e^-k) without overflow: with E = e^-|k| (never above 1),
/// x / (1 + E) for k >= 0 and x·E / (1 + E) for k < 0. k has the sign of x here; x = -inf
/// (E = 0) is taken as the most negative finite float so x·E is 0 rather than NaN.
CK_EW_INLINE float times_sigmoid(float x, float k) {
    const float e = ew_exp(-__builtin_fabsf(k));
    const float finite_x = x < -3.40282347e38f ? -3.40282347e38f : x;
    const float numerator = k >= 0.0f ? x : finite_x * e;
    return numerator / (1.0f + e);
}

/// GELU, tanh form: x/2·(1 + tanh(u)) = x·σ(2u), u = √(2/π)·(x + 0.044715·x³), so
/// 2u = x·(2√(2/π) + 2√(2/π)·0.044715·x²). No tanh, no cancellation near 0.
CK_EW_INLINE float ew_gelu_tanh(float x) {
    const float k = x * (1.59576912160573071f + 0.0713548162726008f * (x * x));
    return times_sigmoid(x, k);
}

/// SiLU: x·σ(x).
CK_EW_INLINE float ew_silu(float x) { return times_sigmoid(x, x); }

// MARK: - Loops

/// Before a loop that writes y[j] from x[j] only (and reads nothing it wrote): such a loop is safe
/// to vectorise even when y is x. Without it the compiler checks for overlap at run time and,
/// finding y == x (an in-place update), runs the scalar loop instead.
#if defined(__clang__)
#define CK_EW_ELEMENTWISE _Pragma("clang loop vectorize(assume_safety)")
#else
#define CK_EW_ELEMENTWISE
#endif

#define CK_EW_LOOP(name, function)                                                  \
    static CK_EW_TARGET void name(const float *x, float *y, long n) {               \
        CK_EW_ELEMENTWISE                                                           \
        for (long i = 0; i < n; i++) y[i] = function(x[i]);                         \
    }

CK_EW_LOOP(exp_loop, ew_exp)
CK_EW_LOOP(erf_loop, ew_erf)
CK_EW_LOOP(gelu_erf_loop, ew_gelu_erf)
CK_EW_LOOP(gelu_tanh_loop, ew_gelu_tanh)
CK_EW_LOOP(silu_loop, ew_silu)

/// Lanes of the softmax reductions: one AVX2 register (two SSE ones) unless the includer says
/// otherwise (16 for AVX-512).
#ifndef CK_EW_LANES
#define CK_EW_LANES 8
#endif

/// The larger of a running maximum and a value, NaN if either is NaN (a NaN maximum stays).
CK_EW_INLINE float max_keeping_nan(float peak, float value) {
    return value > peak || value != value ? value : peak;
}

/// Softmax of one row of n >= 1 floats.
CK_EW_INLINE void softmax_row(const float *x, float *y, long n) {
    // The maximum; a NaN is kept once met, so it spreads to the whole row through x - peak.
    float peaks[CK_EW_LANES];
    for (int l = 0; l < CK_EW_LANES; l++) peaks[l] = -__builtin_inff();
    long j = 0;
    for (; j + CK_EW_LANES <= n; j += CK_EW_LANES)
        for (int l = 0; l < CK_EW_LANES; l++) peaks[l] = max_keeping_nan(peaks[l], x[j + l]);
    float peak = -__builtin_inff();
    for (; j < n; j++) peak = max_keeping_nan(peak, x[j]);
    for (int l = 0; l < CK_EW_LANES; l++) peak = max_keeping_nan(peak, peaks[l]);
    if (peak == -__builtin_inff()) {
        for (j = 0; j < n; j++) y[j] = 0.0f;
        return;
    }
    // Each y[j] is written after x[j] is read, and x is not read again: y may be x.
    CK_EW_ELEMENTWISE
    for (j = 0; j < n; j++) y[j] = ew_exp(x[j] - peak);
    float sums[CK_EW_LANES] = {0};
    for (j = 0; j + CK_EW_LANES <= n; j += CK_EW_LANES)
        for (int l = 0; l < CK_EW_LANES; l++) sums[l] += y[j + l];
    float total = 0.0f;
    for (; j < n; j++) total += y[j];
    for (int l = 0; l < CK_EW_LANES; l++) total += sums[l];
    const float inverse = 1.0f / total;
    CK_EW_ELEMENTWISE
    for (j = 0; j < n; j++) y[j] *= inverse;
}

static CK_EW_TARGET void softmax_rows(const float *x, float *y, long rows, long n) {
    for (long i = 0; i < rows; i++) softmax_row(x + i * n, y + i * n, n);
}

/// The sum of n floats, accumulated in double precision in 4 running sums (one AVX2 register):
/// a row's statistics are then exact to float precision whatever its length, for little cost.
CK_EW_INLINE double lane_sum(const float *x, long n) {
    double sums[4] = {0};
    long j = 0;
    for (; j + 4 <= n; j += 4)
        for (int l = 0; l < 4; l++) sums[l] += (double)x[j + l];
    double total = 0.0;
    for (; j < n; j++) total += (double)x[j];
    return total + (sums[0] + sums[1]) + (sums[2] + sums[3]);
}

/// The sum of (x[j] - center)² over n floats, in double precision as `lane_sum`.
CK_EW_INLINE double lane_sum_of_squares(const float *x, long n, double center) {
    double sums[4] = {0};
    long j = 0;
    for (; j + 4 <= n; j += 4)
        for (int l = 0; l < 4; l++) {
            const double c = (double)x[j + l] - center;
            sums[l] += c * c;
        }
    double total = 0.0;
    for (; j < n; j++) {
        const double c = (double)x[j] - center;
        total += c * c;
    }
    return total + (sums[0] + sums[1]) + (sums[2] + sums[3]);
}

/// LayerNorm (or RMSNorm) of `rows` rows of d >= 1 floats: the mean and the biased variance of
/// each row (two passes, the second around the mean), then (x - mean) / sqrt(var + eps) · weight
/// + bias. RMSNorm: mean 0 and var = mean(x²), no bias. `bias` may be NULL; y may be x.
static CK_EW_TARGET void norm_rows(const float *x, float *y, long rows, long d, const float *weight,
                                   const float *bias, float eps, int rms) {
    for (long i = 0; i < rows; i++) {
        const float *row = x + i * d;
        float *out = y + i * d;
        const double mean64 = rms ? 0.0 : lane_sum(row, d) / (double)d;
        const double variance = lane_sum_of_squares(row, d, mean64) / (double)d;
        const float inverse = (float)(1.0 / __builtin_sqrt(variance + (double)eps));
        const float mean = (float)mean64;
        if (bias) {
            CK_EW_ELEMENTWISE
            for (long j = 0; j < d; j++) out[j] = (row[j] - mean) * inverse * weight[j] + bias[j];
        } else {
            CK_EW_ELEMENTWISE
            for (long j = 0; j < d; j++) out[j] = (row[j] - mean) * inverse * weight[j];
        }
    }
}

const ck_elementwise_kernels CK_EW_KERNELS = {
    .unary = {
        [CK_UNARY_EXP] = exp_loop,
        [CK_UNARY_ERF] = erf_loop,
        [CK_UNARY_GELU_ERF] = gelu_erf_loop,
        [CK_UNARY_GELU_TANH] = gelu_tanh_loop,
        [CK_UNARY_SILU] = silu_loop,
    },
    .softmax_rows = softmax_rows,
    .norm_rows = norm_rows,
};
