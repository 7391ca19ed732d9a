#!/usr/bin/env bash
# bench_sweep.sh [BUILD_DIR] [RUNS] — sweep runner figures on a small scenario
# (scenarios/test/two_states.cfg), RUNS runs (default 1000):
#   1. per-run overhead (start, write) in ms, from bench_sweep (one thread);
#   2. throughput of `durand sweep` under mpiexec with 1 and with 2 ranks
#      (one thread each) and their ratio (needs a DR_MPI build and mpiexec).
# Not a test: figures depend on the machine and its load (run it on an idle
# machine with at least 2 cores). Build: cmake --build BUILD --target bench_sweep.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
runs=${2:-1000}
scenario="$root/scenarios/test/two_states.cfg"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
[ -x "$build/bench_sweep" ] || cmake --build "$build" --target bench_sweep >/dev/null
"$build/bench_sweep" "$scenario" "$runs" "$work"

if ! grep -q "^DR_MPI:BOOL=ON" "$build/CMakeCache.txt" || ! command -v mpiexec >/dev/null; then
  echo "MPI throughput: skipped (no DR_MPI build or no mpiexec)"; exit 0
fi
best() { # best N: the fastest of 3 sweeps on N ranks, in seconds
  local n=$1 b="" s e t
  for i in 1 2 3; do
    rm -f "$work/m.h5"
    s=$(date +%s%N)
    OMP_NUM_THREADS=1 mpiexec -n "$n" "$build/durand" sweep "$scenario" --replications "$runs" \
      --threads 1 -q -o "$work/m.h5"
    e=$(date +%s%N); t=$(( (e - s) / 1000 ))
    if [ -z "$b" ] || [ "$t" -lt "$b" ]; then b=$t; fi
  done
  echo "$b"
}
t1=$(best 1); t2=$(best 2)
awk -v t1="$t1" -v t2="$t2" -v n="$runs" 'BEGIN {
  printf "MPI throughput (%d runs, whole command incl. start-up and file, best of 3):\n", n
  printf "  1 rank : %7.3f s  %8.1f runs/s\n", t1 / 1e6, n / (t1 / 1e6)
  printf "  2 ranks: %7.3f s  %8.1f runs/s\n", t2 / 1e6, n / (t2 / 1e6)
  printf "  ratio 2/1 ranks: %.2fx\n", t1 / t2 }'
