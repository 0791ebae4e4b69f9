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
KEY=bench-key
ADDR=http://127.0.0.1:$PORT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 MSBUILDDISABLENODEREUSE=1

if [ ! -f "$OUT/server/Sandbox.Server.dll" ]; then
  dotnet build -c Release src/Server -o "$OUT/server"
  dotnet build -c Release src/Cli -o "$OUT/cli"
fi

Sandbox__Tenants__0__Id=bench \
Sandbox__Tenants__0__ApiKeySha256__0=$(printf %s "$KEY" | sha256sum | cut -d' ' -f1) \
Sandbox__Tenants__0__ConcurrentCalls=$((N + 16)) \
Sandbox__Tenants__0__DefaultCallTimeout=00:00:03 \
Serilog__MinimumLevel__Default=Warning \
  dotnet "$OUT/server/Sandbox.Server.dll" --listen "$ADDR" > "$OUT/spinning-server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER' EXIT
for _ in $(seq 100); do
  dotnet "$OUT/cli/sandbox.dll" --address "$ADDR" health >/dev/null 2>&1 && break
  sleep 0.2
done

printf '(module (func (export "add") (param i32 i32) (result i32) (loop (br 0)) unreachable))' > "$OUT/spin.wat"
wat2wasm "$OUT/spin.wat" -o "$OUT/spin.wasm"
CLI=(dotnet "$OUT/cli/sandbox.dll" --address "$ADDR" --api-key "$KEY" --json)
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
"${CLI[@]}" watch-metrics --count 1 | python3 -c '
import json, sys
sample = json.loads(sys.stdin.readline())
for m in sample.get("metrics", []):
    if m["name"] == "sandbox.calls":
        print("sandbox.calls", m["attributes"], m.get("counter"))'
