#!/usr/bin/env bash
# e2e_sweep.sh DURAND SOURCE_DIR WORK_DIR
#
# `durand sweep` end to end on scenarios/test/two_states.cfg (without its
# civilians list):
#   - a single-process sweep (1 thread) is the reference; xarray opens it;
#   - 2 threads give identical datasets;
#   - 4 shards + `durand merge` (shards given out of order) give identical
#     datasets; merge refuses a missing shard and shards of another sweep;
#   - killed with SIGKILL at random moments 5 times in a row, each time
#     restarted with --resume, the sweep ends identical to the reference;
#   - with MPI (a DR_MPI build): mpiexec -n 2 gives identical datasets;
#   - sobol and morris sweeps feed `durand sensitivity`;
#   - bad input exits 2 with a message naming the option.
# Datasets are compared one by one with h5diff (root attributes such as the
# command line, thread and rank counts legitimately differ).
set -u
. "$(dirname "${BASH_SOURCE[0]}")/e2e_lib.sh"
e2e_fresh "$@"
# The sweep machinery needs no civilian agents, and two_states.cfg's 9 M
# persons (90,000 agents) make each run ten times longer, far longer under
# the sanitizers: the sweeps here run the scenario without its `civilians`
# list.
awk '/^civilians = \(/ {skip = 1} !skip {print} skip && /^\);/ {skip = 0}' \
  "$src/scenarios/test/two_states.cfg" > two_states_noagents.cfg
scenario="$work/two_states_noagents.cfg"
build=$(cd "$(dirname "$durand")" && pwd)
params=(--param 'dyads.[PAK-AFG].trust=0.1:0.5:6' --param 'model.relations.reactivity=0.01:0.05:6'
        --param 'actors.[TTP].fighters=2000:8000:2:int' --replications 4 --series -q)


t0=$(date +%s%N)
"$durand" sweep "$scenario" "${params[@]}" --threads 1 -o ref.h5 || { echo "reference sweep failed"; exit 1; }
ref_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ -e ref.h5.journal ] && bad "journal left behind after a complete sweep"
datasets=$(h5ls -r ref.h5 | awk '$2 == "Dataset" {print $1}')
n=$(echo "$datasets" | grep -c .)
[ "$n" -ge 20 ] || { echo "expected at least 20 datasets, found $n"; exit 1; }
echo "reference: 288 runs, $n datasets, ${ref_ms} ms"

same() { # same A B: every dataset of A equals B's
  local a=$1 b=$2 d diffs=0
  for d in $datasets; do
    if ! h5diff -q "$a" "$b" "$d" "$d" >/dev/null 2>&1; then diffs=1; echo "  $d differs between $a and $b"; fi
  done
  return $diffs
}

# Status: every run done.
if h5dump -a /runs_done ref.h5 | grep -q "(0): 288"; then ok "all 288 runs done"; else bad "runs not done in ref.h5"; fi

if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c "import xarray, h5netcdf" 2>/dev/null; then
  if /usr/bin/python3 - ref.h5 <<'PY'
import sys, xarray as xr, numpy as np
ds = xr.open_dataset(sys.argv[1], engine="h5netcdf")
assert ds.sizes["run"] == 288 and ds.sizes["point"] == 72 and ds.sizes["replication"] == 4
assert list(ds.param.values)[2] == "actors.[TTP].fighters"
v = ds.indicators.sel(indicator="deaths_total")
assert np.isfinite(v).all()
assert ds.series_deaths.dims == ("run", "time") and str(ds.time.dtype).startswith("datetime64")
# The series' daily deaths sum to the indicator.
assert np.allclose(ds.series_deaths.sum("time").values, v.values)
for name in ds.data_vars:
    assert "units" in ds[name].attrs and "long_name" in ds[name].attrs, name
print("xarray: ok", dict(ds.sizes))
PY
  then ok "xarray opens the sweep file"; else bad "xarray check"; fi
fi

"$durand" sweep "$scenario" "${params[@]}" --threads 2 -o t2.h5 || bad "2-thread sweep failed"
if same ref.h5 t2.h5; then ok "1 vs 2 threads: identical"; else bad "threads change results"; fi

for i in 2 0 3 1; do
  "$durand" sweep "$scenario" "${params[@]}" --shard "$i/4" -o "shard$i.h5" || bad "shard $i/4 failed"
