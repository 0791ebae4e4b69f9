/* Shared by every kernel: the exported entry point and a few freestanding helpers.
 * Kernels are built with -nostdlib for wasm32, so nothing here may need libc. */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>
#include <stddef.h>

/* The entry every runner calls: run(n) does n-sized work and returns a checksum, so that the
 * work cannot be optimized away and results can be compared across wasm, V8 and native. */
#if defined(__wasm__)
#define BENCH_EXPORT __attribute__((export_name("run"), visibility("default")))
#else
#define BENCH_EXPORT
#endif

/* splitmix32-style generator: deterministic input data without libc's rand. */
static inline uint32_t bench_next(uint32_t *state) {
    uint32_t z = (*state += 0x9E3779B9u);
    z = (z ^ (z >> 16)) * 0x85EBCA6Bu;
    z = (z ^ (z >> 13)) * 0xC2B2AE35u;
    return z ^ (z >> 16);
}

#endif
