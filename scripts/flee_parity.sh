#!/usr/bin/env bash
# flee_parity.sh — FLEE parity figures (issue 4, item 3): the mean rescaled
# and normal ARD of `durand flee` over SEEDS seeds (default 10) at hasten 1
# on FLEE's mali2012 and burundi cases, next to FLEE's measured values
# (../shared/data/flee/README.md: mali2012 0.307 rescaled, 0.353-0.359
# normal; burundi 0.369 rescaled, 0.469 normal). Target: mean rescaled ARD
# within +-0.03 of FLEE's.
#
#   scripts/flee_parity.sh [DURAND] [FLEE_DATA_DIR] [SEEDS]
#
# Runs on one thread (OMP_NUM_THREADS=1; results are identical for any
# thread count). Prints one line per case and run, then a summary table.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
durand="${1:-$here/build/durand}"
data="${2:-$here/../shared/data/flee}"
seeds="${3:-10}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export OMP_NUM_THREADS=1

declare -A flee_rescaled=([mali2012]=0.307 [burundi]=0.369)
declare -A flee_normal=([mali2012]="0.353-0.359" [burundi]=0.469)
summary=""
for case in mali2012 burundi; do
  vals_r=() vals_n=()
  t0=$(date +%s.%N)
  for ((s = 0; s < seeds; s++)); do
    line="$("$durand" flee "$data/$case" --hasten 1 --seed "$s" -q -o "$work/$case.h5")"
    n="$(awk '{print $2}' <<<"$line")"; r="$(awk '{print $4}' <<<"$line")"
    vals_n+=("$n"); vals_r+=("$r")
    printf '%-9s seed %2d  ARD %s  rescaled %s\n' "$case" "$s" "$n" "$r"
  done
  t1=$(date +%s.%N)
  stats="$(printf '%s\n' "${vals_r[@]}" | awk '{s+=$1; q+=$1*$1; n++} END {m=s/n; sd=(n>1)?sqrt((q-n*m*m)/(n-1)):0; printf "%.4f %.4f", m, sd}')"
  mean_n="$(printf '%s\n' "${vals_n[@]}" | awk '{s+=$1; n++} END {printf "%.4f", s/n}')"
  mean_r="${stats% *}"; sd_r="${stats#* }"
  diff="$(awk -v a="$mean_r" -v b="${flee_rescaled[$case]}" 'BEGIN {printf "%+.4f", a-b}')"
  ok="$(awk -v a="$mean_r" -v b="${flee_rescaled[$case]}" 'BEGIN {d=a-b; if (d<0) d=-d; print (d<=0.03) ? "yes" : "NO"}')"
  secs="$(awk -v a="$t0" -v b="$t1" -v n="$seeds" 'BEGIN {printf "%.2f", (b-a)/n}')"
  summary+="$(printf '%-9s %6d  %8s +- %6s  %8s  %8s  %-11s  %6s  %s' "$case" "$seeds" "$mean_r" "$sd_r" \
    "${flee_rescaled[$case]}" "$diff" "$mean_n / ${flee_normal[$case]}" "$ok" "$secs s/run")"$'\n'
done
echo
printf '%-9s %6s  %18s  %8s  %8s  %-11s  %6s\n' case seeds "rescaled ARD (sd)" FLEE diff "normal/FLEE" within
printf '%s' "$summary"
