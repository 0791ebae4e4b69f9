#!/usr/bin/env bash
# The service while guests run long (issue 5: nothing a guest sends may hang the server): N
# Execute calls of `(loop (br 0))` spin to their 3 s deadline at once, and h2load measures the
# health Check's latency meanwhile, one request in flight. Prints the health percentiles before
# and during the spins, how long the spinning calls took, and the server's call counters.
# Usage: bench/service/spinning.sh [OUT_DIR] [N]
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-/tmp/svcbench}
N=${2:-32}
PORT=${PORT:-50076}
. bench/service/server.sh
start_server Sandbox__Tenants__0__ConcurrentCalls=$((N + 16)) Sandbox__Tenants__0__DefaultCallTimeout=00:00:03

printf '(module (func (export "add") (param i32 i32) (result i32) (loop (br 0)) unreachable))' > "$OUT/spin.wat"
wat2wasm "$OUT/spin.wat" -o "$OUT/spin.wasm"
MODULE=$(sha256sum "$OUT/spin.wasm" | cut -d' ' -f1)
"${CLI[@]}" compile "$OUT/spin.wasm" > /dev/null
python3 bench/service/grpc_body.py execute "$MODULE" add 1 2 > "$OUT/spin.bin"
python3 bench/service/grpc_body.py health > "$OUT/health.bin"
HEADERS=(-H 'content-type: application/grpc' -H 'te: trailers' -H "authorization: Bearer $KEY")

health() { # label
  rm -f "$OUT/spinning-health.log"
  h2load -n 200 -c 1 -m 1 "${HEADERS[@]}" -d "$OUT/health.bin" --log-file="$OUT/spinning-health.log" "$ADDR/grpc.health.v1.Health/Check" > /dev/null
  printf 'health %-14s %s\n' "$1" "$(cut -f3 "$OUT/spinning-health.log" | sort -n | awk '{v[NR] = $1} END {printf "p50 %d us p99 %d us max %d us", v[int(NR * 0.5) + 1], v[int(NR * 0.99) + 1], v[NR]}')"
}
health "idle"
h2load -n "$N" -c "$N" -m 1 "${HEADERS[@]}" -d "$OUT/spin.bin" "$ADDR/sandbox.v1.Sandbox/Execute" > "$OUT/spinning-execute.txt" &
SPIN=$!
sleep 0.5
health "during $N spins"
wait $SPIN
echo "spinning Execute calls: $(grep -E '^finished in' "$OUT/spinning-execute.txt" | cut -d, -f1)"
print_calls