done
if "$durand" merge -o merged.h5 shard3.h5 shard1.h5 shard0.h5 shard2.h5; then
  if same ref.h5 merged.h5; then ok "4 shards + merge: identical"; else bad "merge differs"; fi
else
  bad "merge failed"
fi
"$durand" merge -o m2.h5 shard0.h5 shard1.h5 shard2.h5 2>merge_err.txt; rc=$?
if [ $rc -eq 2 ] && grep -q "3/4" merge_err.txt && [ ! -e m2.h5 ]; then ok "merge refuses a missing shard"; else bad "merge with a missing shard: rc $rc"; cat merge_err.txt; fi
"$durand" sweep "$scenario" "${params[@]}" --seed 5 --shard 1/4 -o other1.h5 || bad "other shard"
"$durand" merge -o m3.h5 shard0.h5 other1.h5 shard2.h5 shard3.h5 2>merge_err.txt; rc=$?
if [ $rc -eq 2 ] && grep -q "different sweep" merge_err.txt; then ok "merge refuses shards of another sweep"; else bad "merge of mixed sweeps: rc $rc"; fi

# Kill at random moments (SIGKILL), resume, five times; then finish. The
# killed sweep has 3x the runs of the reference (12 replications) and runs
# on one thread, so it lasts about 3 x ref_ms; each kill comes within the
# first 3/8 x ref_ms after a start, so the five kills land in a running
# sweep (start-up, runs, or the final write) and leave work for the end.
kparams=("${params[@]}" --replications 12)
"$durand" sweep "$scenario" "${kparams[@]}" --threads 2 -o kref.h5 || bad "kill reference failed"
rm -f k.h5 k.h5.journal
span=$(( ref_ms * 3 / 8 > 40 ? ref_ms * 3 / 8 : 40 ))
kills=0
for i in 1 2 3 4 5; do
  "$durand" sweep "$scenario" "${kparams[@]}" --threads 1 --resume -o k.h5 2>/dev/null &
  pid=$!
  ms=$(( 10 + RANDOM % span ))
  sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
  if kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
  wait "$pid" 2>/dev/null
  runs=0
  [ -e k.h5.journal ] && runs=$(( ($(stat -c %s k.h5.journal) - 64) / (24 + 8 * (10 + 60 * 5)) ))
  echo "  kill $i after ${ms} ms: $runs of 864 runs in the journal"
done
"$durand" sweep "$scenario" "${kparams[@]}" --threads 2 --resume -o k.h5 || bad "final resume failed"
[ -e k.h5.journal ] && bad "journal left after the resumed sweep completed"
if same kref.h5 k.h5; then ok "killed $kills times (SIGKILL) and resumed: identical"; else bad "resumed sweep differs"; fi
[ "$kills" -eq 5 ] || bad "only $kills of 5 kills hit a running sweep"
# --resume of a complete sweep does nothing; without --resume a journal is refused.
"$durand" sweep "$scenario" "${params[@]}" --resume -o k.h5 | grep -q "nothing to do" || true
touch j.h5.journal
"$durand" sweep "$scenario" "${params[@]}" -o j.h5 2>err.txt; rc=$?
if [ $rc -eq 2 ] && grep -q -- "--resume" err.txt; then ok "an existing journal needs --resume"; else bad "existing journal: rc $rc"; fi

# MPI.
if grep -q "^DR_MPI:BOOL=ON" "$build/CMakeCache.txt" 2>/dev/null; then
  if command -v mpiexec >/dev/null; then
    mpiexec -n 2 "$durand" sweep "$scenario" "${params[@]}" --threads 1 -o mpi.h5 || bad "mpiexec -n 2 failed"
    if same ref.h5 mpi.h5 && h5dump -a /mpi_ranks mpi.h5 | grep -q "(0): 2"; then ok "MPI 2 ranks: identical"; else bad "MPI sweep differs"; fi
  else
    bad "DR_MPI build but no mpiexec"
  fi
else
  echo "note: this build has no MPI (DR_MPI=OFF): MPI check not run"
fi

# Sensitivity.
"$durand" sweep "$scenario" --design sobol --points 16 --param 'dyads.[PAK-AFG].tension=0.2:0.8' \
  --param 'model.relations.reactivity=0.01:0.05' -q -o sobol.h5 || bad "sobol sweep"
