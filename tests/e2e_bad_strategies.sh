#!/usr/bin/env bash
# e2e_bad_strategies.sh — `durand compare` rejects bad strategies files
# cleanly.
#
# Usage: bash e2e_bad_strategies.sh DURAND_BIN SOURCE_DIR WORK_DIR
#
# The catalogue is tests/bad_strategies/ (tests/bad_strategies/README.md).
# For every tests/bad_strategies/*.cfg,
#
#   durand compare scenarios/test/violence.cfg --strategies FILE -R 2 \
#          -o WORK_DIR/out.h5 -q
#
# must exit with status 2, print on stderr the substring announced by the
# file's first line ("# expect: ...") and a FILE:LINE: location naming the
# strategies file, and leave neither WORK_DIR/out.h5 nor
# WORK_DIR/out.h5.part behind. Then the cases that cannot be a file with a
# comment line, made here (an empty file, a directory, a missing file),
# must exit 2 naming the strategies file and the reason. Prints a summary;
# exits non-zero if any check failed.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/e2e_lib.sh"
e2e_init "$@"
scenario="$src/scenarios/test/violence.cfg"

# compare FILE: run durand compare on the test scenario with strategies FILE.
compare() {
    rm -f "$out" "$out.part"
    "$durand" compare "$scenario" --strategies "$1" -R 2 -o "$out" -q \
        >/dev/null 2>"$stderr_file"
}

if [ ! -r "$scenario" ]; then
    echo "FAIL: $scenario is missing"
    exit 1
fi
# The scenario itself must be valid, or every case would fail for it.
if ! "$durand" check "$scenario" >/dev/null 2>"$stderr_file"; then
    fail "scenario" "$scenario is not valid"
    exit 1
fi

catalogue "$src/tests/bad_strategies" 15

check_catalogue compare "${files[@]}"

# File-level cases, made here. run_file NAME FILE EXPECTED: exit 2, stderr
# holds "FILE:" and EXPECTED, no result file.
run_file() {
    compare "$2"
    check_file_case "$1" "$2" "$3" $?
}
gen="$work/generated"
rm -rf "$gen"
mkdir -p "$gen"

: >"$gen/empty.cfg"
run_file "empty file" "$gen/empty.cfg" "empty.cfg:1: strategies: missing required setting"

mkdir -p "$gen/directory.cfg"
run_file "a directory" "$gen/directory.cfg" "cannot read the strategies file: Is a directory"

run_file "a missing file" "$gen/missing.cfg" \
    "cannot read the strategies file: No such file or directory"

echo "e2e_bad_strategies: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
