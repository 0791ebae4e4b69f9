#!/usr/bin/env bash
# Builds the kernels, runs them natively and in Node, and prints a table of times and ratios.
# Every runner prints JSON lines (bench/README.md); they are collected in bench/out/results.jsonl
# and joined by bench/table.mjs. A runner for this engine joins by printing the same lines
# with "runner": "sandbox" (set SANDBOX_BENCH to a command that does; it gets no arguments).
set -euo pipefail

bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$bench/build.sh" >/dev/null
results="$bench/out/results.jsonl"
: > "$results"

repeats="$(node -e "console.log(require('$bench/kernels.json').repeats)")"
for name in $(node -e "console.log(Object.keys(require('$bench/kernels.json').kernels).join(' '))"); do
  n="$(node -e "console.log(require('$bench/kernels.json').kernels['$name'])")"
  "$bench/out/native/$name" "$name" "$n" "$repeats" >> "$results"
done
node "$bench/node/run.mjs" >> "$results"
if [ -n "${SANDBOX_BENCH:-}" ]; then
  $SANDBOX_BENCH >> "$results"
fi
node "$bench/table.mjs" "$results"
