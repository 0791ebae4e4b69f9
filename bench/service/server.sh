# Sourced by the service benchmarks: builds the Release server and CLI into $OUT (once), starts the
# server with one tenant ("bench", Bearer key $KEY) on $ADDR, and stops it on exit.
#   start_server [Sandbox__Key=value ...]   extra configuration for this benchmark
#   print_calls                             the server's sandbox.calls counters by rpc and outcome
# Sets KEY, ADDR, SERVER and CLI (an array: the CLI with the address, key and --json).
KEY=bench-key
ADDR=http://127.0.0.1:$PORT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 MSBUILDDISABLENODEREUSE=1

start_server() {
  if [ ! -f "$OUT/server/Sandbox.Server.dll" ]; then
    dotnet build -c Release src/Server -o "$OUT/server"
    dotnet build -c Release src/Cli -o "$OUT/cli"
  fi
  env Sandbox__Tenants__0__Id=bench \
    Sandbox__Tenants__0__ApiKeySha256__0="$(printf %s "$KEY" | sha256sum | cut -d' ' -f1)" \
    Serilog__MinimumLevel__Default="${LOG_LEVEL:-Warning}" \
    "$@" dotnet "$OUT/server/Sandbox.Server.dll" --listen "$ADDR" > "$OUT/server.log" 2>&1 &
  SERVER=$!
  trap 'kill $SERVER' EXIT
  for _ in $(seq 100); do
    dotnet "$OUT/cli/sandbox.dll" --address "$ADDR" health >/dev/null 2>&1 && break
    sleep 0.2
  done
  CLI=(dotnet "$OUT/cli/sandbox.dll" --address "$ADDR" --api-key "$KEY" --json)
}

# h2load counts HTTP 200s; gRPC statuses travel in trailers. The server's own counters say how
# many calls ended how.
print_calls() {
  "${CLI[@]}" watch-metrics --count 1 | python3 -c '
import json, sys
sample = json.loads(sys.stdin.readline())
for m in sample.get("metrics", []):
    if m["name"] == "sandbox.calls":
        print("sandbox.calls", m["attributes"], m.get("counter"))'
}
