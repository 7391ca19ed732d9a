#!/usr/bin/env bash
# bench_flee.sh [DURAND] [FLEE_DATA_DIR] [REPEATS] — the speed of a FLEE case
# read unchanged: `durand flee mali2012 --hasten 1` on one thread
# (OMP_NUM_THREADS=1), REPEATS times (default 5), whole command (start-up,
# reading the case, spawning, the run, writing the result file with the
# camp series and the error). Prints wall and CPU seconds of each run
# (CPU from /usr/bin/time, the process's user + system time: on a shared
# machine CPU time is the steadier figure), the best and the median, and
# the speed-up over FLEE's own run of this case on this machine: 133 s for
# 19.8 M agent-steps (../shared/data/flee/README.md). Target: <= 0.65 s
# (>= 200x). Also the burundi case, for a second size. Not a test:
# timings depend on the machine and its load.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
durand=${1:-$root/build/durand}
data=${2:-$root/../shared/data/flee}
repeats=${3:-5}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export OMP_NUM_THREADS=1
flee_seconds=133
agent_steps=19.8e6
for case in mali2012 burundi; do
  walls=() cpus=()
  for ((i = 0; i < repeats; i++)); do
    /usr/bin/time -f "%e %U %S" -o "$work/time" \
      "$durand" flee "$data/$case" --hasten 1 -q -o "$work/$case.h5" >"$work/out"
    read -r wall user sys <"$work/time"
    walls+=("$wall"); cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f", u + s}')")
    echo "$case run $((i + 1)): wall ${wall} s, cpu ${cpus[-1]} s ($(cat "$work/out"))"
  done
  best_w=$(printf '%s\n' "${walls[@]}" | sort -g | head -n1)
  med_w=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')
  best_c=$(printf '%s\n' "${cpus[@]}" | sort -g | head -n1)
  med_c=$(printf '%s\n' "${cpus[@]}" | sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')
  echo "$case: best wall ${best_w} s (median ${med_w} s), best cpu ${best_c} s (median ${med_c} s)"
  if [ "$case" = mali2012 ]; then
    awk -v w="$best_w" -v m="$med_w" -v c="$best_c" -v f="$flee_seconds" -v n="$agent_steps" 'BEGIN {
      printf "mali2012 hasten 1, 1 thread: %.0fx FLEE by best wall time (%.0fx by median), %.0fx by CPU time;\n", f / w, f / m, f / c
      printf "  %.1f M agent-steps/s (FLEE: %.0f k/s); target <= 0.65 s (>= 200x): %s\n", n / w / 1e6, n / f / 1e3, (w <= 0.65 ? "met" : "NOT met") }'
  fi
done
