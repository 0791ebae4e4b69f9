/* Memory loops: sieve of Eratosthenes below n, byte per number; returns the prime count. */
#include "bench.h"

#define LIMIT (1u << 24)

static uint8_t composite[LIMIT];

BENCH_EXPORT int run(int n) {
    uint32_t limit = (uint32_t)n < LIMIT ? (uint32_t)n : LIMIT;
    for (uint32_t i = 0; i < limit; i++) composite[i] = 0;
    int count = 0;
    for (uint32_t i = 2; i < limit; i++) {
        if (composite[i]) continue;
        count++;
        for (uint64_t j = (uint64_t)i * i; j < limit; j += i) composite[j] = 1;
    }
    return count;
}
