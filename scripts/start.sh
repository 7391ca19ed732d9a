#!/usr/bin/env bash
# start.sh — the README's first command: install what is missing, build,
# and run the flagship scenario (scenarios/pak_afg.cfg) with no arguments.
# The result file is written to the current directory.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install.sh"
"$root/scripts/build.sh" release
"$root/build/durand" run
