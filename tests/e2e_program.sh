#!/usr/bin/env bash
# e2e_program.sh DURAND SOURCE_DIR WORK_DIR
#
# The program as a user meets it: help texts, `check` on the flagship,
# `run` with no arguments, the result read by ncdump, xarray and
# `durand inspect`, usage errors with exit status 2 and no output left.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/e2e_lib.sh"
e2e_fresh "$@"
expect_status() { # expect_status N description command...
  local want=$1 what=$2; shift 2
  "$@" >out.txt 2>err.txt; local got=$?
  if [ "$got" -eq "$want" ]; then ok "$what (exit $got)"; else bad "$what: exit $got, expected $want"; cat err.txt; fi
}

for c in "" run check inspect; do
  expect_status 0 "durand $c --help" "$durand" $c --help
  grep -q "usage: durand" out.txt || bad "durand $c --help prints usage"
done
expect_status 2 "no command" "$durand"
expect_status 2 "unknown command" "$durand" frobnicate
expect_status 2 "unknown option" "$durand" run --frobnicate
expect_status 2 "bad --replication" "$durand" run --replication -1
expect_status 2 "bad --seed" "$durand" run --seed abc
expect_status 2 "missing scenario file" "$durand" check nonexistent.cfg
grep -q "nonexistent.cfg" err.txt || bad "missing file named in message"
expect_status 2 "output directory missing" "$durand" run -q -o nodir/out.h5
[ ! -e nodir ] || bad "nodir created"

# check on the flagship: >= 30 locations, the six notified crossings, actors.
expect_status 0 "check flagship" "$durand" check "$src/scenarios/pak_afg.cfg"
nloc=$(sed -n 's/^locations (\([0-9]*\)).*/\1/p' out.txt)
[ "${nloc:-0}" -ge 30 ] && ok "$nloc locations" || bad "locations: ${nloc:-none}"
for x in torkham chaman ghulam_khan angoor_adda kharlachi badini; do
  grep -Eq "^  $x " out.txt || bad "crossing $x not listed"
done
for a in PAK AFG TTP ISKP BLA CHN RUS IRN IND QAT TUR USA; do
  grep -Eq "^  [a-z]+ +$a " out.txt || bad "actor $a not listed"
done
ok "crossings and actors listed"
# The flagship's adaptive mediations (China, Qatar, Turkiye) are listed.
for m in CHN QAT TUR; do
  grep -Eq "^  ${m}_mediation +mediation +PAK-AFG by $m, .*when involvement >= " out.txt ||
    bad "adaptive mediation of $m not listed"
done
# A scenario with one intervention of each family lists them.
expect_status 0 "check interventions.cfg" "$durand" check "$src/scenarios/test/interventions.cfg"
grep -q "^interventions (4)" out.txt && grep -Eq "^  eco +economic +A-B, .* \+ 1000000 USD over 120 days" out.txt &&
  ok "interventions listed" || bad "interventions of interventions.cfg not listed"

# run with no arguments writes the flagship result into the current directory.
expect_status 0 "run with no arguments" "$durand" run
res=$(sed -n 's/^result: //p' out.txt)
[ -n "$res" ] && [ -f "$res" ] && ok "result $res" || { bad "no result file"; exit 1; }
ls *.part >/dev/null 2>&1 && bad ".part file left behind"

if command -v ncdump >/dev/null; then
  ncdump -h "$res" >ncdump.txt 2>&1 && ok "ncdump -h" || { bad "ncdump -h"; cat ncdump.txt; }
else
  bad "ncdump not installed"
fi
/usr/bin/python3 "$src/tests/e2e_xarray.py" "$res" && ok "xarray" || bad "xarray check"
expect_status 0 "inspect" "$durand" inspect "$res"
grep -q "tension" out.txt || bad "inspect shows tension"
expect_status 2 "inspect missing file" "$durand" inspect missing.h5
echo "not hdf5" >junk.h5
expect_status 2 "inspect non-HDF5 file" "$durand" inspect junk.h5

# Overrides reach the file verbatim, and change the run.
expect_status 0 "run with override" "$durand" run -q -s scenario.days=30 -o short.h5
/usr/bin/python3 - <<'PY' || bad "override recorded and applied"
import h5py
f = h5py.File("short.h5", "r")
assert f["time"].shape == (30,), f["time"].shape
ov = f.attrs["overrides"]
ov = ov.decode() if isinstance(ov, bytes) else ov
assert "scenario.days=30" in ov, ov
PY
exit $fail
