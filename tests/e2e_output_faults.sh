#!/usr/bin/env bash
# e2e_output_faults.sh — a result file survives output faults.
#
# Usage: bash e2e_output_faults.sh DURAND_BIN SOURCE_DIR WORK_DIR
#
# durand writes FILE.part and renames it to FILE only when the run
# succeeded. For each fault below, a complete result from an earlier run
# sits at the target path first; afterwards the target must hold exactly
# those bytes (cmp) or, where there was none, nothing; the exit status and
# the message must say what happened:
#
#  - unwritable directory: -o FILE/out.h5 where FILE is a regular file
#    (chmod cannot make a directory unwritable for root, and CI runs as
#    root; a chmod 555 directory is tested too when not root): exit 2
#    before the run, "is not a directory" / "is not writable";
#  - the .part path is taken by a directory: exit 1, "cannot create file";
#  - the target is a directory: exit 1, "cannot rename";
#  - disk full, as a file-size limit (ulimit -f, RLIMIT_FSIZE: writes fail
#    with EFBIG, and durand ignores SIGXFSZ so it can report): exit 1,
#    "File too large", no .part left;
#  - SIGTERM during the run: exit 1, "interrupted", no .part left;
#  - SIGKILL while writing (nothing can clean up): the target still holds
#    the earlier file, byte for byte, and `durand inspect` reads it; with no
#    earlier file the target does not exist (the .part stays, and the next
#    run overwrites it).
# And HDF5 file locking: with an exclusive flock(1) held on a result file,
# `durand inspect` fails, and succeeds with --no-file-locking or with
# HDF5_USE_FILE_LOCKING=FALSE (README.md, "Running on clusters").
set -u
. "$(dirname "${BASH_SOURCE[0]}")/e2e_lib.sh"
e2e_args "$@"
scenario="$src/scenarios/test/two_states.cfg"

rm -rf "$work"
mkdir -p "$work" || exit 1
cd "$work" || exit 1
passed=0
failed=0
err="$work/stderr.txt"
: >"$err"

# fail NAME MESSAGE: record a failed check and show durand's stderr.
fail() {
    failed=$((failed + 1))
    echo "FAIL $1: $2"
    sed 's/^/    | /' "$err"
}

# expect NAME STATUS WANT_STATUS TEXT: the exit status and, unless TEXT is
# empty, a stderr line containing TEXT.
expect() {
    local name=$1 status=$2 want=$3 text=$4
    if [ "$status" -ne "$want" ]; then
        fail "$name" "exit status $status, expected $want"
        return 1
    fi
    if [ -n "$text" ] && ! grep -qF -- "$text" "$err"; then
        fail "$name" "stderr lacks: $text"
        return 1
    fi
    return 0
}

# same NAME FILE: FILE is byte-identical to the earlier complete result.
same() {
    if ! cmp -s "$2" "$work/previous.h5"; then
        fail "$1" "$2 is not the earlier complete file"
        return 1
    fi
    return 0
}

# A complete result to protect.
if ! "$durand" run "$scenario" -q -o "$work/previous.h5" 2>"$err"; then
    fail "setup" "the reference run failed"
    echo "e2e_output_faults: $passed passed, $failed failed"
    exit 1
fi

# 1. Unwritable directory.
echo "not a directory" >"$work/plain"
"$durand" run "$scenario" -q -o "$work/plain/out.h5" 2>"$err"
expect "directory is a file" $? 2 "directory $work/plain is not a directory" &&
    [ ! -e "$work/plain/out.h5.part" ] && passed=$((passed + 1))
if [ "$(id -u)" -ne 0 ]; then
    mkdir -p "$work/ro"
    chmod 555 "$work/ro"
    "$durand" run "$scenario" -q -o "$work/ro/out.h5" 2>"$err"
    expect "read-only directory" $? 2 "is not writable" && passed=$((passed + 1))
    chmod 755 "$work/ro"
else
    echo "note: running as root: chmod 555 does not stop root, so the" \
         "read-only directory case is covered by the regular-file case"
fi

# 2. The .part path is a directory: creation fails at run time.
cp "$work/previous.h5" "$work/t2.h5"
mkdir -p "$work/t2.h5.part"
"$durand" run "$scenario" -q -o "$work/t2.h5" 2>"$err"
expect "part path taken" $? 1 "cannot create file" && same "part path taken" "$work/t2.h5" &&
    [ -d "$work/t2.h5.part" ] && passed=$((passed + 1))
rmdir "$work/t2.h5.part"

# 3. The target is a directory: the rename fails, the .part is removed.
mkdir -p "$work/t3.h5"
"$durand" run "$scenario" -q -o "$work/t3.h5" 2>"$err"
if expect "target is a directory" $? 1 "cannot rename"; then
    if [ -e "$work/t3.h5.part" ]; then
        fail "target is a directory" "t3.h5.part left behind"
    else
        passed=$((passed + 1))
    fi
