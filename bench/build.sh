#!/usr/bin/env bash
# Builds every kernel in bench/kernels twice: to wasm32 (for the engine and for Node) and
# natively (with bench/native/harness.c). Outputs go to bench/out/{wasm,native}/<kernel>.
# Needs Debian's clang and lld (apt-get install clang lld), and clang-19 for the SIMD kernels.
set -euo pipefail

bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$bench/out"
clang="${CLANG:-clang}"
simd_clang="${SIMD_CLANG:-clang-19}"
mkdir -p "$out/wasm" "$out/native"

# clang's wasm driver runs any wasm-opt it finds beside itself or on PATH over what it links
# (binaryen's, once the fuzzer's dependencies are installed), and after --strip-all has removed
# the target features section that wasm-opt would read, so it rejects memory.copy and v128. The
# modules measured are clang's alone: -B "$keep" makes the driver find a wasm-opt that leaves
# them as they are.
keep="$out/keep-wasm-opt"
mkdir -p "$keep"
printf '#!/bin/sh\n# bench/build.sh: leaves clang'"'"'s output as it is\nexit 0\n' > "$keep/wasm-opt"
chmod +x "$keep/wasm-opt"

for src in "$bench"/kernels/*.c; do
  name="$(basename "$src" .c)"
  # -nostdlib: kernels are freestanding; --no-entry: a library of exports, no _start.
  # -mbulk-memory lets memset/memcpy loops become memory.fill/memory.copy.
  "$clang" --target=wasm32 -B "$keep" -O2 -mbulk-memory -nostdlib \
    -Wl,--no-entry -Wl,--export=run -Wl,--strip-all \
    -o "$out/wasm/$name.wasm" "$src"
  # -fno-math-errno: sqrt becomes the instruction, as f64.sqrt is in wasm. A kernel marked
  # BENCH_NO_NATIVE has no native build (clang 14 -O2 ran over 15 minutes on bigswitch_large).
  if ! grep -q BENCH_NO_NATIVE "$src"; then
    "$clang" -O2 -fno-math-errno -o "$out/native/$name" "$src" "$bench/native/harness.c" -lm
  fi
  echo "built $name: $(stat -c %s "$out/wasm/$name.wasm") bytes of wasm"
done

# SIMD kernels (kernels/simd/*.c), each built twice from the same source: simd_<k> with
# -msimd128 (clang's vectorizers emit v128 code) and simd_<k>_scalar without, natively with and
# without the vectorizers, so each runner shows what SIMD buys it.
for src in "$bench"/kernels/simd/*.c; do
  name="simd_$(basename "$src" .c)"
  flags=(--target=wasm32 -B "$keep" -O2 -nostdlib -Wl,--no-entry -Wl,--export=run -Wl,--strip-all)
  "$simd_clang" "${flags[@]}" -msimd128 -o "$out/wasm/$name.wasm" "$src"
  "$simd_clang" "${flags[@]}" -o "$out/wasm/${name}_scalar.wasm" "$src"
  "$simd_clang" -O2 -fno-math-errno -o "$out/native/$name" "$src" "$bench/native/harness.c" -lm
  "$simd_clang" -O2 -fno-math-errno -fno-vectorize -fno-slp-vectorize -o "$out/native/${name}_scalar" "$src" "$bench/native/harness.c" -lm
  echo "built $name: $(stat -c %s "$out/wasm/$name.wasm") bytes of wasm (and ${name}_scalar)"
done

# A large module of generated code for throughput figures (decode, validate, compile MB/s).
# Slow to compile (a minute), so only rebuilt when the generator changes.
if [ ! -f "$out/wasm/large.wasm" ] || [ "$bench/gen_large.py" -nt "$out/wasm/large.wasm" ]; then
  python3 "$bench/gen_large.py" "$out/large.c" 4000
  "$clang" --target=wasm32 -B "$keep" -O2 -mbulk-memory -nostdlib -Wl,--no-entry -Wl,--export=run -Wl,--strip-all \
    -o "$out/wasm/large.wasm" "$out/large.c"
fi
echo "built large: $(stat -c %s "$out/wasm/large.wasm") bytes of wasm (throughput input, not a timed kernel)"
