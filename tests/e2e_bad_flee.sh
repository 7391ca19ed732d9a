#!/usr/bin/env bash
# e2e_bad_flee.sh — `durand flee` rejects malformed FLEE cases cleanly.
#
# Usage: bash e2e_bad_flee.sh DURAND_BIN SOURCE_DIR WORK_DIR
#
# For every tests/bad_flee/NN_*/ with an EXPECT file, `durand flee DIR -q
# -o WORK_DIR/out.h5` must exit with status 2, print on stderr the text of
# EXPECT (a FILE:LINE: field = value message, FILE inside DIR), and leave
# no result file behind. The unbroken base case (00_valid) must run.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/e2e_lib.sh"
e2e_init "$@"
for dir in "$src"/tests/bad_flee/*/; do
    dir=${dir%/}
    name=$(basename "$dir")
    [ -f "$dir/EXPECT" ] || continue
    rm -f "$out" "$out.part"
    "$durand" flee "$dir" -q -o "$out" >"$work/stdout.txt" 2>"$work/stderr.txt"
    status=$?
    want=$(cat "$dir/EXPECT")
    ok=1
    if [ "$status" -ne 2 ]; then
        echo "FAIL $name: exit status $status, expected 2"; ok=0
    fi
    if ! grep -qF -- "$want" "$work/stderr.txt"; then
        echo "FAIL $name: stderr lacks: $want"; ok=0
    fi
    if ! grep -qF -- "$dir/" "$work/stderr.txt"; then
        echo "FAIL $name: the message does not name a file of the case"; ok=0
    fi
    if [ -e "$out" ] || [ -e "$out.part" ]; then
        echo "FAIL $name: a result file was left behind"; ok=0
    fi
    if [ $ok -eq 1 ]; then passed=$((passed + 1)); else
        failed=$((failed + 1)); sed 's/^/    | /' "$work/stderr.txt"; fi
done
rm -f "$out"
if "$durand" flee "$src/tests/bad_flee/00_valid" -q -o "$out" >"$work/stdout.txt" 2>"$work/stderr.txt" &&
   [ -f "$out" ] && grep -q '^ARD ' "$work/stdout.txt"; then
    passed=$((passed + 1))
else
    failed=$((failed + 1)); echo "FAIL 00_valid: the base case does not run"
    sed 's/^/    | /' "$work/stderr.txt"
fi
# Usage errors.
for args in "" "--seed x DIR" "--hasten 0 DIR" "--bogus DIR"; do
    # shellcheck disable=SC2086
    "$durand" flee $args >/dev/null 2>&1
    if [ $? -eq 2 ]; then passed=$((passed + 1)); else
        failed=$((failed + 1)); echo "FAIL usage 'durand flee $args': expected exit status 2"; fi
done
echo "e2e_bad_flee: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
