#!/usr/bin/env bash
# The service while heavy modules compile (issue 13 item 6: six concurrent compiles of heavy
# modules on request threads pushed health-check p99 to 850-980 ms). N CompileModule calls of
# distinct heavy modules (alternately 100,000 nested blocks and 65,000 functions) start at once,
# and h2load measures the health Check's latency meanwhile, one request in flight. Prints the
# health percentiles before and during the compiles, how long the compiles took, and the
# server's call counters.
# Usage: bench/service/compiles.sh [OUT_DIR] [N]
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-/tmp/svcbench}
N=${2:-6}
PORT=${PORT:-50077}
mkdir -p "$OUT"
. bench/service/server.sh
start_server Sandbox__Tenants__0__ConcurrentCompiles="$N" Sandbox__Tenants__0__CodeBytes=4000000000 \
  Sandbox__Tenants__0__MaxCallTimeout=00:05:00

HEADERS=(-H 'content-type: application/grpc' -H 'te: trailers' -H "authorization: Bearer $KEY")
python3 bench/service/grpc_body.py health > "$OUT/health.bin"
for i in $(seq "$N"); do
  if [ $((i % 2)) -eq 1 ]; then shape="nested 100000"; else shape="functions 65000"; fi
  python3 bench/service/heavy_module.py $shape "run$$-$i" > "$OUT/heavy-$i.wasm"
  python3 bench/service/grpc_body.py compile "$OUT/heavy-$i.wasm" > "$OUT/compile-$i.bin"
done

percentiles() { # label log
  printf 'health %-18s %s\n' "$1" "$(cut -f3 "$2" | sort -n | awk '{v[NR] = $1} END {printf "n %d p50 %d us p99 %d us max %d us", NR, v[int(NR * 0.5) + 1], v[int(NR * 0.99) + 1], v[NR]}')"
}
# 200 health checks a second, one in flight: a load balancer's probes and then some.
probe() { # log count
  h2load -n "$2" -c 1 -m 1 --rps=200 "${HEADERS[@]}" -d "$OUT/health.bin" --log-file="$1" "$ADDR/grpc.health.v1.Health/Check" > /dev/null
}
probe "$OUT/idle-health.log" 400
percentiles "idle" "$OUT/idle-health.log"
started=$(date +%s.%N)
pids=()
for i in $(seq "$N"); do
  h2load -n 1 -c 1 -m 1 "${HEADERS[@]}" -H 'grpc-timeout: 300S' -d "$OUT/compile-$i.bin" "$ADDR/sandbox.v1.Sandbox/CompileModule" > "$OUT/compile-$i.txt" &
  pids+=($!)
done
sleep 0.3
# Probes in batches of one second for as long as a compile runs.
: > "$OUT/compiles-health.log"
alive() { for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && return 0; done; return 1; }
while alive; do
  probe "$OUT/batch-health.log" 200
  cat "$OUT/batch-health.log" >> "$OUT/compiles-health.log"
done
wait "${pids[@]}"
echo "compiles finished in $(python3 -c "import time; print(round(time.time() - $started, 1))") s"
percentiles "during $N compiles" "$OUT/compiles-health.log"
grep -h -E "^status codes" "$OUT"/compile-*.txt | sort | uniq -c
print_calls
