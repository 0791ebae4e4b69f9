// write1(n): n calls of fd_write(1, one iovec of one byte), straight to the WASI import
// (no stdio buffering), returning how many bytes were written.
#include <wasi/api.h>

__attribute__((export_name("write1"))) int write1(int n) {
    static const unsigned char byte = 'x';
    __wasi_ciovec_t iov = { &byte, 1 };
    int total = 0;
    for (int i = 0; i < n; i++) {
        __wasi_size_t written;
        if (__wasi_fd_write(1, &iov, 1, &written) != 0) return -1;
        total += (int)written;
    }
    return total;
}
