// greeter: a command whose greeting comes from a preloaded reactor (counter.c, linked as
// module "counter"): two modules, two memories, one WASI context.
#include <stdio.h>

__attribute__((import_module("counter"), import_name("bump"))) int bump(int by);

int main(int argc, char **argv) {
    printf("hello from %s\n", argc > 1 ? argv[1] : "nobody");
    fflush(stdout);
    return bump(argc) == argc ? 0 : 1;
}
