/* SIMD: i64x2 and f64x2 arithmetic over 8192-element arrays (mul, add, shifts, xor; f64 mul-add). */
#include "../bench.h"

#define LEN 8192

static uint64_t a[LEN], b[LEN];
static double x[LEN], y[LEN];

BENCH_EXPORT int run(int n) {
    uint32_t seed = 9;
    for (int i = 0; i < LEN; i++) {
        a[i] = ((uint64_t)bench_next(&seed) << 32) | bench_next(&seed);
        b[i] = ((uint64_t)bench_next(&seed) << 32) | bench_next(&seed);
        x[i] = (double)(bench_next(&seed) % 1000) / 1000.0;
        y[i] = (double)(bench_next(&seed) % 1000) / 1000.0;
    }
    for (int r = 0; r < n; r++) {
        for (int i = 0; i < LEN; i++) a[i] = a[i] * 0x9E3779B97F4A7C15ull + (b[i] ^ (b[i] >> 7));
        for (int i = 0; i < LEN; i++) y[i] = y[i] * 0.5 + x[i] * 0.25;
    }
    uint64_t h = 0;
    for (int i = 0; i < LEN; i++) {
        union { double d; uint64_t u; } bits = { y[i] };
        h = h * 31 + a[i] + bits.u;
    }
    return (int)(h ^ (h >> 32));
}
