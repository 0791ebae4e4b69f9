/* A switch-dispatched interpreter loop: a tiny stack machine running a program that sums
 * (i * i) xor i for i below n, with a data-dependent branch. Indirect-branch heavy. */
#include "bench.h"

enum op { PUSH, LOAD, STORE, ADD, SUB, MUL, XOR, AND, LT, JZ, JMP, DUP, DROP, HALT };

typedef struct { uint8_t op; int32_t arg; } instr;

/* vars: 0 = i, 1 = n, 2 = sum */
static const instr program[] = {
    /* 0 */ {PUSH, 0}, {STORE, 0},                          /* i = 0 */
    /* 2 */ {PUSH, 0}, {STORE, 2},                          /* sum = 0 */
    /* 4 */ {LOAD, 0}, {LOAD, 1}, {LT, 0}, {JZ, 28},        /* while (i < n) */
    /* 8 */ {LOAD, 0}, {DUP, 0}, {MUL, 0}, {LOAD, 0}, {XOR, 0}, /* v = (i * i) ^ i */
    /* 13 */ {DUP, 0}, {PUSH, 1}, {AND, 0}, {JZ, 20},       /* if (v & 1) */
    /* 17 */ {PUSH, 3}, {MUL, 0}, {JMP, 20},                /*   v *= 3 */
    /* 20 */ {LOAD, 2}, {ADD, 0}, {STORE, 2},               /* sum += v */
    /* 23 */ {LOAD, 0}, {PUSH, 1}, {ADD, 0}, {STORE, 0},    /* i++ */
    /* 27 */ {JMP, 4},
    /* 28 */ {LOAD, 2}, {HALT, 0},                          /* return sum */
};

/* The program is copied into writable memory at run time so no compiler can specialize the
 * interpreter for it. */
static instr code[sizeof program / sizeof program[0]];

BENCH_EXPORT int run(int n) {
    for (size_t i = 0; i < sizeof program / sizeof program[0]; i++) code[i] = program[i];

    int32_t stack[16];
    int32_t vars[3] = {0, n, 0};
    int sp = 0, pc = 0;
    for (;;) {
        instr in = code[pc++];
        switch (in.op) {
        case PUSH: stack[sp++] = in.arg; break;
        case LOAD: stack[sp++] = vars[in.arg]; break;
        case STORE: vars[in.arg] = stack[--sp]; break;
        case ADD: sp--; stack[sp - 1] = (int32_t)((uint32_t)stack[sp - 1] + (uint32_t)stack[sp]); break;
        case SUB: sp--; stack[sp - 1] = (int32_t)((uint32_t)stack[sp - 1] - (uint32_t)stack[sp]); break;
        case MUL: sp--; stack[sp - 1] = (int32_t)((uint32_t)stack[sp - 1] * (uint32_t)stack[sp]); break;
        case XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
        case AND: sp--; stack[sp - 1] &= stack[sp]; break;
        case LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
        case JZ: if (stack[--sp] == 0) pc = in.arg; break;
        case JMP: pc = in.arg; break;
        case DUP: stack[sp] = stack[sp - 1]; sp++; break;
        case DROP: sp--; break;
        case HALT: return stack[sp - 1];
        }
    }
}
