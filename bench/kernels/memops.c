/* Memory loops: fill, copy and a strided read-modify-write over a 1 MiB buffer, n passes.
 * The byte loops are written out (clang may still turn them into memset/memcpy, which with
 * -mbulk-memory become memory.fill/memory.copy: that is what C compilers emit for real code). */
#include "bench.h"

#define SIZE (1u << 20)

static uint8_t a[SIZE];
static uint8_t b[SIZE];

BENCH_EXPORT int run(int n) {
    uint32_t sum = 0;
    for (int pass = 0; pass < n; pass++) {
        uint8_t v = (uint8_t)(pass * 7 + 1);
        for (uint32_t i = 0; i < SIZE; i++) a[i] = v;                 /* memset-like */
        for (uint32_t i = 0; i < SIZE; i++) b[i] = a[i];              /* memcpy-like */
        uint32_t *w = (uint32_t *)b;
        for (uint32_t i = 0; i < SIZE / 4; i += 3) w[i] = w[i] * 31u + i; /* strided word RMW */
        for (uint32_t i = 0; i < SIZE / 4; i += 64) sum += w[i];
    }
    return (int)sum;
}
