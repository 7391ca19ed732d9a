#!/usr/bin/env bash
# e2e_compare.sh DURAND SOURCE_DIR WORK_DIR
#
# `durand compare` end to end on tests/compare/two_states.cfg with
# tests/compare/strategies.cfg (four strategies that use `set` overrides
# only, the baseline second, one of them without any change):
#   - the comparison file exists with every documented dataset and root
#     attribute, and no FILE.part is left; xarray opens it;
#   - the strategy without changes has effects exactly 0 with zero-width
#     intervals (common random numbers); the effects, intervals,
#     independent-seed estimates and series statistics agree with numpy
#     recomputed from the per-run indicators;
#   - 1 and 2 threads give identical datasets (h5diff one by one);
#   - --independent-check adds the measured half-widths;
#   - the default output name, usage errors, bad strategies files (exit 2,
#     no output file, no .part) and SIGINT (exit 1, no output file);
#   - scripts/compare_plot.py writes its PNGs (skipped, with a note, when
#     /usr/bin/python3 lacks matplotlib, h5py or numpy).
set -u
. "$(dirname "${BASH_SOURCE[0]}")/e2e_lib.sh"
e2e_fresh "$@"
scenario="$src/tests/compare/two_states.cfg"
strategies="$src/tests/compare/strategies.cfg"
have_py=0
/usr/bin/python3 -c "import h5py, numpy" 2>/dev/null && have_py=1

"$durand" compare "$scenario" --strategies "$strategies" -R 20 --threads 1 -o ref.h5 >ref.txt 2>ref.err ||
  { echo "reference comparison failed"; cat ref.err; exit 1; }
[ -e ref.h5.part ] && bad "ref.h5.part left behind"
cat ref.txt

# Every documented dataset (output/SCHEMA.md, "Comparison files").
datasets=(strategy replication indicator time strategy_description strategy_line
  indicator_units indicator_long_name indicators indicator_mean indicator_sd effect
  effect_lo effect_hi effect_halfwidth effect_halfwidth_independent effect_n cost
  cost_increment deaths_averted deaths_averted_lo deaths_averted_hi
  deaths_averted_per_cost rank)
for s in deaths danger_max crossings_closed tension_mean trust_mean; do
  for q in mean q05 q50 q95; do datasets+=("series_${s}_$q"); done
done
missing=0
for d in "${datasets[@]}"; do
  h5ls "ref.h5/$d" >/dev/null 2>&1 || { missing=1; echo "  missing dataset $d"; }
done
if [ $missing -eq 0 ]; then ok "all ${#datasets[@]} documented datasets"; else bad "datasets missing"; fi
attrs=(Conventions title source history durand_file durand_version git_revision seed
  replications strategies baseline baseline_index confidence_level t_quantile
  independent_check cost_indicator cost_unit scenario_path scenario_text overrides
  strategies_path strategies_text start_date days omp_threads runs)
missing=0
for a in "${attrs[@]}"; do
  h5dump -a "/$a" ref.h5 >/dev/null 2>&1 || { missing=1; echo "  missing attribute $a"; }
done
if [ $missing -eq 0 ]; then ok "all ${#attrs[@]} documented root attributes"; else bad "attributes missing"; fi
[ -e ref.h5.part ] && bad "ref.h5.part left"
for s in more_clashes same fewer_attacks; do
  grep -q "^  $s .*CRN interval" ref.txt || bad "no CRN line for $s"
done
grep -q "same  *CRN interval 100 % narrower" ref.txt && ok "table: CRN line per strategy" ||
  bad "table: the unchanged strategy's CRN interval is not 100 % narrower"

if [ $have_py -eq 1 ]; then
  if /usr/bin/python3 - ref.h5 "$scenario" "$strategies" <<'PY'
