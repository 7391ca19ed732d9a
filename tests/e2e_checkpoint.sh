#!/usr/bin/env bash
# e2e_checkpoint.sh DURAND SOURCE_DIR WORK_DIR
#
# Checkpoint and restart (README.md, "Checkpoint and restart") on the
# flagship with civilian agents, shortened to 90 days:
#
#  - a run with --checkpoint-every 10 is killed with SIGKILL after it wrote
#    a checkpoint; restarting from that checkpoint gives a result whose
#    every dataset equals an uninterrupted run's (h5diff of the whole
#    files, which may only report root attributes such as wall times and
#    thread counts). The killed run used 2 threads, the restart 1, the
#    uninterrupted run 2;
#  - SIGTERM writes a checkpoint of the last complete day (exit 1, with the
#    restart command in the message); restarting from it is identical too;
#  - a successful run removes its checkpoint;
#  - refused with exit 2 and no result file: a seed or override that
#    differs from the checkpoint's run, a truncated checkpoint, a damaged
#    one (bytes flipped: checksum), a result file given as checkpoint, a
#    missing file.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/e2e_lib.sh"
e2e_fresh "$@"
scenario="$src/scenarios/pak_afg.cfg"
# Civilian agents must be present: 1 agent per 500 persons keeps the
# sanitizer build quick (tens of thousands of agents).
set_args=(-s scenario.days=90 -s scenario.agent_scale=500)


OMP_NUM_THREADS=2 "$durand" run "$scenario" "${set_args[@]}" -q -o a.h5 ||
    { echo "uninterrupted run failed"; exit 1; }
"$durand" check "$scenario" "${set_args[@]}" | grep -q "agents  *[1-9][0-9]* civilian agents" ||
    { echo "the test scenario has no civilian agents"; exit 1; }
datasets=$(h5ls -r a.h5 | awk '$2 == "Dataset" {print $1}')
n=$(echo "$datasets" | grep -c .)
[ "$n" -ge 20 ] || { echo "expected at least 20 datasets, found $n"; exit 1; }

same() { # same A B: the same datasets, every one equal (one h5diff of the
    # whole files: the only differences it may report are root attributes,
    # e.g. wall times, the command line and the thread count)
    local a=$1 b=$2 out rc
    if [ "$(h5ls -r "$a" | awk '{print $1, $2}')" != "$(h5ls -r "$b" | awk '{print $1, $2}')" ]; then
        echo "  $a and $b hold different objects"; return 1
    fi
    out=$(h5diff "$a" "$b" 2>&1); rc=$?
    [ $rc -le 1 ] || { echo "  h5diff $a $b: exit $rc"; echo "$out" | head -n 5; return 1; }
    out=$(echo "$out" | grep -Ev '^attribute: <[A-Za-z0-9_]+ of </>> and <[A-Za-z0-9_]+ of </>>$|^[0-9]+ differences? found$|^size: |^position |^-+$|^ +\[|^$')
    [ -z "$out" ] || { echo "  $a and $b differ:"; echo "$out" | head -n 10; return 1; }
}

# --- SIGKILL after a checkpoint -------------------------------------------
# Checkpoints replace each other by rename, so a copy taken at any moment
# is one complete checkpoint.
OMP_NUM_THREADS=2 "$durand" run "$scenario" "${set_args[@]}" -q -o b.h5 \
    --checkpoint-every 10 &
pid=$!
for _ in $(seq 1 6000); do
    if [ -e b.ckpt.h5 ] && cp b.ckpt.h5 saved.ckpt.h5 2>/dev/null; then break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.01
done
kill -KILL "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
if [ ! -s saved.ckpt.h5 ]; then
    echo "FAIL: no checkpoint appeared before the run ended"; exit 1
fi
day=$(h5dump -a /day saved.ckpt.h5 2>/dev/null | awk '/\(0\)/ {print $2}')
echo "checkpoint taken after day $day"
[ -e b.h5 ] && bad "the killed run left a result file"

