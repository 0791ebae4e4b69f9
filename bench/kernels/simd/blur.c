/* SIMD: a 1-2-1 image filter on a 512x256 u8 image, widened to u16 and narrowed back. */
#include "../bench.h"

#define W 512
#define H 256

static uint8_t src[W * H], dst[W * H];

BENCH_EXPORT int run(int n) {
    uint32_t seed = 11;
    for (int i = 0; i < W * H; i++) src[i] = (uint8_t)bench_next(&seed);
    uint32_t check = 0;
    for (int r = 0; r < n; r++) {
        for (int y = 0; y < H; y++) {
            const uint8_t *row = src + y * W;
            uint8_t *out = dst + y * W;
            out[0] = row[0];
            out[W - 1] = row[W - 1];
            for (int x = 1; x < W - 1; x++)
                out[x] = (uint8_t)(((uint16_t)row[x - 1] + 2 * (uint16_t)row[x] + (uint16_t)row[x + 1] + 2) >> 2);
        }
        check = check * 31 + dst[(r * 7919) % (W * H)];
        src[r % (W * H)] ^= 0x5A;
    }
    return (int)check;
}
