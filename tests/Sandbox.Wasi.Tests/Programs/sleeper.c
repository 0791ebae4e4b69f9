// sleeper: sleeps argv[1] seconds (poll_oneoff through wasi-libc's nanosleep), then says so.
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
    sleep(argc > 1 ? (unsigned)atoi(argv[1]) : 1);
    puts("woke up");
    return 0;
}