import sys, h5py, numpy as np
path, scen, strat = sys.argv[1:4]
f = h5py.File(path, "r")
txt = lambda v: v.decode() if isinstance(v, bytes) else str(v)
names = [txt(s) for s in f["strategy"][()]]
inds = [txt(s) for s in f["indicator"][()]]
assert names == ["more_clashes", "baseline", "same", "fewer_attacks"], names
b = names.index("baseline")
assert int(f.attrs["baseline_index"]) == b and txt(f.attrs["baseline"]) == "baseline"
assert int(f.attrs["replications"]) == 20 and int(f.attrs["seed"]) == 20230501
assert txt(f.attrs["durand_file"]) == "compare"
assert txt(f.attrs["scenario_text"]) == open(scen).read()
assert txt(f.attrs["strategies_text"]) == open(strat).read()
y = f["indicators"][()]                      # strategy x replication x indicator
S, R, I = y.shape
assert (S, R) == (4, 20) and I == len(inds)
assert np.isfinite(y[:, :, inds.index("deaths_total")]).all()
e, lo, hi = f["effect"][()], f["effect_lo"][()], f["effect_hi"][()]
hw, hwi, n = f["effect_halfwidth"][()], f["effect_halfwidth_independent"][()], f["effect_n"][()]
# The unchanged strategy: exactly 0, zero width, runs identical to the baseline's.
s = names.index("same")
assert np.array_equal(y[s], y[b], equal_nan=True)
fin = n[s] > 0
assert (e[s][fin] == 0).all() and (lo[s][fin] == 0).all() and (hi[s][fin] == 0).all()
assert (hw[s][n[s] > 1] == 0).all()
# Effects recomputed with numpy.
t = float(f.attrs["t_quantile"])
try:
    from scipy import stats
    assert abs(t - stats.t.ppf(0.975, R - 1)) < 1e-9
except ImportError:
    assert abs(t - 2.093024054408263) < 1e-9      # t(0.975, 19)
for si in range(S):
    for k in range(I):
        a, c = y[si, :, k], y[b, :, k]
        m = np.isfinite(a) & np.isfinite(c)
        assert n[si, k] == m.sum()
        if m.sum() < 2:
            continue
        d = a[m] - c[m]
        assert np.isclose(e[si, k], d.mean(), rtol=1e-12, atol=1e-12)
        assert np.isclose(hw[si, k], t * d.std(ddof=1) / np.sqrt(m.sum()), rtol=1e-9, atol=1e-12)
        assert np.isclose(lo[si, k], e[si, k] - hw[si, k]) and np.isclose(hi[si, k], e[si, k] + hw[si, k])
        est = t * np.sqrt((a[m].var(ddof=1) + c[m].var(ddof=1)) / m.sum())
        assert np.isclose(hwi[si, k], est, rtol=1e-9, atol=1e-12)
dk = inds.index("deaths_total")
assert np.allclose(f["deaths_averted"][()], -e[:, dk])
assert np.allclose(f["deaths_averted_lo"][()], -hi[:, dk])
assert sorted(f["rank"][()].tolist()) == list(range(1, S + 1))
# No cost_total in this durand: every cost is 0; with one, costs are finite.
cost = f["cost"][()]
if txt(f.attrs["cost_indicator"]) == "":
    assert (cost == 0).all()
else:
    assert np.isfinite(cost).all()
# Series: quantiles ordered; the daily deaths sum to deaths_total.
q05, q50, q95 = (f[f"series_deaths_{q}"][()] for q in ("q05", "q50", "q95"))
assert (q05 <= q50).all() and (q50 <= q95).all()
assert np.allclose(f["series_deaths_mean"][()].sum(axis=1), f["indicator_mean"][:, dk])
assert f["series_deaths_mean"].shape == (S, int(f.attrs["days"]))
for v in f:
    assert "units" in f[v].attrs and "long_name" in f[v].attrs, v
print("h5py: ok")
PY
  then ok "values agree with numpy; the unchanged strategy's effects are exactly 0"; else bad "h5py/numpy checks"; fi
  if /usr/bin/python3 -c "import xarray, h5netcdf" 2>/dev/null; then
    if /usr/bin/python3 - ref.h5 <<'PY'
