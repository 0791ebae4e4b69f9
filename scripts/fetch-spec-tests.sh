#!/usr/bin/env bash
# Fetches the WebAssembly spec testsuite at the pinned commits and converts it with wabt's
# wast2json into the layout the engine's spec tests read (see SpecDirectory in
# tests/Sandbox.Engine.Tests/Spec):
#
#   <dest>/core/X.json + X.N.wasm|wat          WebAssembly 2.0 core (testsuite c2a67a5)
#   <dest>/proposals/threads/...               threads proposal      (testsuite 193e551)
#   <dest>/proposals/custom-page-sizes/...     custom-page-sizes     (testsuite 193e551)
#   <dest>/wast/core, <dest>/wast/proposals/*  the .wast sources
#
# The data is third-party (Apache-2.0) and stays outside this repository.
#
# Usage: scripts/fetch-spec-tests.sh [dest]    (default: ../shared/spec next to the repository)
# Needs: git (network access to GitHub, or SPEC_TESTSUITE_URL for a mirror), and wast2json from wabt 1.0.36 or newer (custom-page-sizes support); set
# WAST2JSON to use a particular binary. Point the tests at another folder with SANDBOX_SPEC_DIR.
set -euo pipefail

readonly TESTSUITE_URL="${SPEC_TESTSUITE_URL:-https://github.com/WebAssembly/testsuite.git}" # override for a mirror
readonly CORE_COMMIT="c2a67a5"                                        # 2023-09-15, WebAssembly 2.0
readonly PROPOSALS_COMMIT="193e551"                                   # 2026-06-17, threads + custom-page-sizes
readonly PROPOSALS=(threads custom-page-sizes)

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${1:-$repo_root/../shared/spec}"
mkdir -p "$dest"
dest="$(cd "$dest" && pwd)" # absolute: convert() runs wast2json from inside the output folder
wast2json="${WAST2JSON:-wast2json}"

command -v git >/dev/null || { echo "git is required" >&2; exit 1; }
command -v "$wast2json" >/dev/null || {
  echo "wast2json not found: install wabt (apt-get install wabt, or a release from github.com/WebAssembly/wabt)" >&2
  exit 1
}
echo "using $("$wast2json" --version 2>/dev/null | head -n1 || echo '?') from $(command -v "$wast2json")"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# checkout <commit> <dir>: a blobless clone, then the commit (short hashes resolve after the clone).
checkout() {
  git clone --quiet --filter=blob:none --no-checkout "$TESTSUITE_URL" "$2"
  git -C "$2" checkout --quiet "$(git -C "$2" rev-parse "$1^{commit}")"
}

# convert <wast dir> <out dir> [wast2json flags...]: every .wast to <out>/X.json + modules.
# A file wast2json cannot convert is reported and skipped (e.g. custom-page-sizes/memory_max.wast,
# whose 4 GiB memories overflow wabt's limits), so one file does not cost the rest.
convert() {
  local from="$1" to="$2"
  shift 2
  mkdir -p "$to"
  local failed=0 wast name
  for wast in "$from"/*.wast; do
    name="$(basename "$wast" .wast)"
    if ! (cd "$to" && "$wast2json" "$@" "$wast" -o "$name.json" >/dev/null 2>"$work/$name.err"); then
      echo "  skipped $name.wast: $(head -n1 "$work/$name.err")" >&2
      rm -f "$to/$name.json" "$to/$name".*.wasm "$to/$name".*.wat
      failed=$((failed + 1))
    fi
  done
  echo "  $(ls "$to"/*.json 2>/dev/null | wc -l) scripts in $to ($failed skipped)"
}

echo "core: testsuite $CORE_COMMIT"
checkout "$CORE_COMMIT" "$work/core"
rm -rf "$dest/core" "$dest/wast/core"
mkdir -p "$dest/wast/core"
cp "$work/core"/*.wast "$dest/wast/core/"
convert "$dest/wast/core" "$dest/core"
cp "$work/core/LICENSE"* "$dest/" 2>/dev/null || true

echo "proposals: testsuite $PROPOSALS_COMMIT"
checkout "$PROPOSALS_COMMIT" "$work/proposals"
for proposal in "${PROPOSALS[@]}"; do
  rm -rf "$dest/proposals/$proposal" "$dest/wast/proposals/$proposal"
  mkdir -p "$dest/wast/proposals/$proposal"
  cp "$work/proposals/proposals/$proposal"/*.wast "$dest/wast/proposals/$proposal/"
  convert "$dest/wast/proposals/$proposal" "$dest/proposals/$proposal" "--enable-$proposal"
done

echo "done: $dest (tests find it as ../shared/spec, or set SANDBOX_SPEC_DIR=$dest)"
