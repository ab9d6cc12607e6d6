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

#include <string.h>

// No fused multiply-adds: every product and sum is rounded as the reference rounds it.
#pragma STDC FP_CONTRACT OFF

#define CK_Q_INLINE static inline __attribute__((always_inline)) CK_Q_TARGET

/// IEEE binary16 → binary32, every value exact (subnormals, infinities and NaNs included).
CK_Q_INLINE float half_to_float(uint16_t h) {
    const uint32_t sign = (uint32_t)(h & 0x8000) << 16;
    uint32_t exponent = (h >> 10) & 0x1F, fraction = h & 0x3FF, bits;
    if (exponent == 0x1F) {
        bits = sign | 0x7F800000u | fraction << 13;
    } else if (exponent != 0) {
        bits = sign | (exponent + 112) << 23 | fraction << 13;
    } else if (fraction == 0) {
        bits = sign;
    } else {
        int unbiased = -14;
        while (!(fraction & 0x400)) { fraction <<= 1; unbiased--; }
        bits = sign | (uint32_t)(unbiased + 127) << 23 | (fraction & 0x3FF) << 13;
    }
    float x;
    memcpy(&x, &bits, sizeof x);
    return x;
}

CK_Q_INLINE float half_at(const uint8_t *p) {
    return half_to_float((uint16_t)(p[0] | p[1] << 8));
}

CK_Q_INLINE void widen_q8_0(const uint8_t *b, float *y) {
    const float d = half_at(b);
    const int8_t *q = (const int8_t *)(b + 2);
    for (int j = 0; j < 32; j++) y[j] = (float)q[j] * d;
}

CK_Q_INLINE void widen_q4_0(const uint8_t *b, float *y) {
    const float d = half_at(b);
    const uint8_t *qs = b + 2;
    for (int j = 0; j < 16; j++) {
        y[j] = (float)((int)(qs[j] & 0x0F) - 8) * d;
        y[j + 16] = (float)((int)(qs[j] >> 4) - 8) * d;
    }
}

CK_Q_INLINE void widen_q4_1(const uint8_t *b, float *y) {
    const float d = half_at(b), m = half_at(b + 2);
    const uint8_t *qs = b + 4;
    for (int j = 0; j < 16; j++) {
        y[j] = (float)(qs[j] & 0x0F) * d + m;
        y[j + 16] = (float)(qs[j] >> 4) * d + m;
    }
}

CK_Q_INLINE void widen_q5_0(const uint8_t *b, float *y) {
    const float d = half_at(b);
    const uint32_t qh = (uint32_t)b[2] | (uint32_t)b[3] << 8 | (uint32_t)b[4] << 16 | (uint32_t)b[5] << 24;
    const uint8_t *qs = b + 6;
    for (int j = 0; j < 16; j++) {
        const int high0 = ((qh >> j) << 4) & 0x10, high1 = (qh >> (j + 12)) & 0x10;
        y[j] = (float)(((qs[j] & 0x0F) | high0) - 16) * d;
        y[j + 16] = (float)(((qs[j] >> 4) | high1) - 16) * d;
    }
}

CK_Q_INLINE void widen_q5_1(const uint8_t *b, float *y) {
    const float d = half_at(b), m = half_at(b + 2);
    const uint32_t qh = (uint32_t)b[4] | (uint32_t)b[5] << 8 | (uint32_t)b[6] << 16 | (uint32_t)b[7] << 24;
    const uint8_t *qs = b + 8;
    for (int j = 0; j < 16; j++) {
        const int high0 = ((qh >> j) << 4) & 0x10, high1 = (qh >> (j + 12)) & 0x10;
        y[j] = (float)((qs[j] & 0x0F) | high0) * d + m;
        y[j + 16] = (float)((qs[j] >> 4) | high1) * d + m;
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
        for (int l = 0; l < 32; l++) y[l] = d1 * (float)(q[l] & 0x0F) - m1;
        for (int l = 0; l < 32; l++) y[l + 32] = d2 * (float)(q[l] >> 4) - m2;
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
        for (int l = 0; l < 32; l++) y[l] = d1 * (float)((ql[l] & 0x0F) + (((qh[l] >> low) & 1) << 4)) - m1;
        for (int l = 0; l < 32; l++) y[l + 32] = d2 * (float)((ql[l] >> 4) + (((qh[l] >> high) & 1) << 4)) - m2;
        ql += 32;
        y += 64;
    }
}

CK_Q_INLINE void widen_q6_k(const uint8_t *b, float *y) {
    const uint8_t *ql = b, *qh = b + 128;
    const int8_t *sc = (const int8_t *)(b + 192);
    const float d = half_at(b + 208);
    for (int half = 0; half < 2; half++) {
        for (int l = 0; l < 32; l++) {
            const int is = l / 16;
            const int q1 = (int)((ql[l] & 0x0F) | ((qh[l] & 3) << 4)) - 32;
            const int q2 = (int)((ql[l + 32] & 0x0F) | (((qh[l] >> 2) & 3) << 4)) - 32;
            const int q3 = (int)((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
            const int q4 = (int)((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
            y[l] = d * (float)sc[is] * (float)q1;
            y[l + 32] = d * (float)sc[is + 2] * (float)q2;
            y[l + 64] = d * (float)sc[is + 4] * (float)q3;
            y[l + 96] = d * (float)sc[is + 6] * (float)q4;
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

const ck_quantized_kernels CK_Q_KERNELS = {
    .dequantize = dequantize,
};
