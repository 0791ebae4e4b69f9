#!/usr/bin/env bash
# Builds the kernels, runs each natively, in Node and in this engine, and prints a table of
# times and ratios. Runners are interleaved kernel by kernel so that a change in machine load
# (other builds on a shared VM) skews all runners of a kernel alike. Every runner prints one
# JSON line per kernel (bench/README.md), collected in bench/out/results.jsonl and joined by
# bench/table.mjs.
#   SANDBOX_BENCH  the engine's runner, called as `$SANDBOX_BENCH <kernel> <n> <repeats>`
#                  (default bench/sandbox/run.sh; set it empty to leave the engine out)
set -euo pipefail

bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$bench/build.sh" >/dev/null
results="$bench/out/results.jsonl"
: > "$results"
sandbox="${SANDBOX_BENCH-$bench/sandbox/run.sh}"

config() { node -e "const c = require('$bench/kernels.json'); console.log($1)"; }
repeats="$(config c.repeats)"
for name in $(config "Object.keys(c.kernels).join(' ')"); do
  n="$(config "c.kernels['$name']")"
  if [ -x "$bench/out/native/$name" ]; then "$bench/out/native/$name" "$name" "$n" "$repeats" >> "$results"; fi
  node "$bench/node/run.mjs" "$name" >> "$results"
  if [ -n "$sandbox" ]; then $sandbox "$name" "$n" "$repeats" >> "$results"; fi
done
node "$bench/table.mjs" "$results"
