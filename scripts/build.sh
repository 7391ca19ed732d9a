#!/usr/bin/env bash
# build.sh [release|debug] — configure and build durand.
#   release: build/        (CMAKE_BUILD_TYPE=Release)
#   debug:   build-debug/  (Debug, DR_SANITIZE=ON DR_WERROR=ON DR_DEBUG_CHECKS=ON)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
kind=${1:-release}
jobs=$(nproc 2>/dev/null || echo 2)
case "$kind" in
  release) dir="$root/build"; flags=(-DCMAKE_BUILD_TYPE=Release) ;;
  debug)   dir="$root/build-debug"
           flags=(-DCMAKE_BUILD_TYPE=Debug -DDR_SANITIZE=ON -DDR_WERROR=ON -DDR_DEBUG_CHECKS=ON) ;;
  *) echo "build.sh: unknown build '$kind' (expected release or debug)" >&2; exit 2 ;;
esac
cmake -S "$root" -B "$dir" "${flags[@]}" >/dev/null
cmake --build "$dir" -j "$jobs"
