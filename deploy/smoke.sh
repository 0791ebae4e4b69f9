#!/usr/bin/env bash
# Smoke test of the container path: builds the image from the Dockerfile, starts the sandbox
# service from docker-compose.yml (host networking, only 127.0.0.1 is called), waits for the
# image's health check, makes real calls with the `sandbox` CLI from the image (compile,
# instantiate, invoke), checks that metrics reach a stand-in OTLP receiver, and tears it all down.
#
# Usage: deploy/smoke.sh        (as root; needs docker, docker-compose (its /usr/bin/python3
#                                has PyYAML), and for stand-in base images debootstrap and .NET)
# Exit:  0 every step passed; 1 a step failed (the summary names it); 77 no Docker engine
#        can run here (dockerd missing or refusing to start), so nothing was tested.
# Env:   SDK_IMAGE, RUNTIME_IMAGE  base images to build with. Unset: the Microsoft images when
#                                  they can be pulled, else local stand-ins (deploy/standin-images.sh)
#        STANDIN_CACHE             where the stand-ins keep their Debian base (default
#                                  /var/cache/sandbox-smoke)
#        SMOKE_IMAGE               the tag to build (default sandbox:smoke)
#        SMOKE_CONTEXT=head        build what is committed (git archive HEAD) instead of the
#                                  working tree, e.g. while others edit the same tree
set -uo pipefail
cd "$(dirname "$0")/.."
readonly root=$PWD
readonly project=sandbox-smoke-$$
readonly image=${SMOKE_IMAGE:-sandbox:smoke}
readonly compose_files=(-f docker-compose.yml -f deploy/smoke/compose.smoke.yml)
# Debian's docker.io (20.10) has no buildx plugin; the classic builder is what runs everywhere.
export DOCKER_BUILDKIT=0 COMPOSE_DOCKER_CLI_BUILD=0

work=$(mktemp -d /tmp/sandbox-smoke.XXXXXX)
chmod 755 "$work" # the CLI container (user 1654) reads the module from here
started_at=$SECONDS
dockerd_pid="" receiver_pid="" compose_up=""
results=() failed_step=""

log() { printf '[smoke] %s\n' "$*" >&2; }

# ---------------------------------------------------------------------------------------------
# Steps: each is recorded as PASS, FAIL or SKIP with its duration, and printed in the summary.

# step NAME COMMAND...: runs a step function, records its outcome.
step() {
  local name=$1; shift
  local start=$SECONDS
  log "── $name"
  if "$@"; then
    results+=("$(printf '%-22s PASS %4d s' "$name" $((SECONDS - start)))")
    return 0
  fi
  results+=("$(printf '%-22s FAIL %4d s' "$name" $((SECONDS - start)))")
  [ -n "$failed_step" ] || failed_step=$name
  return 1
}

skip() {
  results+=("$(printf '%-22s SKIP        (%s)' "$1" "$2")")
}

summary() {
  printf '\n[smoke] summary (%d s in all)\n' $((SECONDS - started_at)) >&2
  printf '  %s\n' "${results[@]}" >&2
  if [ -n "$failed_step" ]; then
    printf '[smoke] FAILED, first at: %s\n' "$failed_step" >&2
  else
    printf '[smoke] PASSED\n' >&2
  fi
}

# ---------------------------------------------------------------------------------------------
# Teardown, on every exit: nothing the script started may outlive it.

compose() { docker-compose -p "$project" -f "$work/compose.yml" "$@"; }

# docker-compose.yml with the smoke overrides, resolved to one file. Host networking publishes
# no ports, and docker-compose 1.29 refuses a service that has both (and cannot drop a list
# from an override), so the sandbox service's `ports` go here.
write_compose_file() {
  docker-compose -p "$project" "${compose_files[@]}" config >"$work/compose.full.yml" \
    && /usr/bin/python3 - "$work/compose.full.yml" "$work/compose.yml" <<'PY'
import sys, yaml
with open(sys.argv[1], encoding="utf-8") as f:
    config = yaml.safe_load(f)
config["services"]["sandbox"].pop("ports", None)
with open(sys.argv[2], "w", encoding="utf-8") as f:
    yaml.safe_dump(config, f, sort_keys=False)
PY
}