import sys, xarray as xr
ds = xr.open_dataset(sys.argv[1], engine="h5netcdf")
assert ds.indicators.dims == ("strategy", "replication", "indicator")
assert ds.effect.dims == ("strategy", "indicator")
assert str(ds.time.dtype).startswith("datetime64")
print(float(ds.effect.sel(strategy="same", indicator="deaths_total")))
PY
    then ok "xarray opens the comparison file"; else bad "xarray check"; fi
  fi
else
  echo "note: /usr/bin/python3 lacks h5py or numpy: value checks not run"
fi

# Threads do not change results.
"$durand" compare "$scenario" --strategies "$strategies" -R 20 --threads 2 -o t2.h5 -q || bad "2-thread comparison failed"
diffs=0
for d in $(h5ls -r ref.h5 | awk '$2 == "Dataset" {print $1}'); do
  h5diff -q ref.h5 t2.h5 "$d" "$d" >/dev/null 2>&1 || { diffs=1; echo "  $d differs"; }
done
if [ $diffs -eq 0 ]; then ok "1 vs 2 threads: identical datasets"; else bad "threads change results"; fi

# MPI ranks do not change results either (a DR_MPI build).
build=$(dirname "$durand")
if grep -q "^DR_MPI:BOOL=ON" "$build/CMakeCache.txt" 2>/dev/null; then
  if command -v mpiexec >/dev/null; then
    OMP_NUM_THREADS=1 mpiexec -n 2 "$durand" compare "$scenario" --strategies "$strategies" -R 20 \
      --threads 1 -o mpi.h5 >mpi.txt 2>&1 || bad "mpiexec -n 2 comparison failed"
    diffs=0
    for d in $(h5ls -r ref.h5 | awk '$2 == "Dataset" {print $1}'); do
      h5diff -q ref.h5 mpi.h5 "$d" "$d" >/dev/null 2>&1 || { diffs=1; echo "  $d differs"; }
    done
    if [ $diffs -eq 0 ] && grep -q "on each of 2 MPI ranks" mpi.txt &&
       [ "$(grep -c '^result:' mpi.txt)" -eq 1 ]; then
      ok "MPI 2 ranks: identical datasets, one table"
    else
      bad "MPI comparison differs or printed twice"; cat mpi.txt | head -5
    fi
  else
    bad "DR_MPI build but no mpiexec"
  fi
else
  echo "note: this build has no MPI (DR_MPI=OFF): MPI check not run"
fi

# The independent-seed check.
"$durand" compare "$scenario" --strategies "$strategies" -R 8 --threads 2 --independent-check \
  -o ind.h5 >ind.txt 2>&1 || bad "--independent-check failed"
if h5ls ind.h5/effect_halfwidth_independent_measured >/dev/null 2>&1 &&
   h5ls ind.h5/indicators_independent >/dev/null 2>&1 &&
   grep -q "measured with replications 8..15" ind.txt; then
  ok "--independent-check: measured half-widths in the file and the table"
else
  bad "--independent-check output"; cat ind.txt
fi

# Default output name: NAME_compare.h5 in the current directory.
mkdir -p def
(cd def && "$durand" compare "$scenario" --strategies "$strategies" -R 2 -q) || bad "default-name comparison failed"
if [ -s def/two_states_compare.h5 ]; then ok "default name two_states_compare.h5"; else bad "no def/two_states_compare.h5"; fi

