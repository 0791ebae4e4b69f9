// json: reads one JSON document on stdin and writes it back minified with object keys sorted
// (a canonical form), or "error at N: ..." with exit code 2.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Value Value;
struct Value {
    char type; // n t f d s a o
    char *text; // number text or string (raw, escapes kept)
    int count;
    char **keys;
    Value **items;
};

static char *src;
static size_t pos, len;

static void fail(const char *what) { printf("error at %zu: %s\n", pos, what); exit(2); }
static void ws(void) { while (pos < len && strchr(" \t\r\n", src[pos])) pos++; }

static Value *parse(int depth);

static char *string(void) {
    size_t start = ++pos;
    while (pos < len && src[pos] != '"') {
        if (src[pos] == '\\') pos++;
        else if ((unsigned char)src[pos] < 0x20) fail("control character in string");
        pos++;
    }
    if (pos >= len) fail("unterminated string");
    char *s = malloc(pos - start + 1);
    memcpy(s, src + start, pos - start);
    s[pos - start] = 0;
    pos++;
    return s;
}

static Value *make(char type) { Value *v = calloc(1, sizeof *v); v->type = type; return v; }

static void add(Value *v, char *key, Value *item) {
    v->keys = realloc(v->keys, (v->count + 1) * sizeof *v->keys);
    v->items = realloc(v->items, (v->count + 1) * sizeof *v->items);
    v->keys[v->count] = key;
    v->items[v->count++] = item;
}

static Value *parse(int depth) {
    if (depth > 200) fail("nested too deeply");
    ws();
    if (pos >= len) fail("unexpected end");
    char c = src[pos];
    if (c == '{' || c == '[') {
        Value *v = make(c == '{' ? 'o' : 'a');
        pos++; ws();
        if (pos < len && src[pos] == (c == '{' ? '}' : ']')) { pos++; return v; }
        for (;;) {
            char *key = NULL;
            if (c == '{') {
                ws();
                if (pos >= len || src[pos] != '"') fail("expected a key");
                key = string(); ws();
                if (pos >= len || src[pos] != ':') fail("expected ':'");
                pos++;
            }
            add(v, key, parse(depth + 1));
            ws();
            if (pos < len && src[pos] == ',') { pos++; continue; }
            if (pos < len && src[pos] == (c == '{' ? '}' : ']')) { pos++; return v; }
            fail("expected ',' or a closing bracket");
        }
    }
    if (c == '"') { Value *v = make('s'); v->text = string(); return v; }
    if (!strncmp(src + pos, "true", 4)) { pos += 4; return make('t'); }
    if (!strncmp(src + pos, "false", 5)) { pos += 5; return make('f'); }
    if (!strncmp(src + pos, "null", 4)) { pos += 4; return make('n'); }
    size_t start = pos;
    if (src[pos] == '-') pos++;
    while (pos < len && strchr("0123456789.eE+-", src[pos])) pos++;
    if (pos == start) fail("unexpected character");
    Value *v = make('d');
    v->text = malloc(pos - start + 1);
    memcpy(v->text, src + start, pos - start);
    v->text[pos - start] = 0;
    return v;
}

static void sort(Value *v) {
    for (int i = 1; i < v->count; i++)
        for (int j = i; j > 0 && strcmp(v->keys[j - 1], v->keys[j]) > 0; j--) {
            char *k = v->keys[j]; v->keys[j] = v->keys[j - 1]; v->keys[j - 1] = k;
            Value *x = v->items[j]; v->items[j] = v->items[j - 1]; v->items[j - 1] = x;
        }
}

static void print(Value *v) {
    switch (v->type) {
    case 'n': fputs("null", stdout); break;
    case 't': fputs("true", stdout); break;
    case 'f': fputs("false", stdout); break;
    case 'd': fputs(v->text, stdout); break;
    case 's': printf("\"%s\"", v->text); break;
    default:
        if (v->type == 'o') sort(v);
        putchar(v->type == 'o' ? '{' : '[');
        for (int i = 0; i < v->count; i++) {
            if (i) putchar(',');
            if (v->keys[i]) printf("\"%s\":", v->keys[i]);
            print(v->items[i]);
        }
        putchar(v->type == 'o' ? '}' : ']');
    }
}

int main(void) {
    size_t cap = 1 << 16;
    src = malloc(cap);
    size_t n;
    while ((n = fread(src + len, 1, cap - len, stdin)) > 0) {
        len += n;
        if (len == cap) src = realloc(src, cap *= 2);
    }
    Value *v = parse(0);
    ws();
    if (pos != len) fail("trailing characters");
    print(v);
    putchar('\n');
    return 0;
}
