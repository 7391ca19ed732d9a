#!/usr/bin/env bash
# e2e_flee.sh — `durand flee` on FLEE's own cases, end to end.
#
# Usage: bash e2e_flee.sh DURAND_BIN SOURCE_DIR WORK_DIR
#
# Runs FLEE's unit-test network (test_input_csv) and mali2012 at hasten 1
# from ../shared/data/flee (skipped with a message when that directory is
# absent), and checks: exit status 0; the printed ARD, normal and rescaled,
# finite and in a plausible range (mali2012: rescaled 0.2-0.45, FLEE's own
# runs give about 0.31); the result file holds the validation extension with
# the same ARD values (h5py when available); and a second run with the same
# seed, on 2 threads, gives an identical result file (h5diff, dataset by
# dataset).
set -u
. "$(dirname "${BASH_SOURCE[0]}")/e2e_lib.sh"
e2e_args "$@"
data="$src/../shared/data/flee"
mkdir -p "$work" || exit 1
if [ ! -d "$data/mali2012" ]; then
    echo "e2e_flee: $data not found; skipped"
    exit 0
fi
export OMP_NUM_THREADS=1
failed=0

# in_range VALUE LO HI
in_range() { awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v == v + 0 && v >= lo && v <= hi) }'; }

run_case() { # NAME ARGS... ; sets line
    local name=$1; shift
    rm -f "$work/$name.h5"
    if ! line=$("$durand" flee "$data/$name" -q -o "$work/$name.h5" "$@" 2>"$work/$name.err"); then
        echo "FAIL $name: durand flee failed"; sed 's/^/    | /' "$work/$name.err"
        failed=$((failed + 1)); return 1
    fi
    echo "$name: $line"
}

check() { # NAME LO HI (rescaled range)
    local n r
    n=$(awk '{print $2}' <<<"$line"); r=$(awk '{print $4}' <<<"$line")
    if ! in_range "$n" 0 2 || ! in_range "$r" "$2" "$3"; then
        echo "FAIL $1: ARD $n / rescaled $r outside [0, 2] / [$2, $3]"; failed=$((failed + 1))
    fi
    if [ ! -f "$work/$1.h5" ]; then echo "FAIL $1: no result file"; failed=$((failed + 1)); return; fi
    if /usr/bin/python3 -c 'import h5py' 2>/dev/null; then
        /usr/bin/python3 - "$work/$1.h5" "$n" "$r" <<'PY' || { echo "FAIL $1: validation extension"; failed=$((failed + 1)); }
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
sim, obs = f["camp_simulated"][...], f["camp_observed"][...]
assert sim.shape == obs.shape == (f["time"].shape[0], f["camp"].shape[0]), sim.shape
assert abs(float(f["ard"][()]) - float(sys.argv[2])) < 1e-5
assert abs(float(f["ard_rescaled"][()]) - float(sys.argv[3])) < 1e-5
e = np.abs(sim - obs).sum(1) / np.maximum(1, obs.sum(1))
assert abs(e.mean() - f["ard"][()]) < 1e-9
assert f["camp_simulated"].attrs["units"] == "1"
PY
    fi
}

if run_case test_input_csv; then check test_input_csv 0 2; fi
if run_case mali2012 --hasten 1 --seed 3; then
    first=$line
    check mali2012 0.2 0.45
    mv "$work/mali2012.h5" "$work/mali2012_t1.h5"
    if OMP_NUM_THREADS=2 run_case mali2012 --hasten 1 --seed 3; then
        if [ "$line" != "$first" ]; then
            echo "FAIL mali2012: same seed, different result ($first vs $line)"; failed=$((failed + 1))
        fi
        for d in $(h5ls -r "$work/mali2012_t1.h5" | awk '$2 == "Dataset" {print $1}'); do
            if ! h5diff -q "$work/mali2012_t1.h5" "$work/mali2012.h5" "$d" "$d" >/dev/null 2>&1; then
                echo "FAIL mali2012: dataset $d differs between 1 and 2 threads"; failed=$((failed + 1))
            fi
        done
        echo "mali2012: 1 and 2 threads give identical datasets"
    fi
fi
echo "e2e_flee: $failed failed"
[ "$failed" -eq 0 ]
