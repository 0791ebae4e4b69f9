#!/usr/bin/env bash
# Long differential and mutation fuzz runs (docs/fuzzing.md).
#   scripts/fuzz.sh SECONDS SEED
# Runs each fuzz test (differential: generated modules in our engine, Wasmtime and V8; mutation:
# validity agreement with Wasmtime, and the mutants both accept run in both) for SECONDS from SEED. Findings are printed with their seed and
# saved under $FUZZ_OUT (default artifacts/fuzz). Needs binaryen (wasm-opt) and node, and the spec
# testsuite for the mutation corpus (../shared/spec beside the repository, or SANDBOX_SPEC_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:?usage: scripts/fuzz.sh SECONDS SEED}"
seed="${2:?usage: scripts/fuzz.sh SECONDS SEED}"
export FUZZ_SECONDS="$seconds" FUZZ_SEED="$seed"
# CI=true makes a missing tool fail instead of skipping: a long run that skips is no run.
export CI=true
dotnet build tests/Sandbox.Fuzz.Tests -c Release -v q -nologo
dotnet test tests/Sandbox.Fuzz.Tests -c Release --no-build \
  --filter "FullyQualifiedName~DifferentialFuzzTests|FullyQualifiedName~MutationFuzzTests" \
  --logger "console;verbosity=detailed" 2>&1 | grep -E "^\s*(seed|case|differential:|mutation:|execution:)|Passed!|Failed!|Test Run|Exception|error|[Aa]bort|crash|overflow" || true
# A test host that crashed leaves its last mutant in $FUZZ_OUT/mutation-SEED-current.wasm
# (or execution-SEED-current.wasm for the run that executes them).
