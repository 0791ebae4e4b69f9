// ticker: COUNT lines "tick I" on stdout (flushed) and "tock I" on stderr, sleeping SECONDS
// between them (poll_oneoff through wasi-libc's sleep): a long run whose output streams.
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
    int count = argc > 1 ? atoi(argv[1]) : 3;
    unsigned seconds = argc > 2 ? (unsigned)atoi(argv[2]) : 0;
    for (int i = 0; i < count; i++) {
        printf("tick %d\n", i);
        fflush(stdout);
        fprintf(stderr, "tock %d\n", i);
        if (i + 1 < count && seconds > 0) sleep(seconds);
    }
    return 0;
}
