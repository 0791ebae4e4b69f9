#!/usr/bin/env bash
# The SIMD kernels (kernels/simd/*.c) natively, in Node's V8, in Wasmtime and in this engine, each in its
# -msimd128 build (simd_<k>) and its scalar build (simd_<k>_scalar), interleaved kernel by kernel
# as run.sh does. BENCH_REPEATS timed runs each (default 30: the engine's tiered JIT needs a few
# more calls than V8 to reach steady state on these short kernels). Results in
# out/simd-results.jsonl; the table after.
#   SANDBOX_BENCH   the engine's runner (default bench/sandbox/run.sh)
#   WASMTIME_BENCH  Wasmtime's runner (default bench/wasmtime, built here; set it empty to leave it out)
set -euo pipefail

bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$bench/build.sh" >/dev/null
results="$bench/out/simd-results.jsonl"
: > "$results"
sandbox="${SANDBOX_BENCH-$bench/sandbox/run.sh}"
wasmtime="${WASMTIME_BENCH-$bench/wasmtime/bin/Release/net10.0/Sandbox.Bench.Wasmtime}"
if [ "$wasmtime" = "$bench/wasmtime/bin/Release/net10.0/Sandbox.Bench.Wasmtime" ]; then
  dotnet build -c Release "$bench/wasmtime" >/dev/null
fi
export BENCH_REPEATS="${BENCH_REPEATS:-30}"

config() { node -e "const c = require('$bench/kernels.json'); console.log($1)"; }
for src in "$bench"/kernels/simd/*.c; do
  for name in "simd_$(basename "$src" .c)" "simd_$(basename "$src" .c)_scalar"; do
    n="$(config "c.simd['$name']")"
    "$bench/out/native/$name" "$name" "$n" "$BENCH_REPEATS" >> "$results"
    node "$bench/node/run.mjs" "$name" >> "$results"
    if [ -n "$wasmtime" ]; then "$wasmtime" "$name" >> "$results"; fi
    if [ -n "$sandbox" ]; then $sandbox "$name" "$n" "$BENCH_REPEATS" >> "$results"; fi
  done
done
node "$bench/table.mjs" "$results"
