/* Native runner: times one kernel (linked in as run()) and prints one JSON line in the format
 * of bench/README.md. Usage: <kernel-binary> <name> <n> <repeats> */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int run(int n);

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s <name> <n> <repeats>\n", argv[0]);
        return 2;
    }
    const char *name = argv[1];
    int n = atoi(argv[2]);
    int repeats = atoi(argv[3]);

    int64_t start = now_ns();
    int checksum = run(n);
    int64_t first = now_ns() - start;

    int64_t best = first;
    for (int i = 0; i < repeats; i++) {
        start = now_ns();
        int again = run(n);
        int64_t elapsed = now_ns() - start;
        if (again != checksum) {
            fprintf(stderr, "%s: checksum changed between runs (%d, then %d)\n", name, checksum, again);
            return 1;
        }
        if (elapsed < best) best = elapsed;
    }
    printf("{\"runner\":\"native\",\"kernel\":\"%s\",\"n\":%d,\"checksum\":%d,"
           "\"first_ns\":%lld,\"best_ns\":%lld,\"repeats\":%d}\n",
           name, n, checksum, (long long)first, (long long)best, repeats);
    return 0;
}
