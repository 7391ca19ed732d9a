#!/usr/bin/env bash
# format.sh — apply .clang-format to every C source and header of durand.
# `scripts/format.sh --check` only reports files that would change.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
files=$(git ls-files '*.c' '*.h')
if [ "${1:-}" = "--check" ]; then
  clang-format --dry-run --Werror $files
else
  clang-format -i $files
fi
