/* Floating point: n x n double matrix multiply (ikj order), checksum over the result's bits. */
#include "bench.h"

#define MAX 256

static double A[MAX * MAX], B[MAX * MAX], C[MAX * MAX];

BENCH_EXPORT int run(int n) {
    if (n > MAX) n = MAX;
    uint32_t seed = 42;
    for (int i = 0; i < n * n; i++) {
        A[i] = (double)(bench_next(&seed) % 1000) / 997.0;
        B[i] = (double)(bench_next(&seed) % 1000) / 991.0;
        C[i] = 0.0;
    }
    for (int i = 0; i < n; i++)
        for (int k = 0; k < n; k++) {
            double aik = A[i * n + k];
            for (int j = 0; j < n; j++) C[i * n + j] += aik * B[k * n + j];
        }
    double sum = 0.0;
    for (int i = 0; i < n * n; i++) sum += C[i];
    union { double d; uint64_t u; } bits = { sum };
    return (int)(bits.u ^ (bits.u >> 32));
}
