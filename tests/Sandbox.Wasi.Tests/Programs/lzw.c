// lzw: LZW compression with 12-bit codes (as Unix compress without its header).
//   lzw c < input > packed      lzw d < packed > input
// Codes are packed 12 bits each, big-endian; the dictionary resets when full.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CODES 4096
#define FIRST_FREE 256

static int prefix[MAX_CODES], suffix[MAX_CODES];
static int bitbuf, bitcount;

static void put_code(int code) {
    bitbuf = (bitbuf << 12) | code;
    bitcount += 12;
    while (bitcount >= 8) {
        putchar((bitbuf >> (bitcount - 8)) & 0xFF);
        bitcount -= 8;
    }
}

static int get_code(void) {
    while (bitcount < 12) {
        int c = getchar();
        if (c == EOF) return -1;
        bitbuf = (bitbuf << 8) | c;
        bitcount += 8;
    }
    bitcount -= 12;
    return (bitbuf >> bitcount) & 0xFFF;
}

static int find(int p, int c, int next) {
    for (int i = FIRST_FREE; i < next; i++)
        if (prefix[i] == p && suffix[i] == c) return i;
    return -1;
}

static void compress(void) {
    int next = FIRST_FREE, w = getchar(), c;
    if (w == EOF) return;
    while ((c = getchar()) != EOF) {
        int code = find(w, c, next);
        if (code >= 0) { w = code; continue; }
        put_code(w);
        if (next < MAX_CODES) { prefix[next] = w; suffix[next] = c; next++; }
        else next = FIRST_FREE;
        w = c;
    }
    put_code(w);
    if (bitcount > 0) putchar((bitbuf << (8 - bitcount)) & 0xFF);
}

static unsigned char stack[MAX_CODES];

static int emit(int code) {
    int n = 0;
    while (code >= FIRST_FREE) { stack[n++] = (unsigned char)suffix[code]; code = prefix[code]; }
    stack[n++] = (unsigned char)code;
    for (int i = n - 1; i >= 0; i--) putchar(stack[i]);
    return code; // the first byte
}

static void decompress(void) {
    int next = FIRST_FREE, old = get_code(), code;
    if (old < 0) return;
    int first = emit(old);
    while ((code = get_code()) >= 0) {
        int known = code < next;
        if (!known && code != next) { fprintf(stderr, "lzw: corrupt input\n"); exit(2); }
        first = known ? emit(code) : -1;
        if (!known) { first = emit(old); putchar(first); }
        if (next < MAX_CODES) { prefix[next] = old; suffix[next] = first; next++; }
        else next = FIRST_FREE;
        old = code;
    }
}

int main(int argc, char **argv) {
    if (argc != 2 || (strcmp(argv[1], "c") && strcmp(argv[1], "d"))) {
        fprintf(stderr, "usage: lzw c|d < in > out\n");
        return 1;
    }
    if (argv[1][0] == 'c') compress(); else decompress();
    return 0;
}
