#!/usr/bin/env bash
# Service benchmark (issues 5 and 10): h2load against the running server, Invoke of add(i32, i32)
# and Execute from a warm pool, beside two baselines in the same run: "trivial", a Grpc.AspNetCore
# app with nothing but Grpc.HealthCheck's in-memory Check (bench/service/baseline), and "health",
# the sandbox server's own Check (ASP.NET Core health checks behind the server's whole pipeline).
# Authenticated (a configured tenant, Bearer key), metrics on (the Sandbox meter and the
# WatchMetrics listener always record), Serilog request logging in the pipeline at Warning.
# Usage: bench/service/run.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-/tmp/svcbench}
PORT=${PORT:-50071}
. bench/service/server.sh
start_server Sandbox__Tenants__0__ConcurrentCalls=4096
BASELINE_ADDR=http://127.0.0.1:$((PORT + 1))
[ -f "$OUT/baseline/Sandbox.Bench.Baseline.dll" ] || dotnet build -c Release bench/service/baseline -o "$OUT/baseline"
dotnet "$OUT/baseline/Sandbox.Bench.Baseline.dll" $((PORT + 1)) > "$OUT/baseline.log" 2>&1 &
BASELINE=$!
trap 'kill $SERVER $BASELINE' EXIT

printf '(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))' > "$OUT/add.wat"
wat2wasm "$OUT/add.wat" -o "$OUT/add.wasm"
MODULE=$(sha256sum "$OUT/add.wasm" | cut -d' ' -f1)
"${CLI[@]}" compile "$OUT/add.wasm" > /dev/null
INSTANCE=$("${CLI[@]}" instantiate "$MODULE" | python3 -c 'import json,sys; print(json.load(sys.stdin)["instanceId"])')
"${CLI[@]}" execute "$MODULE" add i32:1 i32:2 > /dev/null   # warms the pool

python3 bench/service/grpc_body.py health > "$OUT/health.bin"
python3 bench/service/grpc_body.py invoke "$INSTANCE" add 1 2 > "$OUT/invoke.bin"
python3 bench/service/grpc_body.py execute "$MODULE" add 1 2 > "$OUT/execute.bin"

HEADERS=(-H 'content-type: application/grpc' -H 'te: trailers' -H "authorization: Bearer $KEY")
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # user + system, in clock ticks
run() { # name path body connections streams requests [address pid]
  local name=$1 path=$2 body=$3 c=$4 m=$5 n=$6 addr=${7:-$ADDR} pid=${8:-$SERVER}
  local report="$OUT/$name-c$c-m$m.txt" log="$OUT/$name-c$c-m$m.log"
  rm -f "$log" # h2load appends to its log file
  # An 8 s warm-up (tiered JIT with PGO needs seconds of load, the pool its first calls), then the measured
  # run. --log-file has one row per request, so the percentiles come from every request (h2load
  # itself prints only min, max, mean and sd).
  h2load -D "${WARMUP_SECONDS:-8}" -c "$c" -m "$m" "${HEADERS[@]}" -d "$body" "$addr$path" > /dev/null
  local before; before=$(cpu_ticks "$pid")
  h2load -n "$n" -c "$c" -m "$m" "${HEADERS[@]}" -d "$body" --log-file="$log" "$addr$path" > "$report"
  # The server's CPU per request: steadier than throughput when h2load shares the cores.
  local cpu; cpu=$(awk -v a="$before" -v b="$(cpu_ticks "$pid")" -v n="$n" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", (b - a) * 1e6 / hz / n}')
  printf '%-8s c=%-3s m=%-3s %s | cpu %s us/req | %s\n' "$name" "$c" "$m" \
    "$(grep -E '^finished in' "$report" | cut -d, -f1-2)" "$cpu" \
    "$(cut -f3 "$log" | sort -n | awk '{v[NR] = $1} END {printf "p50 %d us p90 %d us p99 %d us", v[int(NR * 0.5) + 1], v[int(NR * 0.9) + 1], v[int(NR * 0.99) + 1]}')"
}
for round in 1 2; do
  run trivial /grpc.health.v1.Health/Check  "$OUT/health.bin"  16 16 200000 "$BASELINE_ADDR" "$BASELINE"
  run health  /grpc.health.v1.Health/Check  "$OUT/health.bin"  16 16 200000
  run invoke  /sandbox.v1.Sandbox/Invoke    "$OUT/invoke.bin"   16 16 200000
  run execute /sandbox.v1.Sandbox/Execute   "$OUT/execute.bin"  16 16 100000
  run trivial /grpc.health.v1.Health/Check  "$OUT/health.bin"  1 1 20000 "$BASELINE_ADDR" "$BASELINE"
  run health  /grpc.health.v1.Health/Check  "$OUT/health.bin"  1 1 20000
  run invoke  /sandbox.v1.Sandbox/Invoke    "$OUT/invoke.bin"   1 1 20000
  run execute /sandbox.v1.Sandbox/Execute   "$OUT/execute.bin"  1 1 20000
done
print_calls
