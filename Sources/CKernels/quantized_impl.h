/// Widening GGUF's quantized blocks to floats, written once as scalar C and instantiated per
/// instruction set (as elementwise_impl.h is).
///
/// Included by quantized_portable.c, quantized_avx2_fma.c and quantized_avx512.c after they define
/// - `CK_Q_TARGET`: the function attribute of the instantiation, and
/// - `CK_Q_KERNELS`: the name of the `ck_quantized_kernels` table it defines.
///
/// The block layouts and formulas are ggml's (ggml-quants.c, `dequantize_row_*`), little-endian:
/// - Q8_0 (32 values, 34 bytes): f16 d, int8 q[32];                   x = d·q
/// - Q4_0 (32, 18): f16 d, u8 qs[16] (low nibbles are values 0–15, high 16–31); x = d·(q − 8)
/// - Q4_1 (32, 20): f16 d, f16 m, u8 qs[16];                           x = d·q + m
/// - Q5_0 (32, 22): f16 d, u32 qh (bit j: the 5th bit of value j), u8 qs[16]; x = d·(q − 16)
/// - Q5_1 (32, 24): f16 d, f16 m, u32 qh, u8 qs[16];                  x = d·q + m
/// - Q4_K (256, 144): f16 d, f16 dmin, u8 scales[12] (eight 6-bit scales and mins), u8 qs[128];
///   sub-block j of 32: x = d·sc_j·q − dmin·m_j
/// - Q5_K (256, 176): as Q4_K with u8 qh[32] before qs (bit pair of each 64-value group)
/// - Q6_K (256, 210): u8 ql[128] (low 4 bits), u8 qh[64] (high 2 bits), int8 scales[16], f16 d;
///   x = d·scale_j·(q − 32) for each 16 values
/// Every product is formed in the reference's order (d·sc first, then ·q) and rounded as it is (no
/// fused multiply-add), so the result equals the `gguf` package's `dequantize` bit for bit.
#include "quantized_internal.h"

#include <stdlib.h>
#include <string.h>

// No fused multiply-adds: every product and sum is rounded as the reference rounds it.
#pragma STDC FP_CONTRACT OFF
// The eight-lane vector helpers are all inlined, so no vector crosses a call whose ABI the
// instruction set would change (the portable instantiation has no AVX).
#pragma clang diagnostic ignored "-Wpsabi"

#define CK_Q_INLINE static inline __attribute__((always_inline)) CK_Q_TARGET

/// IEEE binary16 → binary32, every value exact: the 15 bits of exponent and fraction moved into a
/// float's places and scaled by 2^112 (exact, and right for subnormal halves too); an all-ones
/// exponent (infinity, NaN) keeps its fraction under the float's all-ones exponent.
CK_Q_INLINE float half_to_float(uint16_t h) {
    const uint32_t magnitude = (uint32_t)(h & 0x7FFF) << 13;
    float x;
    if ((h & 0x7C00) == 0x7C00) {
        const uint32_t bits = magnitude | 0x7F800000u;
        memcpy(&x, &bits, sizeof x);
    } else {
        memcpy(&x, &magnitude, sizeof x);
        x *= 0x1p112f;
    }
    return (h & 0x8000) ? -x : x;
}

CK_Q_INLINE float half_at(const uint8_t *p) {
    return half_to_float((uint16_t)(p[0] | p[1] << 8));
}

// Eight lanes at a time, in clang's vector types: each lane computes exactly what the scalar
// formula does (the same conversions, the same products in the same order, no contraction), so
// the widened values stay bit-identical to the reference on every instruction set.
typedef float ck_q_v8 __attribute__((ext_vector_type(8)));
typedef uint8_t ck_q_u8x8 __attribute__((ext_vector_type(8)));
typedef int8_t ck_q_i8x8 __attribute__((ext_vector_type(8)));
typedef int32_t ck_q_i32x8 __attribute__((ext_vector_type(8)));
typedef uint32_t ck_q_u32x8 __attribute__((ext_vector_type(8)));

CK_Q_INLINE ck_q_v8 load8(const float *p) {
    ck_q_v8 v;
    memcpy(&v, p, sizeof v);
    return v;
}

CK_Q_INLINE void store8(float *p, ck_q_v8 v) { memcpy(p, &v, sizeof v); }