# Usage and input errors: exit 2, nothing written.
expect2() { # expect2 WHAT OUT GREP ARGS...: exit 2, no OUT or OUT.part, stderr matches GREP
  local what=$1 out=$2 pat=$3 rc; shift 3
  "$durand" compare "$@" >/dev/null 2>err.txt; rc=$?
  if [ $rc -eq 2 ] && [ ! -e "$out" ] && [ ! -e "$out.part" ] && grep -q -- "$pat" err.txt; then
    ok "$what: exit 2, no file"
  else
    bad "$what: rc $rc (expected 2), file: $(ls "$out"* 2>/dev/null)"; cat err.txt
  fi
}
expect2 "unknown setting in a strategy" bad1.h5 "bad_setting.cfg:5" "$scenario" \
  --strategies "$src/tests/compare/bad_setting.cfg" -o bad1.h5
expect2 "a strategy that changes the seed" bad2.h5 "scenario.seed" "$scenario" \
  --strategies "$src/tests/compare/bad_seed.cfg" -o bad2.h5
printf 'strategies = ( { name = "a"; }\n' > syntax.cfg
expect2 "strategies file syntax error" bad3.h5 "syntax.cfg" "$scenario" --strategies syntax.cfg -o bad3.h5
expect2 "missing strategies file" bad4.h5 "nope.cfg" "$scenario" --strategies nope.cfg -o bad4.h5
printf 'baseline = "nobody";\nstrategies = ( { name = "a"; } );\n' > nobase.cfg
expect2 "unknown baseline" bad5.h5 "baseline" "$scenario" --strategies nobase.cfg -o bad5.h5
expect2 "no --strategies" bad6.h5 "--strategies" "$scenario" -o bad6.h5
expect2 "-R 1" bad7.h5 "-R 1" "$scenario" --strategies "$strategies" -R 1 -o bad7.h5
expect2 "output directory missing" nodir/x.h5 "nodir" "$scenario" --strategies "$strategies" -o nodir/x.h5

# SIGINT during the runs: exit 1 and no file (the runs take far longer
# than the signals take to arrive). A background job of a script starts
# with SIGINT ignored until the program installs its handler, so a signal
# sent while the program is still loading (a busy machine) would be lost:
# the signal is repeated every half second until the program has exited.
"$durand" compare "$scenario" --strategies "$strategies" -R 5000 --threads 1 -o int.h5 -q 2>int.err &
pid=$!
sleep 1
for _ in $(seq 1 120); do
  kill -INT "$pid" 2>/dev/null || break
  sleep 0.5
done
wait "$pid"; rc=$?
if [ $rc -eq 1 ] && [ ! -e int.h5 ] && [ ! -e int.h5.part ] && grep -q "interrupted" int.err; then
  ok "SIGINT: exit 1, nothing written"
else
  bad "SIGINT: rc $rc, files: $(ls int.h5* 2>/dev/null)"; cat int.err
fi

# The plot script.
if /usr/bin/python3 -c "import matplotlib, h5py, numpy" 2>/dev/null; then
  is_png() { [ -s "$1" ] && [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ]; }
  if /usr/bin/python3 "$src/scripts/compare_plot.py" ind.h5 -o png >plot.txt 2>plot.err; then
    for p in ind_effects ind_series; do
      if is_png "png/$p.png" && grep -q "png/$p.png" plot.txt; then ok "compare_plot.py: $p.png"; else bad "compare_plot.py: $p.png"; fi
    done
  else
    bad "compare_plot.py failed"; cat plot.err
  fi
  /usr/bin/python3 -c 'import h5py; h5py.File("other.h5", "w").attrs["durand_file"] = "sweep"'
  /usr/bin/python3 "$src/scripts/compare_plot.py" other.h5 -o png >/dev/null 2>plot.err; rc=$?
  if [ $rc -eq 2 ] && grep -q "not a durand comparison file" plot.err; then ok "compare_plot.py refuses another kind of file (exit 2)"; else bad "compare_plot.py on a sweep-like file: rc $rc"; cat plot.err; fi
else
  echo "note: /usr/bin/python3 lacks matplotlib, h5py or numpy: compare_plot.py not tested"
fi

[ $fail -eq 0 ] && echo "e2e_compare: all checks passed"
exit $fail
