#!/usr/bin/env bash
# e2e_reproducible.sh DURAND SOURCE_DIR WORK_DIR
#
# The flagship scenario, same seed and replication, run with
# OMP_NUM_THREADS=1 and =2: every dataset is identical (h5diff, dataset by
# dataset, so that provenance attributes such as wall time and thread count
# may differ). The same replication run twice is identical; two different
# replications differ. scenarios/test/interventions.cfg (an external power
# and one intervention of each family: random mediation rounds and
# ceasefire breakdowns) is identical with 1 and 2 threads too.
set -u
durand=$1; src=$2; work=$3
rm -rf "$work"; mkdir -p "$work"; cd "$work" || exit 1
fail=0
scenario="$src/scenarios/pak_afg.cfg"

OMP_NUM_THREADS=1 "$durand" run "$scenario" -q -o t1.h5 || { echo "run (1 thread) failed"; exit 1; }
OMP_NUM_THREADS=2 "$durand" run "$scenario" -q -o t2.h5 || { echo "run (2 threads) failed"; exit 1; }
OMP_NUM_THREADS=2 "$durand" run "$scenario" -q -o t2b.h5 || { echo "run (2 threads, again) failed"; exit 1; }
OMP_NUM_THREADS=2 "$durand" run "$scenario" -q --replication 1 -o r1.h5 || { echo "run (replication 1) failed"; exit 1; }

datasets=$(h5ls -r t1.h5 | awk '$2 == "Dataset" {print $1}')
n=$(echo "$datasets" | grep -c .)
[ "$n" -ge 10 ] || { echo "expected at least 10 datasets, found $n"; exit 1; }

same() { # same A B: every dataset of A equals B's
  local a=$1 b=$2 d bad=0
  for d in $datasets; do
    if ! h5diff -q "$a" "$b" "$d" "$d" >/dev/null 2>&1; then
      bad=1; echo "  $d differs between $a and $b"
    fi
  done
  return $bad
}

if same t1.h5 t2.h5; then echo "ok: 1 vs 2 threads: $n datasets identical"; else echo "FAIL: threads change results"; fail=1; fi
if same t2.h5 t2b.h5; then echo "ok: same replication twice: identical"; else echo "FAIL: repeated run differs"; fail=1; fi

# Interventions and external powers: the same with 1 and 2 threads.
iv="$src/scenarios/test/interventions.cfg"
OMP_NUM_THREADS=1 "$durand" run "$iv" -q -o iv1.h5 || { echo "interventions run (1 thread) failed"; exit 1; }
OMP_NUM_THREADS=2 "$durand" run "$iv" -q -o iv2.h5 || { echo "interventions run (2 threads) failed"; exit 1; }
iv_datasets=$(h5ls -r iv1.h5 | awk '$2 == "Dataset" {print $1}')
for d in /intervention_active /intervention_cost /ceasefire /involvement /alignment /event_kind; do
  echo "$iv_datasets" | grep -qx "$d" || { echo "FAIL: $d missing from the interventions run"; fail=1; }
done
iv_bad=0
for d in $iv_datasets; do
  if ! h5diff -q iv1.h5 iv2.h5 "$d" "$d" >/dev/null 2>&1; then
    iv_bad=1; echo "  $d differs between iv1.h5 and iv2.h5"
  fi
done
if [ $iv_bad -eq 0 ]; then
  echo "ok: interventions, 1 vs 2 threads: $(echo "$iv_datasets" | grep -c .) datasets identical"
else
  echo "FAIL: threads change the interventions run"; fail=1
fi

if h5diff -q t1.h5 r1.h5 /tension /tension >/dev/null 2>&1; then
  echo "FAIL: replications 0 and 1 have identical tension"; fail=1
else
  echo "ok: replications 0 and 1 differ"
fi
# The thread count is recorded (as provenance, not in datasets).
if h5dump -a /omp_threads t2.h5 2>/dev/null | grep -q "(0): 2"; then echo "ok: omp_threads = 2 recorded"; else echo "FAIL: omp_threads attribute"; fail=1; fi
exit $fail
