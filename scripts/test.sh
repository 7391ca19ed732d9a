#!/usr/bin/env bash
# test.sh — the README's second command (and CI's): install what is missing,
# build, run the flagship scenario, then run the whole test suite twice:
# a Release build, and a Debug build with sanitizers, warnings as errors and
# expensive invariant checks. Exits non-zero if anything fails.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc 2>/dev/null || echo 2)
"$root/scripts/install.sh"

echo "== Release build"
"$root/scripts/build.sh" release
(cd "$root/build" && ./durand run -q -o flagship.h5 && echo "flagship run: build/flagship.h5")
(cd "$root/build" && ctest --output-on-failure -j "$jobs")

echo "== Debug build (DR_SANITIZE=ON DR_WERROR=ON DR_DEBUG_CHECKS=ON)"
"$root/scripts/build.sh" debug
(cd "$root/build-debug" && ctest --output-on-failure -j "$jobs")
echo "test.sh: all tests passed in both builds"
