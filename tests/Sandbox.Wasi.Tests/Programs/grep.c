// grep: prints the lines of FILEs (opened through WASI preopens) matching PATTERN, prefixed
// with the file's name when there are several; exit 0 if a line matched, 1 if none, 2 on error.
// Patterns: literals, . ^ $ * + ? and [classes] with ranges and ^ negation (a backtracking
// matcher after Kernighan and Pike's).
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int match_here(const char *re, const char *text);

// The length of the single-character item at re, and whether c matches it.
static int item(const char *re, int c, int *matched) {
    if (*re == '[') {
        const char *p = re + 1;
        int negate = *p == '^', hit = 0;
        if (negate) p++;
        do {
            if (p[1] == '-' && p[2] && p[2] != ']') { hit |= c >= p[0] && c <= p[2]; p += 3; }
            else { hit |= c == *p; p++; }
        } while (*p && *p != ']');
        *matched = c != 0 && (hit ^ negate);
        return (int)(p - re) + (*p == ']');
    }
    *matched = c != 0 && (*re == '.' || *re == c);
    return 1;
}

static int match_repeat(const char *re, int width, int min, int max_one, const char *rest, const char *text) {
    const char *t = text;
    int m, count = 0;
    while (*t && (item(re, *t, &m), m) && !(max_one && count == 1)) { t++; count++; }
    for (; count >= min; count--, t--)
        if (match_here(rest, t)) return 1;
    (void)width;
    return 0;
}

static int match_here(const char *re, const char *text) {
    if (!*re) return 1;
    if (re[0] == '$' && !re[1]) return !*text;
    int m, width = item(re, *text, &m);
    char op = re[width];
    if (op == '*') return match_repeat(re, width, 0, 0, re + width + 1, text);
    if (op == '+') return match_repeat(re, width, 1, 0, re + width + 1, text);
    if (op == '?') return match_repeat(re, width, 0, 1, re + width + 1, text);
    return m && match_here(re + width, text + 1);
}

static int match(const char *re, const char *text) {
    if (*re == '^') return match_here(re + 1, text);
    do { if (match_here(re, text)) return 1; } while (*text++);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: grep PATTERN FILE...\n"); return 2; }
    int found = 0, status = 0;
    char line[4096];
    for (int i = 2; i < argc; i++) {
        FILE *f = fopen(argv[i], "r");
        if (!f) { fprintf(stderr, "grep: %s: %s\n", argv[i], strerror(errno)); status = 2; continue; }
        while (fgets(line, sizeof line, f)) {
            line[strcspn(line, "\n")] = 0;
            if (match(argv[1], line)) {
                found = 1;
                if (argc > 3) printf("%s:", argv[i]);
                printf("%s\n", line);
            }
        }
        fclose(f);
    }
    return status ? status : !found;
}