OMP_NUM_THREADS=1 "$durand" run --restart saved.ckpt.h5 -q -o b.h5
rc=$?
if [ $rc -eq 0 ] && same a.h5 b.h5; then
    ok "SIGKILL after day $day, restart (1 thread vs 2): $n datasets identical"
else
    bad "restart after SIGKILL (exit $rc) differs from the uninterrupted run"
fi
[ -e b.ckpt.h5 ] && bad "the restarted run did not remove its checkpoint b.ckpt.h5"
[ -e saved.ckpt.h5 ] || bad "the restart removed the checkpoint it started from"

# --- SIGTERM writes a checkpoint --------------------------------------------
OMP_NUM_THREADS=2 "$durand" run "$scenario" "${set_args[@]}" -q -o t.h5 \
    --checkpoint-every 1000 2>term.err &
pid=$!
for _ in $(seq 1 6000); do
    [ -e t.h5.part ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.01
done
sleep 0.2
kill -TERM "$pid" 2>/dev/null
wait "$pid"
rc=$?
if [ $rc -eq 1 ] && [ -s t.ckpt.h5 ]; then
    grep -q -- "--restart t.ckpt.h5" term.err || bad "SIGTERM message lacks the restart command"
    OMP_NUM_THREADS=2 "$durand" run --restart t.ckpt.h5 -q
    rc=$?
    if [ $rc -eq 0 ] && same a.h5 t.h5; then
        ok "SIGTERM checkpoint, restart: identical"
    else
        bad "restart after SIGTERM (exit $rc) differs"
    fi
elif [ $rc -eq 0 ]; then
    echo "note: the run finished before SIGTERM arrived; SIGTERM case not checked"
else
    bad "SIGTERM: exit $rc, checkpoint $(ls t.ckpt.h5 2>&1)"
    cat term.err
fi

# --- refusals ---------------------------------------------------------------
refused() { # refused WHAT PATTERN ARGS...: exit 2, message, no result
    local what=$1 pattern=$2 rc
    shift 2
    rm -f z.h5
    "$durand" run "$@" -q -o z.h5 2>err.txt
    rc=$?
    if [ $rc -eq 2 ] && grep -q -- "$pattern" err.txt && [ ! -e z.h5 ] && [ ! -e z.h5.part ]; then
        ok "refused: $what ($(head -n 1 err.txt))"
    else
        bad "$what: exit $rc, expected 2 and \"$pattern\""; cat err.txt
    fi
}
refused "another seed" "seed 8, the checkpoint's run had seed" \
    --restart saved.ckpt.h5 "${set_args[@]}" --seed 8
refused "another override" "override 1 is -s scenario.days=91" \
    --restart saved.ckpt.h5 -s scenario.days=91 -s scenario.agent_scale=500
refused "another replication" "replication 1, the checkpoint's run had replication 0" \
    --restart saved.ckpt.h5 --replication 1
size=$(stat -c %s saved.ckpt.h5)
head -c $((size / 2)) saved.ckpt.h5 > truncated.ckpt.h5
refused "truncated checkpoint" "truncated" --restart truncated.ckpt.h5
cp saved.ckpt.h5 damaged.ckpt.h5
# Flip bytes inside the agents' data: HDF5 reads the file, the checksum
# does not match.
/usr/bin/python3 - damaged.ckpt.h5 <<'EOF' || bad "cannot damage the copy"
import sys, h5py
with h5py.File(sys.argv[1], "r") as f:
    off = f["state/agent_hardship"].id.get_offset()
with open(sys.argv[1], "r+b") as g:
    g.seek(off + 100); b = g.read(8)
    g.seek(off + 100); g.write(bytes(x ^ 0x5A for x in b))
EOF
refused "damaged checkpoint" "checksum mismatch" --restart damaged.ckpt.h5
refused "a result file as checkpoint" "not a durand checkpoint" --restart a.h5
refused "a missing checkpoint" "cannot read the checkpoint" --restart missing.ckpt.h5
refused "--checkpoint without --checkpoint-every" "needs --checkpoint-every" \
    "$scenario" --checkpoint x.ckpt.h5
exit $fail
