/* Calls: naive recursive Fibonacci, dominated by call/return overhead. run(30) ~ 1.6M calls. */
#include "bench.h"

/* noinline keeps the recursion a real call in every compiler. */
__attribute__((noinline)) static int fib(int n) {
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

BENCH_EXPORT int run(int n) {
    return fib(n);
}
