#!/usr/bin/env bash
# Builds local stand-ins for the Dockerfile's two base images, for machines that cannot reach
# mcr.microsoft.com (tests/Sandbox.Container.Tests calls this unless SDK_IMAGE/RUNTIME_IMAGE are set):
#
#   sandbox-standin/dotnet-sdk:10.0      Debian bookworm + this machine's .NET SDK + its NuGet cache
#   sandbox-standin/dotnet-aspnet:10.0   Debian bookworm + this machine's .NET and ASP.NET runtimes
#
# They mimic what the Dockerfile relies on in the Microsoft images: dotnet in /usr/share/dotnet
# (linked from /usr/bin/dotnet), user `app` with APP_UID=1654, ASPNETCORE_HTTP_PORTS=8080.
# The SDK stand-in restores offline: its NuGet.Config names only the package cache copied from
# this machine, so run a restore of src/Server and src/Cli here first (a `dotnet build` or the
# test run of .ci/run does).
#
# Usage: deploy/standin-images.sh [--force]    (needs root, debootstrap and a running dockerd)
# Env:   STANDIN_MIRROR   Debian mirror (default http://deb.debian.org/debian)
#        STANDIN_CACHE    a folder to keep the debootstrapped base in as a tar, reused next time
set -euo pipefail

readonly SDK_TAG=sandbox-standin/dotnet-sdk:10.0
readonly RUNTIME_TAG=sandbox-standin/dotnet-aspnet:10.0
readonly SUITE=bookworm
readonly APP_UID=1654
mirror=${STANDIN_MIRROR:-http://deb.debian.org/debian}
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
nuget_cache=${NUGET_PACKAGES:-$HOME/.nuget/packages}

log() { printf '[standin] %s\n' "$*" >&2; }

[ -x "$dotnet_root/dotnet" ] || { log "no .NET SDK on this machine (dotnet not on PATH)"; exit 1; }
[ -d "$nuget_cache" ] || { log "no NuGet cache at $nuget_cache: restore src/Server and src/Cli first"; exit 1; }

# What the images are made of: the SDKs and runtimes installed here and every package in the
# cache. A project that adds a package changes it, and the stand-ins are built again.
fingerprint=$( { ls "$dotnet_root/sdk" "$dotnet_root/shared"/*; cd "$nuget_cache" && ls -d -- */*/; } | sha256sum | cut -c1-16)
current=$( (docker image inspect "$SDK_TAG" --format '{{range .Config.Env}}{{println .}}{{end}}' 2>/dev/null || true) \
  | sed -n 's/^SANDBOX_STANDIN_FINGERPRINT=//p')
if [ "${1:-}" != "--force" ] && [ "$current" = "$fingerprint" ] && docker image inspect "$RUNTIME_TAG" >/dev/null 2>&1; then
  log "$SDK_TAG and $RUNTIME_TAG are up to date ($fingerprint); --force rebuilds them"
  exit 0
fi
command -v debootstrap >/dev/null || { log "debootstrap missing: apt-get install debootstrap"; exit 1; }

work=$(mktemp -d /var/tmp/sandbox-standin.XXXXXX)
cleanup() { rm -rf "$work"; }
trap cleanup EXIT

# One minimal Debian for both images. libssl3 because .NET's cryptography (SHA-256 module ids)
# calls OpenSSL on Linux; no ICU, so both images run with invariant globalization, as the
# project is built (Directory.Build.props).
if [ -n "${STANDIN_CACHE:-}" ] && [ -f "$STANDIN_CACHE/$SUITE-minbase.tar" ]; then
  log "Debian $SUITE from $STANDIN_CACHE/$SUITE-minbase.tar"
  mkdir -p "$work/base"
  tar --numeric-owner -C "$work/base" -xf "$STANDIN_CACHE/$SUITE-minbase.tar"
else
  log "debootstrap $SUITE from $mirror"
  start=$SECONDS
  debootstrap --variant=minbase --include=libssl3,ca-certificates,tzdata \
    "$SUITE" "$work/base" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  rm -rf "$work/base/var/cache/apt/archives/"*.deb "$work/base/var/lib/apt/lists/"*
  log "debootstrap took $((SECONDS - start)) s"
  if [ -n "${STANDIN_CACHE:-}" ]; then
    mkdir -p "$STANDIN_CACHE"
    tar --numeric-owner -C "$work/base" -cf "$STANDIN_CACHE/$SUITE-minbase.tar" .
  fi
fi

# The user the Microsoft images create, so `USER $APP_UID` means the same thing here.
chroot "$work/base" groupadd --gid "$APP_UID" app
chroot "$work/base" useradd --uid "$APP_UID" --gid "$APP_UID" --no-create-home --shell /usr/sbin/nologin app

# import ROOTFS TAG CHANGE... : the folder as a single-layer image, with Dockerfile-style changes.
import() {
  local rootfs=$1 tag=$2; shift 2
  local changes=()
  for change in "$@"; do changes+=(--change "$change"); done
  start=$SECONDS
  tar --numeric-owner -C "$rootfs" -cf - . | docker import "${changes[@]}" - "$tag" >/dev/null
  log "imported $tag ($(du -sh "$rootfs" | cut -f1)) in $((SECONDS - start)) s"
}

common_env=(
  "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  "ENV DOTNET_RUNNING_IN_CONTAINER=true"
  "ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true"
)

# Runtime: the host (dotnet, hostfxr) and the shared frameworks, nothing of the SDK.
runtime=$work/runtime
cp -a "$work/base" "$runtime"
mkdir -p "$runtime/usr/share/dotnet"
cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$dotnet_root/shared" "$runtime/usr/share/dotnet/"
ln -sf /usr/share/dotnet/dotnet "$runtime/usr/bin/dotnet"
import "$runtime" "$RUNTIME_TAG" "${common_env[@]}" \
  "ENV APP_UID=$APP_UID" "ENV ASPNETCORE_HTTP_PORTS=8080" "WORKDIR /app"
rm -rf "$runtime"

# SDK: all of dotnet, and the NuGet cache as the only package source, so restore needs no network.
sdk=$work/base
mkdir -p "$sdk/usr/share/dotnet" "$sdk/root/.nuget/NuGet"
cp -a "$dotnet_root/." "$sdk/usr/share/dotnet/"
ln -sf /usr/share/dotnet/dotnet "$sdk/usr/bin/dotnet"
# The cache goes where the build's restore looks first (the global packages folder), and the same
# folder is the feed: its id/version/id.version.nupkg layout is a NuGet local feed's.
cp -a "$nuget_cache" "$sdk/root/.nuget/packages"
cat >"$sdk/root/.nuget/NuGet/NuGet.Config" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<!-- Stand-in image only: packages copied from the machine that built it; no network. -->
<configuration>
  <packageSources>
    <clear />
    <add key="offline" value="/root/.nuget/packages" />
  </packageSources>
</configuration>
XML
import "$sdk" "$SDK_TAG" "${common_env[@]}" \
  "ENV DOTNET_CLI_TELEMETRY_OPTOUT=1" "ENV NUGET_CERT_REVOCATION_MODE=offline" \
  "ENV SANDBOX_STANDIN_FINGERPRINT=$fingerprint" "WORKDIR /"
log "done: $SDK_TAG $RUNTIME_TAG"