teardown() {
  local rc=$?
  if [ -n "$compose_up" ]; then
    if [ -n "$failed_step" ]; then
      log "server log (last 40 lines):"
      compose logs --no-color --tail 40 sandbox >&2 2>&1 || true
    fi
    compose down --remove-orphans --volumes --timeout 20 >/dev/null 2>&1 \
      || log "compose down failed; containers of project $project may remain"
    local left
    left=$(docker ps -aq --filter "label=com.docker.compose.project=$project")
    if [ -n "$left" ]; then
      log "removing leftover containers: $left"
      docker rm -f $left >/dev/null 2>&1 || true
    fi
  fi
  if [ -n "$receiver_pid" ]; then
    kill "$receiver_pid" 2>/dev/null && wait "$receiver_pid" 2>/dev/null
  fi
  if [ -n "$dockerd_pid" ]; then
    log "stopping the dockerd this script started (pid $dockerd_pid)"
    kill "$dockerd_pid" 2>/dev/null
    for _ in $(seq 1 30); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 1; done
  fi
  rm -rf "$work"
  exit "$rc"
}
trap teardown EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------
# The engine: use a running one, else start dockerd for the duration of the script.

ensure_dockerd() {
  for tool in docker docker-compose python3; do
    command -v "$tool" >/dev/null || { log "$tool missing: apt-get install docker.io docker-compose python3"; return 77; }
  done
  if docker info >/dev/null 2>&1; then
    return 0
  fi
  command -v dockerd >/dev/null || { log "no dockerd: apt-get install docker.io"; return 77; }
  # Some machines refuse iptables (no netfilter in the kernel); the smoke test uses host
  # networking, so dockerd without its NAT rules still serves it.
  for flags in "" "--iptables=false"; do
    log "starting dockerd $flags"
    dockerd $flags >"$work/dockerd.log" 2>&1 &
    dockerd_pid=$!
    for _ in $(seq 1 30); do
      if docker info >/dev/null 2>&1; then return 0; fi
      kill -0 "$dockerd_pid" 2>/dev/null || break
      sleep 1
    done
    kill "$dockerd_pid" 2>/dev/null; wait "$dockerd_pid" 2>/dev/null; dockerd_pid=""
    tail -5 "$work/dockerd.log" >&2
  done
  log "dockerd does not start on this machine"
  return 77
}

# ---------------------------------------------------------------------------------------------
# Base images: the Microsoft ones if this machine can pull them, else local stand-ins.

choose_base_images() {
  if [ -n "${SDK_IMAGE:-}" ] && [ -n "${RUNTIME_IMAGE:-}" ]; then
    return 0
  fi
  local sdk=mcr.microsoft.com/dotnet/sdk:10.0 runtime=mcr.microsoft.com/dotnet/aspnet:10.0
  if { docker image inspect "$sdk" || timeout 600 docker pull -q "$sdk"; } >/dev/null 2>&1 \
    && { docker image inspect "$runtime" || timeout 600 docker pull -q "$runtime"; } >/dev/null 2>&1; then
    SDK_IMAGE=$sdk RUNTIME_IMAGE=$runtime
    return 0
  fi
  log "cannot pull $sdk and $runtime; building local stand-ins"
  # The SDK stand-in restores offline from this machine's NuGet cache, so fill it first.
  dotnet restore "$context/src/Server/Sandbox.Server.csproj" >"$work/restore.log" 2>&1 \
    && dotnet restore "$context/src/Cli/Sandbox.Cli.csproj" >>"$work/restore.log" 2>&1 \
    || { tail -20 "$work/restore.log" >&2; return 1; }
  STANDIN_CACHE=${STANDIN_CACHE:-/var/cache/sandbox-smoke} deploy/standin-images.sh || return 1
  SDK_IMAGE=sandbox-standin/dotnet-sdk:10.0 RUNTIME_IMAGE=sandbox-standin/dotnet-aspnet:10.0
}

