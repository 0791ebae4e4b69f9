/* bigswitch.h with 1024 cases: a function past RyuJIT's limits, compiled without optimisation. */
/* BENCH_NO_NATIVE: compared with V8 and Wasmtime only (see build.sh). */
#define CASES 1024
#define CASE_LIST C1024(0)
#include "bigswitch.h"