/// The sum of the eight lanes, pairwise in a fixed order.
CK_Q_INLINE float sum8(ck_q_v8 s) { return ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7])); }

CK_Q_INLINE ck_q_u8x8 bytes8(const uint8_t *p) {
    ck_q_u8x8 v;
    memcpy(&v, p, sizeof v);
    return v;
}

/// Unsigned bytes → floats (exact).
CK_Q_INLINE ck_q_v8 floats_u8(ck_q_u8x8 v) { return __builtin_convertvector(v, ck_q_v8); }

/// Unsigned bytes minus `offset` → floats (exact).
CK_Q_INLINE ck_q_v8 floats_offset(ck_q_u8x8 v, int offset) {
    return __builtin_convertvector(__builtin_convertvector(v, ck_q_i32x8) - offset, ck_q_v8);
}

CK_Q_INLINE void widen_q8_0(const uint8_t *b, float *y) {
    const float d = half_at(b);
    for (int g = 0; g < 4; g++) {
        ck_q_i8x8 q;
        memcpy(&q, b + 2 + 8 * g, sizeof q);
        store8(y + 8 * g, __builtin_convertvector(q, ck_q_v8) * d);
    }
}

CK_Q_INLINE void widen_q4_0(const uint8_t *b, float *y) {
    const float d = half_at(b);
    for (int g = 0; g < 2; g++) {
        const ck_q_u8x8 q = bytes8(b + 2 + 8 * g);
        store8(y + 8 * g, floats_offset(q & 0x0F, 8) * d);
        store8(y + 16 + 8 * g, floats_offset(q >> 4, 8) * d);
    }
}

CK_Q_INLINE void widen_q4_1(const uint8_t *b, float *y) {
    const float d = half_at(b), m = half_at(b + 2);
    for (int g = 0; g < 2; g++) {
        const ck_q_u8x8 q = bytes8(b + 4 + 8 * g);
        store8(y + 8 * g, floats_u8(q & 0x0F) * d + m);
        store8(y + 16 + 8 * g, floats_u8(q >> 4) * d + m);
    }
}

/// The fifth bits of a Q5 block's values 8g…8g+7 (`low`) and 16+8g…16+8g+7 (`high`), as 0 or 16.
CK_Q_INLINE void fifth_bits(uint32_t qh, int g, ck_q_u8x8 *low, ck_q_u8x8 *high) {
    const ck_q_u32x8 j = (ck_q_u32x8){0, 1, 2, 3, 4, 5, 6, 7} + (uint32_t)(8 * g);
    const ck_q_u32x8 bits = (ck_q_u32x8)qh;
    *low = __builtin_convertvector(((bits >> j) << 4) & 0x10, ck_q_u8x8);
    *high = __builtin_convertvector((bits >> (j + 12)) & 0x10, ck_q_u8x8);
}