build_image() {
  log "docker build -t $image $context (SDK_IMAGE=$SDK_IMAGE RUNTIME_IMAGE=$RUNTIME_IMAGE)"
  docker build --force-rm --build-arg "SDK_IMAGE=$SDK_IMAGE" --build-arg "RUNTIME_IMAGE=$RUNTIME_IMAGE" \
    -t "$image" "$context" >"$work/build.log" 2>&1 \
    || { tail -40 "$work/build.log" >&2; return 1; }
  log "image $(docker image inspect "$image" --format '{{.Id}} {{.Size}}' | awk '{printf "%s, %d MB", substr($1, 8, 12), $2 / 1000000}')"
}

# ---------------------------------------------------------------------------------------------
# The service, its tenant, the OTLP receiver.

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_receiver() {
  python3 deploy/smoke/otlp_receiver.py "$work/otlp.port" "$work/otlp.jsonl" 2>"$work/otlp.log" &
  receiver_pid=$!
  for _ in $(seq 1 50); do
    [ -s "$work/otlp.port" ] && { SMOKE_OTLP_PORT=$(cat "$work/otlp.port"); return 0; }
    sleep 0.1
  done
  cat "$work/otlp.log" >&2
  return 1
}

# One tenant with a fresh key, in an env file as an operator would write it (deploy/tenants.example.env).
write_tenant() {
  api_key=smoke-$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  {
    echo "Sandbox__Tenants__0__Id=smoke"
    echo "Sandbox__Tenants__0__ApiKeySha256__0=$(printf %s "$api_key" | sha256sum | cut -d' ' -f1)"
    echo "Sandbox__Tenants__0__MemoryBytes=67108864"
  } >"$work/tenants.env"
}

compose_up_sandbox() {
  export SANDBOX_IMAGE=$image SANDBOX_TENANTS_FILE=$work/tenants.env SMOKE_PORT SMOKE_OTLP_PORT
  write_compose_file || return 1
  compose_up=1
  # --no-deps: the collector, Prometheus and Grafana images come from a registry, and the
  # stand-in receiver takes the collector's place.
  compose up -d --no-deps --no-build sandbox >"$work/compose.log" 2>&1 \
    || { cat "$work/compose.log" >&2; return 1; }
}

wait_healthy() {
  local container status
  container=$(compose ps -q sandbox)
  for _ in $(seq 1 90); do
    status=$(docker inspect "$container" --format '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}')
    case $status in
      "running healthy") log "container healthy after $((SECONDS - up_at)) s"; return 0 ;;
      running*) sleep 1 ;;
      *) log "container is $status"; return 1 ;;
    esac
  done
  log "not healthy after 90 s: $status"
  docker inspect "$container" --format '{{json .State.Health}}' >&2
  return 1
}

# ---------------------------------------------------------------------------------------------
# The calls, made by the CLI from the image, in its own container on the host's network.

# add(i32, i32) -> i32, the smallest module with an export that computes something.
write_module() {
  printf '%b' \
    '\x00\x61\x73\x6d\x01\x00\x00\x00' `# magic "\0asm", version 1` \
    '\x01\x07\x01\x60\x02\x7f\x7f\x01\x7f' `# type section: 1 type, func (i32 i32) -> (i32)` \
    '\x03\x02\x01\x00' `# function section: 1 function of type 0` \
    '\x07\x07\x01\x03add\x00\x00' `# export section: "add" = func 0` \
    '\x0a\x09\x01\x07\x00\x20\x00\x20\x01\x6a\x0b' `# code: no locals; local.get 0, local.get 1, i32.add, end` \
    >"$work/add.wasm"
  chmod 644 "$work/add.wasm"
}

