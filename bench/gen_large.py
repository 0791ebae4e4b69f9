#!/usr/bin/env python3
"""Writes a large C file (bench/out/large.c) of many varied functions, compiled by build.sh to
bench/out/wasm/large.wasm: input for measuring decode/validate/compile throughput (MB of wasm
per second), which the small kernels are too small to show. Deterministic: same output each run."""
import random
import sys

count = int(sys.argv[2]) if len(sys.argv) > 2 else 4000
out = sys.argv[1]
rng = random.Random(1234)
ops = ["+", "-", "*", "^", "|", "&"]
with open(out, "w") as f:
    f.write("#include <stdint.h>\n")
    f.write("static uint32_t table[256];\nstatic double ftable[64];\n")
    for i in range(count):
        f.write(f"__attribute__((noinline)) uint32_t f{i}(uint32_t a, uint32_t b, double x) {{\n")
        f.write("  uint32_t s = a;\n")
        for j in range(rng.randint(3, 8)):
            op = rng.choice(ops)
            k = rng.randint(1, 1 << 20)
            kind = rng.randint(0, 4)
            if kind == 0:
                f.write(f"  for (uint32_t i = 0; i < (b & 63); i++) s = (s {op} {k}u) + table[(s + i) & 255];\n")
            elif kind == 1:
                f.write(f"  if (s > {k}u) s = s {op} (b << {j % 31}); else s = (s >> 3) {op} {k}u;\n")
            elif kind == 2:
                f.write(f"  x = x * {rng.random():.6f} + ftable[s & 63]; s += (uint32_t)(x > {k}.0);\n")
            elif kind == 3:
                f.write(f"  switch (s & 7) {{ case 0: s += {k}u; break; case 1: s ^= b; break; case 2: s *= 3u; break; "
                        f"case 5: s -= {k % 977}u; break; default: s = (s << 1) | (s >> 31); }}\n")
            else:
                callee = rng.randint(0, i - 1) if i > 0 else None
                if callee is not None:
                    f.write(f"  if ((s & 1023) == {k & 1023}) s += f{callee}(s, b + 1, x);\n")
                else:
                    f.write(f"  s = s {op} {k}u;\n")
        f.write("  table[s & 255] = s;\n  return s;\n}\n")
    f.write("__attribute__((export_name(\"run\"))) int run(int n) {\n  uint32_t s = 0;\n")
    for i in range(0, count, max(1, count // 64)):
        f.write(f"  s += f{i}((uint32_t)n, s, 1.5);\n")
    f.write("  return (int)s;\n}\n")