fi

# 4. Disk full: a 64 KiB file-size limit (the result is about 120 KiB).
cp "$work/previous.h5" "$work/t4.h5"
(ulimit -f 64 && exec "$durand" run "$scenario" -q -o "$work/t4.h5") 2>"$err"
status=$?
if expect "disk full (ulimit -f)" "$status" 1 "File too large" &&
    expect "disk full (ulimit -f)" "$status" 1 "no result written to $work/t4.h5" &&
    same "disk full (ulimit -f)" "$work/t4.h5"; then
    if [ -e "$work/t4.h5.part" ]; then
        fail "disk full (ulimit -f)" "t4.h5.part left behind"
    else
        passed=$((passed + 1))
    fi
fi

# wait_for_part FILE PID: wait until FILE exists with some bytes in it (the
# run is writing), at most 60 s; returns 1 if the run ended first.
wait_for_part() {
    local i
    for i in $(seq 1 1200); do
        [ -s "$1" ] && return 0
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.05
    done
    return 1
}

# A long run (ten years) that the signals interrupt while it writes.
long=(run "$scenario" -q -s scenario.days=3650)

# 5. SIGTERM: the run stops at the next day, removes its .part, exits 1.
cp "$work/previous.h5" "$work/t5.h5"
"$durand" "${long[@]}" -o "$work/t5.h5" 2>"$err" &
pid=$!
if wait_for_part "$work/t5.h5.part" "$pid"; then
    sleep 0.3
    kill -TERM "$pid"
    wait "$pid"
    status=$?
    if expect "SIGTERM" "$status" 1 "run interrupted; no result written" &&
        same "SIGTERM" "$work/t5.h5"; then
        if [ -e "$work/t5.h5.part" ]; then
            fail "SIGTERM" "t5.h5.part left behind"
        else
            passed=$((passed + 1))
        fi
    fi
else
    wait "$pid"
    fail "SIGTERM" "the run ended before it was interrupted"
fi

# 6. SIGKILL while writing, over an earlier result and over nothing.
for target in t6.h5 t7.h5; do
    rm -f "$work/$target" "$work/$target.part"
    [ "$target" = t6.h5 ] && cp "$work/previous.h5" "$work/$target"
    "$durand" "${long[@]}" -o "$work/$target" 2>"$err" &
    pid=$!
    if ! wait_for_part "$work/$target.part" "$pid"; then
        wait "$pid"
        fail "SIGKILL $target" "the run ended before it was killed"
        continue
    fi
    sleep 0.3
    kill -KILL "$pid"
    wait "$pid" 2>/dev/null
    if [ "$target" = t6.h5 ]; then
        same "SIGKILL over an earlier result" "$work/$target" &&
            "$durand" inspect "$work/$target" >/dev/null 2>"$err" &&
            passed=$((passed + 1))
    elif [ -e "$work/$target" ]; then
        fail "SIGKILL over nothing" "$target exists after the kill"
    else
        passed=$((passed + 1))
    fi
done
# The next run over a stale .part succeeds and leaves none.
"$durand" run "$scenario" -q -o "$work/t7.h5" 2>"$err"
status=$?
if [ "$status" -ne 0 ]; then
    fail "run over a stale .part" "exit status $status"
elif [ -e "$work/t7.h5.part" ]; then
    fail "run over a stale .part" "t7.h5.part left behind"
elif ! "$durand" inspect "$work/t7.h5" >/dev/null 2>"$err"; then
    fail "run over a stale .part" "the result cannot be read"
else
    passed=$((passed + 1))
fi

# 7. HDF5 file locking, switched off for shared file systems.
if command -v flock >/dev/null; then
    flock -x "$work/previous.h5" sleep 30 &
    holder=$!
    sleep 0.5
    HDF5_USE_FILE_LOCKING= "$durand" inspect "$work/previous.h5" >/dev/null 2>"$err"
    if [ $? -eq 0 ]; then
        fail "file locking on" "inspect read a file locked by another process"
    else
        passed=$((passed + 1))
    fi
    "$durand" inspect --no-file-locking "$work/previous.h5" >/dev/null 2>"$err"
    expect "--no-file-locking" $? 0 "" && passed=$((passed + 1))
    HDF5_USE_FILE_LOCKING=FALSE "$durand" inspect "$work/previous.h5" >/dev/null 2>"$err"
    expect "HDF5_USE_FILE_LOCKING=FALSE" $? 0 "" && passed=$((passed + 1))
    kill "$holder" 2>/dev/null
    wait "$holder" 2>/dev/null
else
    echo "SKIP file locking: flock(1) (util-linux) is not installed"
fi

echo "e2e_output_faults: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
