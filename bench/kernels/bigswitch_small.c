/* bigswitch.h with 256 cases: a function RyuJIT optimises. */
/* BENCH_NO_NATIVE: compared with V8 and Wasmtime only (see build.sh). */
#define CASES 256
#define CASE_LIST C256(0)
#include "bigswitch.h"
