#!/usr/bin/env bash
# e2e_plot_run.sh DURAND SOURCE_DIR WORK_DIR
#
# scripts/plot_run.py on real results: the flagship run briefly (60 days,
# coarse agent_scale) gives its five PNGs (fatalities, relations,
# displacement, map, and interventions for its external powers), each a
# non-empty PNG file, and exit status 0; a run with interventions
# (scenarios/test/interventions.cfg) gets the interventions figure; a result
# without civilians or dyads (scenarios/test/minimal.cfg) gives the
# fatalities figure alone, says why the others are skipped, and exits 0.
# Exit 77 (skipped; SKIP_RETURN_CODE in tests/CMakeLists.txt) when
# /usr/bin/python3 lacks matplotlib, h5py or numpy.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/e2e_lib.sh"
e2e_fresh "$@"

if ! /usr/bin/python3 -c "import matplotlib, h5py, numpy" 2>/dev/null; then
  echo "SKIP: /usr/bin/python3 lacks matplotlib, h5py or numpy"
  exit 77
fi
plot="$src/scripts/plot_run.py"

is_png() { # is_png FILE: exists, non-empty, PNG signature
  [ -s "$1" ] && [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ]
}

"$durand" run "$src/scenarios/pak_afg.cfg" -q -o flagship.h5 \
  -s scenario.days=60 -s scenario.agent_scale=1000 || { echo "flagship run failed"; exit 1; }
if /usr/bin/python3 "$plot" flagship.h5 -o png >out.txt 2>err.txt; then
  ok "plot_run.py on the flagship (exit 0)"
else
  bad "plot_run.py on the flagship failed"; cat err.txt
fi
for what in fatalities relations displacement map interventions; do
  if is_png "png/flagship_$what.png"; then ok "flagship_$what.png"; else bad "flagship_$what.png missing or not a PNG"; fi
  grep -q "flagship_$what.png" out.txt || bad "flagship_$what.png not listed on stdout"
done

# Default output directory: next to the result.
/usr/bin/python3 "$plot" flagship.h5 >/dev/null 2>&1 && is_png flagship_map.png \
  && ok "default directory is the result's" || bad "default output directory"

# Interventions (and a power), no civilians: the interventions figure.
"$durand" run "$src/scenarios/test/interventions.cfg" -q -o iv.h5 \
  || { echo "interventions run failed"; exit 1; }
if /usr/bin/python3 "$plot" iv.h5 -o png >out.txt 2>err.txt; then
  ok "plot_run.py with interventions (exit 0)"
else
  bad "plot_run.py with interventions failed"; cat err.txt
fi
is_png png/iv_interventions.png && ok "iv_interventions.png" || bad "iv_interventions.png"
grep -q "iv_interventions.png" out.txt || bad "iv_interventions.png not listed on stdout"

# Without civilians (and without dyads): one figure, a note, exit 0.
"$durand" run "$src/scenarios/test/minimal.cfg" -q -o minimal.h5 || { echo "minimal run failed"; exit 1; }
if /usr/bin/python3 "$plot" minimal.h5 -o png >out.txt 2>err.txt; then
  ok "plot_run.py without civilians (exit 0)"
else
  bad "plot_run.py without civilians failed"; cat err.txt
fi
is_png png/minimal_fatalities.png && ok "minimal_fatalities.png" || bad "minimal_fatalities.png"
[ ! -e png/minimal_map.png ] && [ ! -e png/minimal_displacement.png ] \
  && ok "civilian figures skipped" || bad "civilian figures written for a run without civilians"
grep -q "no civilians" err.txt && ok "skip explained" || bad "no note about skipped figures"
[ ! -e png/minimal_interventions.png ] && grep -q "no external powers and no interventions" err.txt \
  && ok "interventions figure skipped without powers or interventions" \
  || bad "interventions figure for a run without powers or interventions"

# A file that is not a result: exit 2 with a message.
echo "not hdf5" >junk.h5
/usr/bin/python3 "$plot" junk.h5 -o png >/dev/null 2>err.txt
rc=$?
[ "$rc" -eq 2 ] && [ -s err.txt ] && ok "non-result file: exit 2" || bad "non-result file: exit $rc"

exit $fail
