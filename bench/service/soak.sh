#!/usr/bin/env bash
# Soak (issue 13): for MINUTES (default 30), h2load drives Invoke and Execute of add(i32, i32)
# while bench/service/soak_driver.py mixes in what hostile or broken clients send: distinct
# modules compiled without end (the cache evicts, code unloads), malformed modules and requests,
# oversized modules, traps (also 5,000 frames deep), calls ended by CallLimits and by gRPC
# deadlines. Every 10 s the server's RSS and thread count are sampled; h2load runs in one-minute
# rounds whose p50/p99 are printed. Loopback only, bounded in time.
#   Ends with: RSS at the start of the last 20 minutes and at the end (and the change), threads,
#   and the driver's counts per call kind and status; exit 1 if any call ended unexpectedly.
# Usage: bench/service/soak.sh [OUT_DIR] [MINUTES]
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-/tmp/svcbench}
MINUTES=${2:-30}
PORT=${PORT:-50078}
MODULE_LIMIT=1048576
mkdir -p "$OUT"
. bench/service/server.sh
start_server Sandbox__Tenants__0__ConcurrentCalls=128 Sandbox__Tenants__0__ModuleBytes=$MODULE_LIMIT \
  Sandbox__Tenants__0__ModulesCached=32

printf '(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))' > "$OUT/add.wat"
wat2wasm "$OUT/add.wat" -o "$OUT/add.wasm"
MODULE=$(sha256sum "$OUT/add.wasm" | cut -d' ' -f1)
"${CLI[@]}" compile "$OUT/add.wasm" > /dev/null
INSTANCE=$("${CLI[@]}" instantiate "$MODULE" | python3 -c 'import json, sys; print(json.load(sys.stdin)["instanceId"])')
python3 bench/service/grpc_body.py invoke "$INSTANCE" add 1 2 > "$OUT/invoke.bin"
python3 bench/service/grpc_body.py execute "$MODULE" add 1 2 > "$OUT/execute.bin"
HEADERS=(-H 'content-type: application/grpc' -H 'te: trailers' -H "authorization: Bearer $KEY")

SECONDS_TOTAL=$((MINUTES * 60))
: > "$OUT/soak-samples.tsv"
sample() {
  trap - EXIT # a background subshell would run the caller's trap, which stops the server
  local start=$SECONDS
  while [ $((SECONDS - start)) -lt "$SECONDS_TOTAL" ] && kill -0 "$SERVER" 2>/dev/null; do
    printf '%d\t%s\t%s\n' $((SECONDS - start)) \
      "$(awk '/^VmRSS/ {print $2}' /proc/$SERVER/status)" "$(awk '/^Threads/ {print $2}' /proc/$SERVER/status)" >> "$OUT/soak-samples.tsv"
    sleep 10
  done
}
sample &
SAMPLER=$!
# The driver needs grpcio: Debian's python3-grpcio, or any python3 that has it.
PYTHON=$(for p in python3 /usr/bin/python3; do "$p" -c 'import grpc' 2>/dev/null && { echo "$p"; break; }; done)
[ -n "$PYTHON" ] || { echo "soak_driver.py needs grpcio: apt-get install python3-grpcio"; exit 1; }
"$PYTHON" bench/service/soak_driver.py "127.0.0.1:$PORT" "$KEY" "$SECONDS_TOTAL" "$MODULE_LIMIT" > "$OUT/soak-driver.txt" 2>&1 &
DRIVER=$!

pcts() { cut -f3 "$1" | sort -n | awk '{v[NR] = $1} END {printf "p50 %d us p99 %d us", v[int(NR * 0.5) + 1], v[int(NR * 0.99) + 1]}'; }
for round in $(seq "$MINUTES"); do
  rm -f "$OUT/soak-invoke.log" "$OUT/soak-execute.log" # h2load appends: each round's own percentiles
  h2load -D 60 -c 8 -m 8 "${HEADERS[@]}" -d "$OUT/invoke.bin" --log-file="$OUT/soak-invoke.log" "$ADDR/sandbox.v1.Sandbox/Invoke" > "$OUT/soak-invoke.txt" &
  invoke=$!
  h2load -D 60 -c 4 -m 4 "${HEADERS[@]}" -d "$OUT/execute.bin" --log-file="$OUT/soak-execute.log" "$ADDR/sandbox.v1.Sandbox/Execute" > "$OUT/soak-execute.txt"
  wait $invoke
  printf 'minute %2d  invoke %s req/s %s  execute %s req/s %s  rss %s kB threads %s\n' "$round" \
    "$(awk '/^finished in/ {print int($4)}' "$OUT/soak-invoke.txt")" "$(pcts "$OUT/soak-invoke.log")" \
    "$(awk '/^finished in/ {print int($4)}' "$OUT/soak-execute.txt")" "$(pcts "$OUT/soak-execute.log")" \
    "$(awk '/^VmRSS/ {print $2}' /proc/$SERVER/status)" "$(awk '/^Threads/ {print $2}' /proc/$SERVER/status)"
done
driver_rc=0
wait $DRIVER || driver_rc=$?
kill $SAMPLER 2>/dev/null || true
cat "$OUT/soak-driver.txt"
# Flat: RSS over the last 20 minutes (or the last two thirds of a shorter run).
python3 - "$OUT/soak-samples.tsv" "$SECONDS_TOTAL" <<'PY'
import sys
rows = [tuple(map(int, line.split("\t"))) for line in open(sys.argv[1]) if line.strip()]
total = int(sys.argv[2])
window = min(20 * 60, total * 2 // 3)
tail = [r for r in rows if r[0] >= total - window]
first, last = tail[0], tail[-1]
low, high = min(r[1] for r in tail), max(r[1] for r in tail)
print(f"rss at {first[0]} s {first[1] // 1024} MB, at {last[0]} s {last[1] // 1024} MB ({(last[1] - first[1]) * 100 / first[1]:+.1f}%), "
      f"range over the last {window // 60} min {low // 1024}-{high // 1024} MB ({(high - low) * 100 / low:.1f}%)")
# Endpoints and range move with the GC's heap between collections; the least-squares trend over
# every sample of the window is what growth would show.
n = len(tail)
mean_t = sum(r[0] for r in tail) / n
mean_rss = sum(r[1] for r in tail) / n
slope = sum((r[0] - mean_t) * (r[1] - mean_rss) for r in tail) / max(1, sum((r[0] - mean_t) ** 2 for r in tail))
print(f"rss trend over the last {window // 60} min {slope * 60 / 1024:+.2f} MB/min, {slope * window * 100 / mean_rss:+.1f}% across the window "
      f"(mean {mean_rss / 1024:.0f} MB, {n} samples)")
print(f"threads at {first[0]} s {first[2]}, at {last[0]} s {last[2]}, range {min(r[2] for r in tail)}-{max(r[2] for r in tail)}")
PY
print_calls
exit $driver_rc
