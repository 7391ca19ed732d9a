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

if [ $# -ne 3 ]; then
    echo "usage: $0 DURAND_BIN SOURCE_DIR WORK_DIR" >&2
    exit 64
fi
durand=$1
src=$2
work=$3

mkdir -p "$work" || exit 1
out="$work/out.h5"
stderr_file="$work/stderr.txt"
scenario="$src/scenarios/test/violence.cfg"
passed=0
failed=0

# fail NAME MESSAGE: record a failed check and show the program's stderr.
fail() {
    failed=$((failed + 1))
    echo "FAIL $1: $2"
    sed 's/^/    | /' "$stderr_file"
}

# check_common NAME STATUS: exit status 2 and no result file left behind.
check_common() {
    local name=$1 status=$2 ok=1
    if [ "$status" -ne 2 ]; then
        fail "$name" "exit status $status, expected 2"
        ok=0
    fi
    if [ -e "$out" ] || [ -e "$out.part" ]; then
        fail "$name" "a result file was left behind ($out or $out.part)"
        ok=0
    fi
    rm -f "$out" "$out.part"
    return $((1 - ok))
}

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

shopt -s nullglob
files=("$src"/tests/bad_strategies/*.cfg)
if [ ${#files[@]} -lt 15 ]; then
    echo "FAIL: ${#files[@]} files in $src/tests/bad_strategies, expected at least 15"
    exit 1
fi

for file in "${files[@]}"; do
    name=$(basename "$file")
    first=$(head -n 1 "$file")
    expect=${first#"# expect: "}
    if [ "$expect" = "$first" ] || [ -z "$expect" ]; then
        echo "FAIL $name: first line is not '# expect: ...'"
        failed=$((failed + 1))
        continue
    fi
    compare "$file"
    status=$?
    check_common "$name" "$status" || continue
    if ! grep -qF -- "$expect" "$stderr_file"; then
        fail "$name" "stderr lacks: $expect"
        continue
    fi
    if ! grep -qE -- "$(basename "$file" .cfg)\.cfg:[0-9]+:" "$stderr_file"; then
        fail "$name" "stderr lacks a $name:LINE: location"
        continue
    fi
    passed=$((passed + 1))
done

# File-level cases, made here. run_file NAME FILE EXPECTED: exit 2, stderr
# holds "FILE:" and EXPECTED, no result file.
run_file() {
    local name=$1 file=$2 expect=$3
    compare "$file"
    local status=$?
    check_common "$name" "$status" || return
    if ! grep -qF -- "$file:" "$stderr_file" || ! grep -qF -- "$expect" "$stderr_file"; then
        fail "$name" "stderr lacks $file: or: $expect"
        return
    fi
    passed=$((passed + 1))
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
