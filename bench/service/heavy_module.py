#!/usr/bin/env python3
"""Writes a module that is heavy to compile (issue 13 item 6), byte by byte:

Usage: heavy_module.py nested DEPTH SALT > m.wasm      one function of DEPTH nested blocks
       heavy_module.py functions COUNT SALT > m.wasm   COUNT empty functions

The first function is exported as "f". A custom section holding SALT makes modules of the same
shape distinct (another SHA-256, so the server compiles each). Binary format: WebAssembly core
spec section 5 (sections are id, LEB128 size, contents; vectors are LEB128 count, elements).
"""
import sys


def leb(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | 0x80 if n else b)
        if not n:
            return bytes(out)


def section(section_id, content):
    return bytes([section_id]) + leb(len(content)) + content


def vector(items):
    return leb(len(items)) + b"".join(items)


def module(bodies, salt):
    types = section(1, vector([b"\x60\x00\x00"]))                   # one type: [] -> []
    functions = section(3, vector([b"\x00"] * len(bodies)))         # every function of type 0
    exports = section(7, vector([leb(1) + b"f" + b"\x00" + leb(0)]))    # name "f", kind func, index 0
    code = section(10, vector([leb(len(b)) + b for b in bodies]))
    custom = section(0, b"\x04salt" + salt.encode())
    return b"\x00asm\x01\x00\x00\x00" + types + functions + exports + code + custom


def main():
    kind, n, salt = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if kind == "nested":  # no locals; block (empty) x n; end x n; end
        bodies = [b"\x00" + b"\x02\x40" * n + b"\x0b" * (n + 1)]
    elif kind == "functions":  # no locals; end
        bodies = [b"\x00\x0b"] * n
    else:
        raise SystemExit(__doc__)
    sys.stdout.buffer.write(module(bodies, salt))


if __name__ == "__main__":
    main()
