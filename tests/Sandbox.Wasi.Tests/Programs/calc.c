// calc: a small interpreter reading its program from a file (argv[1]) or stdin. Statements, one
// per line: NAME = EXPR, print EXPR[, EXPR...], while EXPR ... end, if EXPR ... [else ...] end.
// Integers are 64-bit; variables are names of letters; operators * / % + - < <= > >= == != and
// parentheses, with C's precedence. Errors print "line N: ..." and exit with 2.
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINES 4096
#define MAX_VARS 256

static char *lines[MAX_LINES];
static int line_count, current;
static char names[MAX_VARS][32];
static int64_t values[MAX_VARS];
static int var_count;
static const char *p;

static void fail(const char *what) { printf("line %d: %s\n", current + 1, what); exit(2); }
static void skip(void) { while (*p == ' ' || *p == '\t') p++; }

static int64_t *variable(const char *name, size_t n) {
    for (int i = 0; i < var_count; i++)
        if (strlen(names[i]) == n && !strncmp(names[i], name, n)) return &values[i];
    if (var_count == MAX_VARS || n >= 32) fail("too many variables");
    memcpy(names[var_count], name, n);
    names[var_count][n] = 0;
    values[var_count] = 0;
    return &values[var_count++];
}

static int64_t expr(void);

static int64_t primary(void) {
    skip();
    if (*p == '(') { p++; int64_t v = expr(); skip(); if (*p++ != ')') fail("expected )"); return v; }
    if (*p == '-') { p++; return -primary(); }
    if (isdigit((unsigned char)*p)) return strtoll(p, (char **)&p, 10);
    if (isalpha((unsigned char)*p)) {
        const char *s = p;
        while (isalpha((unsigned char)*p)) p++;
        return *variable(s, (size_t)(p - s));
    }
    fail("expected a value");
    return 0;
}

static int64_t term(void) {
    int64_t v = primary();
    for (;;) {
        skip();
        char op = *p;
        if (op != '*' && op != '/' && op != '%') return v;
        p++;
        int64_t r = primary();
        if (op != '*' && r == 0) fail("division by zero");
        v = op == '*' ? v * r : op == '/' ? v / r : v % r;
    }
}

static int64_t sum(void) {
    int64_t v = term();
    for (;;) {
        skip();
        if (*p == '+') { p++; v += term(); }
        else if (*p == '-') { p++; v -= term(); }
        else return v;
    }
}

static int64_t expr(void) {
    int64_t v = sum();
    skip();
    if (!strncmp(p, "<=", 2)) { p += 2; return v <= sum(); }
    if (!strncmp(p, ">=", 2)) { p += 2; return v >= sum(); }
    if (!strncmp(p, "==", 2)) { p += 2; return v == sum(); }
    if (!strncmp(p, "!=", 2)) { p += 2; return v != sum(); }
    if (*p == '<') { p++; return v < sum(); }
    if (*p == '>') { p++; return v > sum(); }
    return v;
}

static int keyword(const char *word) {
    size_t n = strlen(word);
    skip();
    if (strncmp(p, word, n) || isalpha((unsigned char)p[n])) return 0;
    p += n;
    return 1;
}

// The line of the "end" (or "else" when wanted) closing the block opened at line `from`.
static int block_end(int from, int want_else) {
    int depth = 0;
    for (int i = from + 1; i < line_count; i++) {
        p = lines[i];
        if (keyword("while") || keyword("if")) depth++;
        else if (keyword("end")) { if (depth-- == 0) return i; }
        else if (want_else && depth == 0 && keyword("else")) return i;
    }
    current = from;
    fail("block without end");
    return 0;
}

static void run(int from, int to) {
    for (current = from; current < to; current++) {
        p = lines[current];
        skip();
        if (!*p || *p == '#') continue;
        if (keyword("print")) {
            for (int first = 1;; first = 0) {
                if (!first) putchar(' ');
                printf("%lld", (long long)expr());
                skip();
                if (*p != ',') break;
                p++;
            }
            putchar('\n');
        } else if (keyword("while")) {
            int start = current, end = block_end(start, 0);
            for (;;) {
                p = lines[start]; keyword("while");
                current = start;
                if (!expr()) break;
                run(start + 1, end);
            }
            current = end;
        } else if (keyword("if")) {
            int start = current, end = block_end(start, 0), otherwise = block_end(start, 1);
            p = lines[start]; keyword("if");
            current = start;
            if (expr()) run(start + 1, otherwise);
            else if (otherwise < end) run(otherwise + 1, end);
            current = end;
        } else if (isalpha((unsigned char)*p)) {
            const char *s = p;
            while (isalpha((unsigned char)*p)) p++;
            int64_t *target = variable(s, (size_t)(p - s));
            skip();
            if (*p++ != '=') fail("expected =");
            *target = expr();
        } else {
            fail("unknown statement");
        }
        skip();
        if (*p && *p != '#') fail("unexpected text after the statement");
    }
}

int main(int argc, char **argv) {
    FILE *in = argc > 1 ? fopen(argv[1], "r") : stdin;
    if (!in) { perror(argv[1]); return 1; }
    char buffer[1024];
    while (line_count < MAX_LINES && fgets(buffer, sizeof buffer, in)) {
        buffer[strcspn(buffer, "\r\n")] = 0;
        lines[line_count++] = strdup(buffer);
    }
    run(0, line_count);
    return 0;
}
