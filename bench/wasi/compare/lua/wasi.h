/* Lua on wasm32-wasi without setjmp (see build.sh): an error ends the run. */
#include <stdlib.h>
#define LUAI_THROW(L, c) abort()
#define LUAI_TRY(L, c, a) { a }
#define luai_jmpbuf int
