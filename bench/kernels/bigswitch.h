/* One function too large for RyuJIT to optimise, or not: a switch-dispatched loop over CASES
 * distinct cases (each its own arithmetic), as interpreters and generated parsers have. Included
 * by bigswitch_small.c (CASES 256: 787 branch points in its wasm, [Optimized]) and
 * bigswitch_large.c (CASES 1024: 3,091 branch points and 38,427 instructions, past RyuJIT's 2,000
 * blocks and 8,000 local references, so [MinOptJitted]: compiled without optimisation,
 * docs/limits.md). run(n) runs n * 4096 dispatches over a pseudo-random stream of case numbers. */
#include "bench.h"

#define C1(k) case (k): \
    a = a * (((k) << 1) | 1u) + (b ^ (k)); b = (b >> ((k) & 7)) ^ (c + (k)); \
    c = c + d * 0x9e3779b9u + (k); d = (d ^ (a >> 3)) + (b << ((k) & 3)); break;
#define C4(k) C1(k) C1((k) + 1) C1((k) + 2) C1((k) + 3)
#define C16(k) C4(k) C4((k) + 4) C4((k) + 8) C4((k) + 12)
#define C64(k) C16(k) C16((k) + 16) C16((k) + 32) C16((k) + 48)
#define C256(k) C64(k) C64((k) + 64) C64((k) + 128) C64((k) + 192)
#define C1024(k) C256(k) C256((k) + 256) C256((k) + 512) C256((k) + 768)

static uint16_t ops[4096];

BENCH_EXPORT int run(int n) {
    uint32_t state = 7;
    for (int i = 0; i < 4096; i++) ops[i] = (uint16_t)(bench_next(&state) % CASES);
    uint32_t a = 1, b = 12345, c = 7, d = 99;
    for (int pass = 0; pass < n; pass++) {
        for (int i = 0; i < 4096; i++) {
            switch (ops[i]) {
                CASE_LIST
                default: a ^= 0xdeadbeefu;
            }
        }
    }
    return (int)(a ^ b ^ c ^ d);
}
