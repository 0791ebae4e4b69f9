/* SIMD: byte scanning and counting over 64 KiB (i8x16.eq, widening sums). */
#include "../bench.h"

#define LEN 65536

static uint8_t data[LEN];

BENCH_EXPORT int run(int n) {
    uint32_t seed = 3;
    for (int i = 0; i < LEN; i++) data[i] = (uint8_t)(bench_next(&seed) % 64);
    uint32_t total = 0;
    for (int r = 0; r < n; r++) {
        uint8_t needle = (uint8_t)(r % 64);
        uint32_t count = 0;
        for (int i = 0; i < LEN; i++) count += data[i] == needle;
        total = total * 33 + count;
    }
    return (int)total;
}
