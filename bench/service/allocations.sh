#!/usr/bin/env bash
# Bytes allocated per Invoke of add(i32, i32) by the server, by type (issue 10): the server runs
# with bench/service/allocations as a startup hook, h2load warms it for 8 s at 16x16, then the
# hook's counts are reset, N requests are made and the counts read. Same server setup as run.sh.
# Usage: bench/service/allocations.sh [OUT_DIR] [requests=300000] [types=30]
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-/tmp/svcbench}
N=${2:-300000}
TYPES=${3:-30}
PORT=${PORT:-50075}
mkdir -p "$OUT"
dotnet build -c Release bench/service/allocations -o "$OUT/allocations" > /dev/null
COUNTS=$OUT/allocations.tsv
rm -f "$COUNTS" "$COUNTS".*
. bench/service/server.sh
start_server Sandbox__Tenants__0__ConcurrentCalls=4096 DOTNET_STARTUP_HOOKS="$OUT/allocations/Sandbox.Bench.Allocations.dll" ALLOCATIONS_OUT="$COUNTS"

printf '(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))' > "$OUT/add.wat"
wat2wasm "$OUT/add.wat" -o "$OUT/add.wasm"
MODULE=$(sha256sum "$OUT/add.wasm" | cut -d' ' -f1)
"${CLI[@]}" compile "$OUT/add.wasm" > /dev/null
INSTANCE=$("${CLI[@]}" instantiate "$MODULE" | python3 -c 'import json,sys; print(json.load(sys.stdin)["instanceId"])')
python3 bench/service/grpc_body.py invoke "$INSTANCE" add 1 2 > "$OUT/invoke.bin"
HEADERS=(-H 'content-type: application/grpc' -H 'te: trailers' -H "authorization: Bearer $KEY")
h2load -D 8 -c 16 -m 16 "${HEADERS[@]}" -d "$OUT/invoke.bin" "$ADDR/sandbox.v1.Sandbox/Invoke" > /dev/null

wait_for_file() { for _ in $(seq 50); do [ ! -e "$1" ] && return; sleep 0.1; done; echo "the hook did not answer" >&2; exit 1; }
touch "$COUNTS.reset"; wait_for_file "$COUNTS.reset"
h2load -n "$N" -c 16 -m 16 "${HEADERS[@]}" -d "$OUT/invoke.bin" "$ADDR/sandbox.v1.Sandbox/Invoke" | grep -E "^(finished in|status codes)"
touch "$COUNTS.dump"; wait_for_file "$COUNTS.dump"
awk -F'\t' -v n="$N" -v top="$TYPES" '{ total += $1; bytes[NR] = $1; type[NR] = $2 }
  END {
    printf "%.0f bytes allocated per request (sampled, the idle moments between the reset and the read included)\n", total / n
    for (i = 1; i <= NR && i <= top; i++) printf "%8.0f B  %5.1f%%  %s\n", bytes[i] / n, 100 * bytes[i] / total, type[i]
  }' "$COUNTS"
