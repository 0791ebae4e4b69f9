// counter: a WASI reactor (built with -mexec-model=reactor): _initialize runs wasi-libc's
// constructors, then the host calls its exports. bump prints through WASI from its own memory.
#include <stdio.h>

static int count = 100; // set by a constructor below, so a missing _initialize shows

__attribute__((constructor)) static void start(void) { count = 0; }

__attribute__((export_name("bump"))) int bump(int by) {
    count += by;
    printf("count is %d\n", count);
    fflush(stdout);
    return count;
}
