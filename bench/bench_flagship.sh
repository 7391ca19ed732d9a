#!/usr/bin/env bash
# bench_flagship.sh [DURAND] [DAYS] — the flagship at full scale: one
# civilian agent per person (`-s scenario.agent_scale=1`, about 34.2 M
# agents), DAYS days (default 365), every phase and the result file, as
# `durand run` does it. Runs it on 2 threads and on 1 thread and prints:
#   - wall and CPU seconds of each (whole command: loading, creating the
#     agents, the run, writing the result), agent-steps per second;
#   - the speed-up of 2 threads over 1 (target >= 1.7x) and whether the
#     2-thread run is within 60 s;
#   - peak RSS, and its growth per agent against the same run at a coarse
#     scale (agent_scale 1000: the fixed overhead), in bytes per agent
#     (target <= 48);
#   - whether the two result files are identical (h5diff of every dataset).
# The civilian phase alone on a synthetic 20 M-agent world, with its
# bandwidth as a share of a triad, is bench_civilians (cmake --build BUILD
# --target bench_civilians). Not a test: timings depend on the machine and
# its load; run it on an idle machine with 2 free cores and 4 GiB.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
durand=${1:-$root/build/durand}
days=${2:-365}
scenario=$root/scenarios/pak_afg.cfg
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

run() { # run THREADS SCALE NAME: prints "wall cpu rss_kib"
  OMP_NUM_THREADS=$1 /usr/bin/time -f "%e %U %S %M" -o "$work/$3.time" \
    "$durand" run "$scenario" -s scenario.days="$days" -s scenario.agent_scale="$2" \
    -q -o "$work/$3.h5" >/dev/null
  awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$work/$3.time"
}
read -r w0 c0 rss0 < <(run 2 1000 coarse)
read -r w2 c2 rss2 < <(run 2 1 t2)
read -r w1 c1 rss1 < <(run 1 1 t1)
agents=$(/usr/bin/python3 -c "
import h5py, sys
f = h5py.File(sys.argv[1], 'r')
print(int(f['civilians'][0].sum() + f['civilians_on_route'][0].sum()))" "$work/t2.h5" 2>/dev/null || echo 0)
same=identical
for d in $(h5ls -r "$work/t1.h5" | awk '$2 == "Dataset" {print $1}'); do
  h5diff -q "$work/t1.h5" "$work/t2.h5" "$d" "$d" >/dev/null 2>&1 || { same="DIFFERENT ($d)"; break; }
done
awk -v w1="$w1" -v c1="$c1" -v w2="$w2" -v c2="$c2" -v r0="$rss0" -v r1="$rss1" -v r2="$rss2" \
    -v n="$agents" -v d="$days" -v same="$same" 'BEGIN {
  printf "flagship, agent_scale 1: %d agents (persons on day 0), %d days, with output\n", n, d
  printf "  2 threads: wall %7.2f s, cpu %7.2f s, %6.1f M agent-steps/s   (target <= 60 s: %s)\n", w2, c2, n * d / w2 / 1e6, (w2 <= 60 ? "met" : "NOT met")
  printf "  1 thread : wall %7.2f s, cpu %7.2f s, %6.1f M agent-steps/s\n", w1, c1, n * d / w1 / 1e6
  printf "  speed-up 2 over 1 thread: %.2fx by wall time (target >= 1.7x: %s)\n", w1 / w2, (w1 / w2 >= 1.7 ? "met" : "NOT met")
  printf "  peak RSS: %.0f MiB (2 threads), %.0f MiB (1 thread); coarse run (agent_scale 1000) %.0f MiB\n", r2 / 1024, r1 / 1024, r0 / 1024
  printf "  RSS growth per agent: %.1f bytes (target <= 48: %s)\n", (r2 - r0) * 1024 / n, ((r2 - r0) * 1024 / n <= 48 ? "met" : "NOT met")
  printf "  result files of 1 and 2 threads: %s\n", same }'