if "$durand" sensitivity sobol.h5 --bootstrap 50 > sens.txt && grep -q "S1" sens.txt &&
   h5ls sobol.h5/sensitivity | grep -q "ST_hi"; then ok "sobol sensitivity"; else bad "sobol sensitivity"; fi
"$durand" sweep "$scenario" --design morris --points 4 --param 'dyads.[PAK-AFG].tension=0.2:0.8' \
  --param 'model.relations.reactivity=0.01:0.05' -q -o morris.h5 || bad "morris sweep"
if "$durand" sensitivity -q morris.h5 && h5ls morris.h5/sensitivity | grep -q "mu_star"; then ok "morris sensitivity"; else bad "morris sensitivity"; fi

# A `sweep` block in the scenario gives the same sweep as the options; an
# option replaces the block's setting.
{ cat "$scenario"; cat <<'CFG'

sweep = {
  design = "lhs";
  points = 5;
  replications = 2;
  params = (
    { path = "dyads.[PAK-AFG].trust"; lo = 0.1; hi = 0.5; },
    { path = "actors.[TTP].fighters"; lo = 2000; hi = 8000; integer = true; }
  );
};
CFG
} > block.cfg
"$durand" sweep block.cfg -q -o block.h5 || bad "sweep from the scenario's sweep block"
"$durand" sweep block.cfg -q -o block_cli.h5 --design lhs --points 5 --replications 2 \
  --param 'dyads.[PAK-AFG].trust=0.1:0.5' --param 'actors.[TTP].fighters=2000:8000:int' ||
  bad "the same sweep from options"
if h5diff -q block.h5 block_cli.h5 /design /design && h5diff -q block.h5 block_cli.h5 /indicators /indicators &&
   h5dump -a /runs_done block.h5 | grep -q "(0): 10"; then
  ok "sweep block = the same options (10 runs)"
else
  bad "sweep block and options differ"
fi
"$durand" sweep block.cfg -q -o block_r3.h5 --replications 3 &&
  h5dump -a /runs_done block_r3.h5 | grep -q "(0): 15" && ok "--replications replaces the block's" ||
  bad "--replications with a sweep block"
sed 's/lo = 0.1; hi = 0.5;/lo = 0.1; hi = 3.0;/' block.cfg > block_bad.cfg

# Bad input: exit 2, message names the option.
expect2() { # expect2 WORD ARGS...: exit 2 and WORD in the message
  local word=$1; shift
  "$durand" "$@" >/dev/null 2>err.txt; local rc=$?
  if [ $rc -eq 2 ] && grep -q -- "$word" err.txt; then ok "rejects: $*"; else bad "rc $rc for: $* ($(head -c 200 err.txt))"; fi
}
expect2 "--param" sweep "$scenario" --param 'x=1'
expect2 "LO" sweep "$scenario" --param 'model.relations.reactivity=0.5:0.1'
expect2 "--design" sweep "$scenario" --design grid --param 'model.relations.reactivity=0.1:0.5'
expect2 "--points" sweep "$scenario" --design lhs --param 'model.relations.reactivity=0.1:0.5'
expect2 "--shard" sweep "$scenario" --shard 4/4
expect2 "--replications" sweep "$scenario" --replications 0
expect2 "nosuch" sweep "$scenario" --param 'model.relations.nosuch=0:1' -o x.h5
expect2 "trust" sweep "$scenario" --param 'dyads.[PAK-AFG].trust=0.5:3' -o x.h5
expect2 "unknown option" sweep "$scenario" --frobnicate
expect2 "block_bad.cfg:[0-9]*: sweep.params.\[0\]" sweep block_bad.cfg -o x.h5
expect2 "sobol or morris" sensitivity ref.h5
"$durand" sweep "$scenario" --design sobol --points 16 --param 'dyads.[PAK-AFG].tension=0.2:0.8' \
  --param 'model.relations.reactivity=0.01:0.05' -q --shard 0/2 -o sobol_shard0.h5 || bad "sobol shard"
expect2 "missing" sensitivity sobol_shard0.h5
expect2 "-o" merge shard0.h5
[ -e x.h5 ] && bad "a rejected sweep left x.h5"
"$durand" sweep --help | grep -q -- "--resume" && ok "sweep --help" || bad "sweep --help"
"$durand" merge --help | grep -q "shard" && ok "merge --help" || bad "merge --help"
"$durand" sensitivity --help | grep -q "Sobol" && ok "sensitivity --help" || bad "sensitivity --help"
exit $fail
