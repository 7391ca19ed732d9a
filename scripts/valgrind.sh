#!/usr/bin/env bash
# valgrind.sh [DURAND_BIN] — run durand under valgrind memcheck and print
# a summary: a small scenario run, a run writing checkpoints, a restart
# from a checkpoint, `durand check`, `durand inspect` of the result, a
# small `durand sweep`, a small `durand compare` (with the independent-seed
# check) and `durand flee` on FLEE's test network, each with
#   valgrind --error-exitcode=1 --leak-check=full
# (definite and possible leaks count as errors; memory still reachable at
# exit, which HDF5 and libgomp keep by design, does not). Suppressions for
# libraries outside durand are in tests/valgrind.supp, each with its reason.
#
# DURAND_BIN defaults to build/durand (scripts/build.sh release). Use a
# build without sanitizers: valgrind and ASan do not mix. Exits 1 if any
# step has a memcheck error or fails, 2 on usage errors.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
durand=${1:-$root/build/durand}
if [ ! -x "$durand" ]; then
  echo "valgrind.sh: $durand is not an executable (build it with scripts/build.sh release)" >&2
  exit 2
fi
command -v valgrind >/dev/null || { echo "valgrind.sh: valgrind is not installed (apt-get install valgrind)" >&2; exit 2; }
if nm -D "$durand" 2>/dev/null | grep -q __asan_init || nm "$durand" 2>/dev/null | grep -q __asan_init; then
  echo "valgrind.sh: $durand is built with AddressSanitizer; use a build without DR_SANITIZE" >&2
  exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/durand-valgrind.XXXXXX")
trap 'rm -rf "$work"' EXIT
scenario="$root/scenarios/test/two_states.cfg"
vg=(valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,possible
    --track-origins=yes --suppressions="$root/tests/valgrind.supp" --quiet)
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}

failed=0
# step NAME ARGS...: run durand ARGS under memcheck, report one line.
step() {
  local name=$1
  shift
  local log="$work/$name.log" t0 t1 status
  t0=$(date +%s)
  "${vg[@]}" --log-file="$log" "$durand" "$@" >"$work/$name.out" 2>"$work/$name.err"
  status=$?
  t1=$(date +%s)
  if [ "$status" -eq 0 ]; then
    printf 'valgrind.sh: %-8s clean    (%ss)\n' "$name" $((t1 - t0))
  else
    failed=1
    printf 'valgrind.sh: %-8s FAILED   exit %s (%ss); memcheck said:\n' "$name" "$status" $((t1 - t0))
    sed 's/^/    | /' "$log" | head -60
    [ -s "$work/$name.err" ] && sed 's/^/    err| /' "$work/$name.err" | head -10
  fi
}

step run run "$scenario" -q -s scenario.days=20 -o "$work/run.h5"
step check check "$scenario" -s scenario.days=20
step inspect inspect "$work/run.h5"
step sweep sweep "$scenario" -q -s scenario.days=10 --threads 2 \
  --param 'dyads.[PAK-AFG].trust=0.1:0.5:2' --replications 2 -o "$work/sweep.h5"
step compare compare "$root/tests/compare/two_states.cfg" -q -s scenario.days=10 --threads 2 \
  --strategies "$root/tests/compare/strategies.cfg" -R 2 --independent-check \
  -o "$work/compare.h5"

step ckpt run "$scenario" -q -s scenario.days=12 --checkpoint-every 5 -o "$work/ckpt.h5"
# A checkpoint to restart from: a normal run stopped by SIGTERM after its
# first checkpoint (it writes one more as it stops).
OMP_NUM_THREADS=1 "$durand" run "$scenario" -q -s scenario.days=400 --checkpoint-every 5 \
  -o "$work/stop.h5" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 200); do [ -e "$work/stop.ckpt.h5" ] && break; sleep 0.05; done
kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
if [ -e "$work/stop.ckpt.h5" ]; then
  step restart run --restart "$work/stop.ckpt.h5" -s scenario.days=400 -q -o "$work/stop.h5"
else
  failed=1
  echo "valgrind.sh: restart  FAILED   no checkpoint was written to restart from"
fi
flee_case="$root/../shared/data/flee/test_input_csv"
if [ -d "$flee_case" ]; then
  step flee flee "$flee_case" -q -o "$work/flee.h5"
else
  echo "valgrind.sh: flee     skipped  ($flee_case not found)"
fi

if [ "$failed" -ne 0 ]; then
  echo "valgrind.sh: memcheck found errors"
  exit 1
fi
echo "valgrind.sh: all steps clean under memcheck"
