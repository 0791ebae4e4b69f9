/* SIMD: f32 dot products of 1024-element vectors, four accumulators (f32x4 mul/add). */
#include "../bench.h"

#define LEN 1024

static float A[LEN], B[LEN];

BENCH_EXPORT int run(int n) {
    uint32_t seed = 7;
    for (int i = 0; i < LEN; i++) {
        A[i] = (float)(bench_next(&seed) % 1000) / 1000.0f;
        B[i] = (float)(bench_next(&seed) % 1000) / 1000.0f;
    }
    uint32_t check = 0;
    for (int r = 0; r < n; r++) {
        float acc[4] = {0, 0, 0, 0};
        for (int i = 0; i < LEN; i += 4)
            for (int k = 0; k < 4; k++) acc[k] += A[i + k] * B[i + k];
        float dot = (acc[0] + acc[1]) + (acc[2] + acc[3]);
        union { float f; uint32_t u; } bits = { dot };
        check = check * 31 + bits.u;
        A[r % LEN] += 0.001f; /* each round differs */
    }
    return (int)check;
}
