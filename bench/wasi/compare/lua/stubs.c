/* What Lua's io and os libraries call and wasi-libc lacks: each fails as the C library may. */
#include <errno.h>
#include <stdio.h>

FILE *tmpfile(void) { errno = ENOTSUP; return NULL; }
char *tmpnam(char *s) { (void)s; return NULL; }
int system(const char *command) { (void)command; errno = ENOTSUP; return -1; }
