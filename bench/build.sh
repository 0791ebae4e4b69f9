#!/usr/bin/env bash
# Builds every kernel in bench/kernels twice: to wasm32 (for the engine and for Node) and
# natively (with bench/native/harness.c). Outputs go to bench/out/{wasm,native}/<kernel>.
# Needs Debian's clang and lld (apt-get install clang lld).
set -euo pipefail

bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$bench/out"
clang="${CLANG:-clang}"
mkdir -p "$out/wasm" "$out/native"

for src in "$bench"/kernels/*.c; do
  name="$(basename "$src" .c)"
  # -nostdlib: kernels are freestanding; --no-entry: a library of exports, no _start.
  # -mbulk-memory lets memset/memcpy loops become memory.fill/memory.copy.
  "$clang" --target=wasm32 -O2 -mbulk-memory -nostdlib \
    -Wl,--no-entry -Wl,--export=run -Wl,--strip-all \
    -o "$out/wasm/$name.wasm" "$src"
  # -fno-math-errno: sqrt becomes the instruction, as f64.sqrt is in wasm.
  "$clang" -O2 -fno-math-errno -o "$out/native/$name" "$src" "$bench/native/harness.c" -lm
  echo "built $name: $(stat -c %s "$out/wasm/$name.wasm") bytes of wasm"
done

# SIMD kernels (kernels/simd/*.c), each built twice from the same source: simd_<k> with
# -msimd128 (clang's vectorizers emit v128 code) and simd_<k>_scalar without, natively with and
# without the vectorizers, so each runner shows what SIMD buys it.
for src in "$bench"/kernels/simd/*.c; do
  name="simd_$(basename "$src" .c)"
  flags=(--target=wasm32 -O2 -nostdlib -Wl,--no-entry -Wl,--export=run -Wl,--strip-all)
  "$clang" "${flags[@]}" -msimd128 -o "$out/wasm/$name.wasm" "$src"
  "$clang" "${flags[@]}" -o "$out/wasm/${name}_scalar.wasm" "$src"
  "$clang" -O2 -fno-math-errno -o "$out/native/$name" "$src" "$bench/native/harness.c" -lm
  "$clang" -O2 -fno-math-errno -fno-vectorize -fno-slp-vectorize -o "$out/native/${name}_scalar" "$src" "$bench/native/harness.c" -lm
  echo "built $name: $(stat -c %s "$out/wasm/$name.wasm") bytes of wasm (and ${name}_scalar)"
done

# A large module of generated code for throughput figures (decode, validate, compile MB/s).
# Slow to compile (a minute), so only rebuilt when the generator changes.
if [ ! -f "$out/wasm/large.wasm" ] || [ "$bench/gen_large.py" -nt "$out/wasm/large.wasm" ]; then
  python3 "$bench/gen_large.py" "$out/large.c" 4000
  "$clang" --target=wasm32 -O2 -mbulk-memory -nostdlib -Wl,--no-entry -Wl,--export=run -Wl,--strip-all \
    -o "$out/wasm/large.wasm" "$out/large.c"
fi
echo "built large: $(stat -c %s "$out/wasm/large.wasm") bytes of wasm (throughput input, not a timed kernel)"
