#!/usr/bin/env bash
# Builds Lua 5.4's interpreter for wasm32-wasi (clang-19 -O2, wasi-libc) into OUTPUT: a real
# interpreter whose luaV_execute is one large function (18.7 KB of Wasm, 9,211 instructions in
# Lua 5.4.4), the shape that meets RyuJIT's limits for optimising a method.
# Usage: build.sh OUTPUT
# LUA_SRC: an unpacked Lua 5.4 source tree (its src/ holds lvm.c). Without it, Debian's lua5.4
# source package is fetched with apt-get source, from a deb-src list of this script's own (the
# system's apt sources are left as they are).
set -euo pipefail
output="$(realpath -m "$1")"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [ -z "${LUA_SRC:-}" ]; then
  mkdir -p "$work/apt/lists/partial" "$work/src"
  # The machine's own mirror and suite, as a deb-src line.
  uri="$(sed -n 's/^URIs: //p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)"
  echo "deb-src ${uri:-http://deb.debian.org/debian} bookworm main" > "$work/apt/sources.list"
  options=(-o APT::Sandbox::User=root -o "Dir::Etc::SourceList=$work/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null -o "Dir::State::Lists=$work/apt/lists")
  apt-get "${options[@]}" update -qq >&2
  (cd "$work/src" && apt-get "${options[@]}" source --download-only -qq lua5.4 >&2)
  tar -xzf "$work"/src/lua5.4_*.orig.tar.gz -C "$work/src"
  LUA_SRC="$(echo "$work"/src/lua-5.4*)"
fi

# wasi-libc has no setjmp without the exception-handling proposal: Lua's error recovery becomes
# abort() (the benchmark's script raises no error); tmpfile, tmpnam and system are stubs.
cp -r "$LUA_SRC/src" "$work/lua"
sed -i 's|#include <setjmp.h>||' "$work/lua/ldo.c"
rm "$work/lua/luac.c"
clang-19 --target=wasm32-wasi --sysroot=/usr -O2 -Wno-deprecated-declarations -include "$here/wasi.h" -DLUA_USE_C89 -DL_tmpnam=32 \
  -D_WASI_EMULATED_SIGNAL -D_WASI_EMULATED_PROCESS_CLOCKS -lwasi-emulated-signal -lwasi-emulated-process-clocks \
  -o "$output" "$work"/lua/*.c "$here/stubs.c" -lm
