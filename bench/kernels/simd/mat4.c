/* SIMD: chains of 4x4 float matrix products (column broadcasts and lane shuffles). */
#include "../bench.h"

typedef struct { float m[16]; } mat4;

static void mul(mat4 *out, const mat4 *a, const mat4 *b) {
    mat4 r;
    for (int c = 0; c < 4; c++)
        for (int row = 0; row < 4; row++)
            r.m[c * 4 + row] = a->m[0 * 4 + row] * b->m[c * 4 + 0] + a->m[1 * 4 + row] * b->m[c * 4 + 1]
                             + a->m[2 * 4 + row] * b->m[c * 4 + 2] + a->m[3 * 4 + row] * b->m[c * 4 + 3];
    *out = r;
}

#define COUNT 64
static mat4 chain[COUNT];

BENCH_EXPORT int run(int n) {
    uint32_t seed = 5;
    for (int i = 0; i < COUNT; i++)
        for (int k = 0; k < 16; k++) chain[i].m[k] = (float)(bench_next(&seed) % 2001) / 1000.0f - 1.0f;
    mat4 acc;
    for (int k = 0; k < 16; k++) acc.m[k] = (k % 5 == 0) ? 1.0f : 0.0f;
    uint32_t check = 0;
    for (int r = 0; r < n; r++) {
        mul(&acc, &acc, &chain[r % COUNT]);
        /* renormalise so the chain stays finite */
        float scale = acc.m[0] * acc.m[0] + acc.m[5] * acc.m[5] + acc.m[10] * acc.m[10] + acc.m[15] * acc.m[15] + 1.0f;
        float inv = 2.0f / scale;
        for (int k = 0; k < 16; k++) acc.m[k] *= inv;
        union { float f; uint32_t u; } bits = { acc.m[r % 16] };
        check = check * 31 + bits.u;
    }
    return (int)check;
}