# cli ARGS...: the image's `sandbox` CLI against the smoke server with the tenant's key (or
# $key_override); output in $work/cli.out.
cli() {
  docker run --rm --network host --read-only --user 1654 -v "$work/add.wasm:/smoke/add.wasm:ro" \
    --entrypoint /app/cli/sandbox "$image" \
    "$@" --address "http://127.0.0.1:$SMOKE_PORT" --api-key "${key_override:-$api_key}" --timeout 10s \
    >"$work/cli.out" 2>&1
  local rc=$?
  sed 's/^/    /' "$work/cli.out" >&2
  return $rc
}

json_field() { python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1" <"$work/cli.out"; }

call_health() { cli health --service sandbox.v1.Sandbox && grep -qx SERVING "$work/cli.out"; }
# The tenant comes from the env file: another key is refused, so the calls were not served by
# some default tenant.
call_wrong_key() {
  ! key_override=not-$api_key cli compile /smoke/add.wasm && grep -q Unauthenticated "$work/cli.out"
}
call_compile() { cli compile /smoke/add.wasm --json && module_id=$(json_field moduleId) && [ -n "$module_id" ]; }
call_instantiate() { cli instantiate "$module_id" --json && instance_id=$(json_field instanceId) && [ -n "$instance_id" ]; }
call_invoke() { cli invoke "$instance_id" add i32:2 i32:40 && grep -qx 'i32:42' "$work/cli.out"; }

# Metrics arrive: a POST to /v1/metrics that names the server's call counter, within 20 s
# (the override exports every second).
check_otlp() {
  for _ in $(seq 1 20); do
    if [ -s "$work/otlp.jsonl" ] && python3 - "$work/otlp.jsonl" <<'PY'
import json, sys
posts = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
metrics = [p for p in posts if p["path"] == "/v1/metrics"]
names = sorted({n for p in metrics for n in p["names"]})
sys.exit(0 if "sandbox.calls" in names else 1)
PY
    then
      log "OTLP posts: $(wc -l <"$work/otlp.jsonl"), instruments seen: $(python3 -c 'import json,sys; print(" ".join(sorted({n for l in open(sys.argv[1]) for n in json.loads(l)["names"]})))' "$work/otlp.jsonl")"
      return 0
    fi
    sleep 1
  done
  if [ -s "$work/otlp.jsonl" ]; then
    log "OTLP posts arrived but none named sandbox.calls:"; sed 's/^/    /' "$work/otlp.jsonl" | tail -5 >&2
  else
    log "no OTLP post arrived in 20 s (is OTEL_EXPORTER_OTLP_ENDPOINT honoured by the server?)"
  fi
  return 1
}

# ---------------------------------------------------------------------------------------------

ensure_dockerd; rc=$?
if [ "$rc" -ne 0 ]; then
  log "SKIPPED: no Docker engine here"
  exit "$rc"
fi

context=$root
if [ "${SMOKE_CONTEXT:-}" = head ]; then
  context=$work/head
  mkdir -p "$context" && git archive HEAD | tar -x -C "$context" || exit 1
  log "building commit $(git rev-parse --short HEAD), not the working tree"
fi

# The files compose would hand to images this machine cannot pull: checked statically.
check_configs() {
  docker-compose -f docker-compose.yml config -q && /usr/bin/python3 deploy/smoke/check_configs.py
}
step "config files" check_configs

step "base images" choose_base_images && step "image build" build_image || { summary; exit 1; }

SMOKE_PORT=$(free_port)
write_tenant
write_module
step "otlp receiver" start_receiver || { summary; exit 1; }
up_at=$SECONDS
step "compose up" compose_up_sandbox && step "container healthy" wait_healthy || { summary; exit 1; }

# Each call needs the one before; the metrics check runs whatever they did.
if step "cli health" call_health; then
  if step "cli compile" call_compile; then
    if step "cli instantiate" call_instantiate; then
      step "cli invoke" call_invoke
    else
      skip "cli invoke" "needs an instance"
    fi
  else
    skip "cli instantiate" "needs a module"; skip "cli invoke" "needs an instance"
  fi
  step "cli wrong key" call_wrong_key
fi
step "otlp metrics" check_otlp

summary
[ -z "$failed_step" ]