CK_Q_INLINE uint32_t u32_at(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

CK_Q_INLINE void widen_q5_0(const uint8_t *b, float *y) {
    const float d = half_at(b);
    const uint32_t qh = u32_at(b + 2);
    for (int g = 0; g < 2; g++) {
        const ck_q_u8x8 q = bytes8(b + 6 + 8 * g);
        ck_q_u8x8 low, high;
        fifth_bits(qh, g, &low, &high);
        store8(y + 8 * g, floats_offset((q & 0x0F) | low, 16) * d);
        store8(y + 16 + 8 * g, floats_offset((q >> 4) | high, 16) * d);
    }
}

CK_Q_INLINE void widen_q5_1(const uint8_t *b, float *y) {
    const float d = half_at(b), m = half_at(b + 2);
    const uint32_t qh = u32_at(b + 4);
    for (int g = 0; g < 2; g++) {
        const ck_q_u8x8 q = bytes8(b + 8 + 8 * g);
        ck_q_u8x8 low, high;
        fifth_bits(qh, g, &low, &high);
        store8(y + 8 * g, floats_u8((q & 0x0F) | low) * d + m);
        store8(y + 16 + 8 * g, floats_u8((q >> 4) | high) * d + m);
    }
}

/// Scale and min of sub-block j (0–7) of a Q4_K or Q5_K block's 12 packed bytes: 6 bits each,
/// the first four in the low bits of bytes 0–7, the last four split over bytes 8–11 and the top
/// two bits of bytes 0–7 (ggml's `get_scale_min_k4`).
CK_Q_INLINE void scale_min_k4(int j, const uint8_t *q, uint8_t *scale, uint8_t *min) {
    if (j < 4) {
        *scale = q[j] & 63;
        *min = q[j + 4] & 63;
    } else {
        *scale = (q[j + 4] & 0x0F) | ((q[j - 4] >> 6) << 4);
        *min = (q[j + 4] >> 4) | ((q[j] >> 6) << 4);
    }
}

CK_Q_INLINE void widen_q4_k(const uint8_t *b, float *y) {
    const float d = half_at(b), dmin = half_at(b + 2);
    const uint8_t *scales = b + 4, *q = b + 16;
    for (int group = 0; group < 4; group++) {
        uint8_t sc, m;
        scale_min_k4(2 * group, scales, &sc, &m);
        const float d1 = d * sc, m1 = dmin * m;
        scale_min_k4(2 * group + 1, scales, &sc, &m);
        const float d2 = d * sc, m2 = dmin * m;
        for (int l = 0; l < 32; l += 8) {
            const ck_q_u8x8 v = bytes8(q + l);
            store8(y + l, d1 * floats_u8(v & 0x0F) - m1);
            store8(y + l + 32, d2 * floats_u8(v >> 4) - m2);
        }
        q += 32;
        y += 64;
    }
}

CK_Q_INLINE void widen_q5_k(const uint8_t *b, float *y) {
    const float d = half_at(b), dmin = half_at(b + 2);
    const uint8_t *scales = b + 4, *qh = b + 16, *ql = b + 48;
    for (int group = 0; group < 4; group++) {
        uint8_t sc, m;
        scale_min_k4(2 * group, scales, &sc, &m);
        const float d1 = d * sc, m1 = dmin * m;
        scale_min_k4(2 * group + 1, scales, &sc, &m);
        const float d2 = d * sc, m2 = dmin * m;
        const int low = 2 * group, high = 2 * group + 1;
        for (int l = 0; l < 32; l += 8) {
            const ck_q_u8x8 v = bytes8(ql + l), h = bytes8(qh + l);
            store8(y + l, d1 * floats_u8((v & 0x0F) + (((h >> low) & 1) << 4)) - m1);
            store8(y + l + 32, d2 * floats_u8((v >> 4) + (((h >> high) & 1) << 4)) - m2);
        }
        ql += 32;
        y += 64;
    }
}

CK_Q_INLINE void widen_q6_k(const uint8_t *b, float *y) {
    const uint8_t *ql = b, *qh = b + 128;
    const int8_t *sc = (const int8_t *)(b + 192);
    const float d = half_at(b + 208);
    for (int half = 0; half < 2; half++) {
        for (int l = 0; l < 32; l += 8) {
            const int is = l / 16;
            const ck_q_u8x8 low = bytes8(ql + l), low2 = bytes8(ql + l + 32), h = bytes8(qh + l);
            store8(y + l, d * (float)sc[is] * floats_offset((low & 0x0F) | ((h & 3) << 4), 32));
            store8(y + l + 32, d * (float)sc[is + 2] * floats_offset((low2 & 0x0F) | (((h >> 2) & 3) << 4), 32));
            store8(y + l + 64, d * (float)sc[is + 4] * floats_offset((low >> 4) | (((h >> 4) & 3) << 4), 32));
            store8(y + l + 96, d * (float)sc[is + 6] * floats_offset((low2 >> 4) | (((h >> 6) & 3) << 4), 32));
        }
        y += 128;
        ql += 64;
        qh += 32;
        sc += 8;
    }
}

/// One plain or quantized type's loop over `blocks` blocks.
#define CK_Q_LOOP(widen, bytes, values)                                   \
    for (long i = 0; i < blocks; i++) widen(in + i * (bytes), dst + i * (values)); \
    return 0;

static CK_Q_TARGET int dequantize(int type, const void *src, float *dst, long blocks) {
    const uint8_t *in = src;
    switch (type) {
    case CK_QUANT_F32:
        memcpy(dst, src, (size_t)blocks * sizeof(float));
        return 0;
    case CK_QUANT_F16:
        for (long i = 0; i < blocks; i++) dst[i] = half_at(in + 2 * i);
        return 0;
    case CK_QUANT_BF16:
        for (long i = 0; i < blocks; i++) {
            const uint32_t bits = (uint32_t)(in[2 * i] | in[2 * i + 1] << 8) << 16;
            memcpy(dst + i, &bits, sizeof bits);
        }
        return 0;
    case CK_QUANT_Q8_0: CK_Q_LOOP(widen_q8_0, 34, 32)
    case CK_QUANT_Q4_0: CK_Q_LOOP(widen_q4_0, 18, 32)
    case CK_QUANT_Q4_1: CK_Q_LOOP(widen_q4_1, 20, 32)
    case CK_QUANT_Q5_0: CK_Q_LOOP(widen_q5_0, 22, 32)
    case CK_QUANT_Q5_1: CK_Q_LOOP(widen_q5_1, 24, 32)
    case CK_QUANT_Q4_K: CK_Q_LOOP(widen_q4_k, 144, 256)
    case CK_QUANT_Q5_K: CK_Q_LOOP(widen_q5_k, 176, 256)
    case CK_QUANT_Q6_K: CK_Q_LOOP(widen_q6_k, 210, 256)
    default: return -1;
    }
}

/// Values widened at a time by `rows_product`: 4 KiB of floats, a multiple of every block size.
#define CK_Q_CHUNK 1024

/// x·y + z, fused where the instruction set has FMA (CK_Q_FMA), else rounded twice.
#ifdef CK_Q_FMA
#define CK_Q_MADD(x, y, z) __builtin_elementwise_fma((x), (y), (z))
#else
#define CK_Q_MADD(x, y, z) ((x) * (y) + (z))
#endif

/// Σ x[i]·y[i] over `n` floats: four vector sums of eight lanes, so four multiply-adds are in flight.
CK_Q_INLINE float dot(const float *x, const float *y, long n) {
    ck_q_v8 s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    long i = 0;
    for (; i + 32 <= n; i += 32) {
        s0 = CK_Q_MADD(load8(x + i), load8(y + i), s0);
        s1 = CK_Q_MADD(load8(x + i + 8), load8(y + i + 8), s1);
        s2 = CK_Q_MADD(load8(x + i + 16), load8(y + i + 16), s2);
        s3 = CK_Q_MADD(load8(x + i + 24), load8(y + i + 24), s3);
    }
    for (; i + 8 <= n; i += 8) s0 = CK_Q_MADD(load8(x + i), load8(y + i), s0);
    const ck_q_v8 s = (s0 + s1) + (s2 + s3);
    float total = sum8(s);
    for (; i < n; i++) total += x[i] * y[i];
    return total;
}

/// Σ_g float(codes_g) · x_g over one block of 32 values, its codes given as four lanes of eight.
CK_Q_INLINE ck_q_v8 block_dot(const ck_q_v8 codes[4], const float *x) {
    ck_q_v8 v = codes[0] * load8(x);
    v = CK_Q_MADD(codes[1], load8(x + 8), v);
    v = CK_Q_MADD(codes[2], load8(x + 16), v);
    return CK_Q_MADD(codes[3], load8(x + 24), v);
}

/// Types the few-rows product reads without widening.
CK_Q_INLINE int reads_in_place(int type) {
    return type == CK_QUANT_Q8_0 || type == CK_QUANT_Q4_0 || type == CK_QUANT_Q4_1 || type == CK_QUANT_Q4_K
        || type == CK_QUANT_Q5_K || type == CK_QUANT_Q6_K;
}

/// Whether a type's values carry an offset (d·q + offset), so that its dot products need Σ x.
CK_Q_INLINE int has_offset(int type) { return type != CK_QUANT_Q8_0 && type != CK_QUANT_Q6_K; }

/// Run `s` (0 …, 32 values each) of a block of `type` at `b`, as four lanes of eight integer codes
/// in floats, and the scale and offset that make them the block's values: value = scale·code +
/// offset, with scale and offset formed as the widening formulas form them. Q4_0's codes are the
/// nibbles (offset −8·d); Q6_K's are (q − 32)·its 16-value scale (exact integers; scale d).
CK_Q_INLINE void run_codes(const int type, const uint8_t *b, int s, ck_q_v8 codes[4], float *scale, float *offset) {
    switch (type) {
    case CK_QUANT_Q8_0:
        for (int g = 0; g < 4; g++) {
            ck_q_i8x8 q;
            memcpy(&q, b + 2 + 8 * g, sizeof q);
            codes[g] = __builtin_convertvector(q, ck_q_v8);
        }
        *scale = half_at(b);
        *offset = 0;
        return;
    case CK_QUANT_Q4_0:
    case CK_QUANT_Q4_1: {
        const uint8_t *qs = b + (type == CK_QUANT_Q4_1 ? 4 : 2);
        for (int g = 0; g < 2; g++) {
            const ck_q_u8x8 q = bytes8(qs + 8 * g);
            codes[g] = floats_u8(q & 0x0F);
            codes[g + 2] = floats_u8(q >> 4);
        }
        *scale = half_at(b);
        *offset = type == CK_QUANT_Q4_1 ? half_at(b + 2) : -8 * *scale;
        return;
    }
    case CK_QUANT_Q4_K:
    case CK_QUANT_Q5_K: {
        // Runs 2g and 2g + 1 are the low and high nibbles of the same 32 bytes.
        const int group = s / 2, high = s % 2;
        uint8_t sc, m;
        scale_min_k4(s, b + 4, &sc, &m);
        *scale = half_at(b) * sc;
        *offset = -(half_at(b + 2) * m);
        const uint8_t *q = b + (type == CK_QUANT_Q4_K ? 16 : 48) + 32 * group;
        for (int g = 0; g < 4; g++) {
            ck_q_u8x8 v = bytes8(q + 8 * g);
            v = high ? v >> 4 : v & 0x0F;
            if (type == CK_QUANT_Q5_K) v = v + (((bytes8(b + 16 + 8 * g) >> s) & 1) << 4);
            codes[g] = floats_u8(v);
        }
        return;
    }
    default: { // CK_QUANT_Q6_K: run s is values 32s … 32s+31 of the widened block.
        const int half = s / 4, part = s % 4;
        const uint8_t *ql = b + 64 * half + (part % 2) * 32, *qh = b + 128 + 32 * half;
        const int8_t *sc = (const int8_t *)(b + 192) + 8 * half + 2 * part;
        const int shift = 2 * part;
        for (int g = 0; g < 4; g++) {
            const ck_q_u8x8 low = bytes8(ql + 8 * g);
            const ck_q_u8x8 q = (part < 2 ? low & 0x0F : low >> 4) | (((bytes8(qh + 8 * g) >> shift) & 3) << 4);
            const ck_q_i32x8 centred = __builtin_convertvector(q, ck_q_i32x8) - 32;
            codes[g] = __builtin_convertvector(centred * (int32_t)sc[g / 2], ck_q_v8);
        }
        *scale = half_at(b + 208);
        *offset = 0;
        return;
    }
    }
}

/// The few-rows product without widening: a run of 32 values holding scale·code + offset adds
/// scale·Σ code·x + offset·Σ x to a dot product, the sums of x over each run taken once (`sums`,
/// m × k/32) for every row of W. A block's codes are read once for all m rows of A. Inlined with
/// `type` and `m` constant, so the m sums stay in registers. Sums differ from the widened
/// product's in order only (within rounding).
CK_Q_INLINE void runs_rows(const int type, const long m, const uint8_t *w, long row_bytes, long rows,
                           long k, const float *a, long lda, float *c, long ldc, const float *sums) {
    long bytes, values;
    ck_q_block_shape(type, &bytes, &values);
    const long blocks = k / values, runs = values / 32;
    for (long j = 0; j < rows; j++) {
        const uint8_t *row = w + j * row_bytes;
        ck_q_v8 scaled[CK_Q_ROW_GROUP] = {0};
        float offsets[CK_Q_ROW_GROUP] = {0};
        for (long block = 0; block < blocks; block++) {
            for (int s = 0; s < runs; s++) {
                ck_q_v8 codes[4];
                float scale, offset;
                run_codes(type, row + block * bytes, s, codes, &scale, &offset);
                const long at = block * runs + s;
                for (long i = 0; i < m; i++) {
                    scaled[i] = CK_Q_MADD((ck_q_v8)scale, block_dot(codes, a + i * lda + at * 32), scaled[i]);
                    if (has_offset(type)) offsets[i] += offset * sums[i * (k / 32) + at];
                }
            }
        }
        for (long i = 0; i < m; i++) c[i * ldc + j] = sum8(scaled[i]) + offsets[i];
    }
}

#define CK_Q_RUNS_CASE(TYPE)                                                                  \
    case TYPE: switch (m) {                                                                  \
        case 1: runs_rows(TYPE, 1, w, row_bytes, rows, k, a, lda, c, ldc, sums); return;      \
        case 2: runs_rows(TYPE, 2, w, row_bytes, rows, k, a, lda, c, ldc, sums); return;      \
        case 3: runs_rows(TYPE, 3, w, row_bytes, rows, k, a, lda, c, ldc, sums); return;      \
        default: runs_rows(TYPE, 4, w, row_bytes, rows, k, a, lda, c, ldc, sums); return;     \
    }

static CK_Q_TARGET void rows_product_group(int type, const uint8_t *w, long row_bytes, long rows, long k,
                                           const float *a, long lda, long m, float *c, long ldc,
                                           const float *sums) {
    switch (type) {
    CK_Q_RUNS_CASE(CK_QUANT_Q8_0)
    CK_Q_RUNS_CASE(CK_QUANT_Q4_0)
    CK_Q_RUNS_CASE(CK_QUANT_Q4_1)
    CK_Q_RUNS_CASE(CK_QUANT_Q4_K)
    CK_Q_RUNS_CASE(CK_QUANT_Q5_K)
    CK_Q_RUNS_CASE(CK_QUANT_Q6_K)
    default: return;
    }
}

/// A's rows in groups of `CK_Q_ROW_GROUP` (the sums of a group fill the registers); each group
/// reads the run of W's rows again, from cache.
static CK_Q_TARGET void rows_product_in_place(int type, const uint8_t *w, long row_bytes, long rows, long k,
                                              const float *a, long lda, long m, float *c, long ldc,
                                              const float *sums) {
    for (long first = 0; first < m; first += CK_Q_ROW_GROUP) {
        const long group = m - first < CK_Q_ROW_GROUP ? m - first : CK_Q_ROW_GROUP;
        rows_product_group(type, w, row_bytes, rows, k, a + first * lda, lda, group, c + first * ldc, ldc,
                           sums + first * (k / 32));
    }
}

static CK_Q_TARGET int rows_product(int type, const uint8_t *w, long row_bytes, long rows, long k,
                                    const float *a, long lda, long m, float *c, long ldc) {
    long bytes, values;
    ck_q_block_shape(type, &bytes, &values);
    if (values == 0 || k % values != 0) return -1;
    if (reads_in_place(type)) {
        float *sums = malloc((size_t)(m * (k / 32)) * sizeof(float));
        if (sums) {
            for (long i = 0; i < m; i++) {
                for (long run = 0; run < k / 32; run++) {
                    const float *x = a + i * lda + run * 32;
                    sums[i * (k / 32) + run] = sum8((load8(x) + load8(x + 8)) + (load8(x + 16) + load8(x + 24)));
                }
            }
            rows_product_in_place(type, w, row_bytes, rows, k, a, lda, m, c, ldc, sums);
            free(sums);
            return 0;
        }
    }
    float chunk[CK_Q_CHUNK] __attribute__((aligned(64)));
    for (long j = 0; j < rows; j++) {
        const uint8_t *row = w + j * row_bytes;
        for (long i = 0; i < m; i++) c[i * ldc + j] = 0;
        for (long start = 0; start < k; start += CK_Q_CHUNK) {
            const long length = k - start < CK_Q_CHUNK ? k - start : CK_Q_CHUNK;
            dequantize(type, row + start / values * bytes, chunk, length / values);
            for (long i = 0; i < m; i++) c[i * ldc + j] += dot(a + i * lda + start, chunk, length);
        }
    }
    return 0;
}

const ck_quantized_kernels CK_Q_KERNELS = {
    .dequantize = dequantize,
    .rows_product = rows_product,
};
