#!/usr/bin/env bash
# This engine's runner, through the CLI: `sandbox run FILE --invoke run N --repeat R` prints the
# result, the first call's time (compilation and instantiation included) and the best of the
# repeats; this turns that into one JSON line of the bench/README.md format.
# Usage: bench/sandbox/run.sh <kernel> <n> <repeats>
# SANDBOX_CLI: how to start the CLI (default: dotnet run -c Release --project src/Cli --).
set -euo pipefail

bench="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
name="$1" n="$2" repeats="$3"
read -r -a cli <<< "${SANDBOX_CLI:-dotnet run -c Release --project $bench/../src/Cli --}"

output="$("${cli[@]}" run "$bench/out/wasm/$name.wasm" --invoke run "$n" --repeat "$((repeats + 1))")"
checksum="$(sed -n 1p <<< "$output")"
first_ms="$(sed -n 's/^first call: \([0-9.]*\) ms.*/\1/p' <<< "$output")"
best_ms="$(sed -n 's/^best of [0-9]*: \([0-9.]*\) ms.*/\1/p' <<< "$output")"
if [ -z "$first_ms" ] || [ -z "$best_ms" ]; then
  echo "bench/sandbox/run.sh: unexpected output from sandbox run:" >&2
  echo "$output" >&2
  exit 1
fi
# The CLI counts the first call among the repeats, so one more is asked for above; its best may
# include the first call, which is never the fastest once compiled.
awk -v name="$name" -v n="$n" -v checksum="$checksum" -v first="$first_ms" -v best="$best_ms" -v repeats="$repeats" \
  'BEGIN { printf "{\"runner\":\"sandbox\",\"kernel\":\"%s\",\"n\":%d,\"checksum\":%d,\"first_ns\":%d,\"best_ns\":%d,\"repeats\":%d}\n",
           name, n, checksum, first * 1e6, best * 1e6, repeats }'
