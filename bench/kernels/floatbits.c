/* Float bit manipulation, as inference and DSP code does it: fast log2 and exp2 approximations
 * (exponent and mantissa taken apart and put together through the float's bits) over 4096
 * floats, n passes. Every element costs an i32.reinterpret_f32 and two f32.reinterpret_i32.
 * Returns the bits of the sum. */
#include "bench.h"

#define COUNT 4096

static float input[COUNT];

static inline uint32_t bits_of(float f) {
    union { float f; uint32_t u; } v = { .f = f };
    return v.u;
}

static inline float float_of(uint32_t u) {
    union { uint32_t u; float f; } v = { .u = u };
    return v.f;
}

/* log2(x) for x > 0: the exponent plus a quadratic in the mantissa, which is in [1, 2). */
static inline float fast_log2(float x) {
    uint32_t u = bits_of(x);
    float exponent = (float)((int32_t)(u >> 23) - 127);
    float m = float_of((u & 0x007fffffu) | 0x3f800000u);
    return exponent + (-0.34484843f * m + 2.02466578f) * m - 0.67487759f;
}

/* 2^x for x in [-126, 127]: the integer part into the exponent, a quadratic for the rest. */
static inline float fast_exp2(float x) {
    float floor_x = (float)(int32_t)x - (x < (float)(int32_t)x ? 1.0f : 0.0f);
    float f = x - floor_x;
    float scale = float_of((uint32_t)((int32_t)floor_x + 127) << 23);
    return scale * (1.0f + f * (0.65571332f + f * 0.34428668f));
}

BENCH_EXPORT int run(int n) {
    uint32_t state = 42;
    for (int i = 0; i < COUNT; i++) input[i] = 0.001f + (float)(bench_next(&state) >> 8) * (1.0f / 65536.0f);
    float sum = 0.0f;
    for (int pass = 0; pass < n; pass++) {
        for (int i = 0; i < COUNT; i++) {
            float y = fast_exp2(0.5f * fast_log2(input[i]));
            input[i] = y + 0.001f;
            sum += y;
        }
    }
    return (int)bits_of(sum);
}
