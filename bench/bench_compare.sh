#!/usr/bin/env bash
# bench_compare.sh [DURAND] [REPLICATIONS] — the flagship strategy
# comparison of issue "Interventions, external powers and durand compare":
#
#   durand compare scenarios/pak_afg.cfg \
#       --strategies scenarios/strategies/pak_afg.cfg -R REPLICATIONS
#
# at the flagship's default scale (agent_scale 100), REPLICATIONS default
# 20, on 2 threads. Prints the wall and CPU seconds, runs per second,
# whether the comparison finished within 10 minutes (the target), the
# narrowing of the deaths_total interval by common random numbers per
# strategy (target >= 30 %), and the PNGs of scripts/compare_plot.py. Not
# a test: timings depend on the machine and its load; run it on an idle
# machine with 2 free cores.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
durand=${1:-$root/build/durand}
reps=${2:-20}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

OMP_NUM_THREADS=2 /usr/bin/time -f "%e %U %S" -o "$work/time" \
  "$durand" compare "$root/scenarios/pak_afg.cfg" \
  --strategies "$root/scenarios/strategies/pak_afg.cfg" -R "$reps" \
  -o "$work/compare.h5" > "$work/table.txt"
read -r wall user sys < "$work/time"
runs=$(grep -o '[0-9]* runs' "$work/table.txt" | head -1 | awk '{print $1}')
echo "flagship comparison: $runs runs ($reps replications), 2 threads"
awk -v w="$wall" -v u="$user" -v s="$sys" -v n="$runs" 'BEGIN {
  printf "  wall %.1f s, CPU %.1f s, %.2f runs/s\n", w, u + s, n / w;
  printf "  within 10 minutes: %s\n", (w <= 600 ? "yes" : "NO") }'
echo "  common random numbers (deaths_total interval, paired vs independent seeds):"
grep 'CRN interval' "$work/table.txt" | sed 's/^ */    /'
worst=$(grep -o 'interval [0-9]* %' "$work/table.txt" | awk '{print $2}' | sort -n | head -1)
echo "  narrowest narrowing: ${worst} % (target >= 30 %): $([ "${worst:-0}" -ge 30 ] && echo met || echo NOT met)"
/usr/bin/python3 "$root/scripts/compare_plot.py" "$work/compare.h5" -o "$work/plots" |
  sed 's/^/  plot: /'
