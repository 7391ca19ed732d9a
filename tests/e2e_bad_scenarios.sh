#!/usr/bin/env bash
# e2e_bad_scenarios.sh — the program rejects bad input cleanly.
#
# Usage: bash e2e_bad_scenarios.sh DURAND_BIN SOURCE_DIR WORK_DIR
#
# For every scenarios/test/bad/*.cfg, `durand run FILE -o WORK_DIR/out.h5 -q`
# must exit with status 2, print on stderr the substring announced by the
# file's first line ("# expect: ...") and a FILE:LINE: location, and leave
# neither WORK_DIR/out.h5 nor WORK_DIR/out.h5.part behind. A few bad -s
# overrides on scenarios/test/minimal.cfg must also exit 2 with a message
# that names the override (-s PATH=VALUE). Prints a summary; exits non-zero
# if any check failed.
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

shopt -s nullglob
files=("$src"/scenarios/test/bad/*.cfg)
if [ ${#files[@]} -eq 0 ]; then
    echo "FAIL: no files in $src/scenarios/test/bad"
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
    rm -f "$out" "$out.part"
    "$durand" run "$file" -o "$out" -q >/dev/null 2>"$stderr_file"
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

# Bad overrides on a good scenario: "OVERRIDE|EXPECTED SUBSTRING".
minimal="$src/scenarios/test/minimal.cfg"
overrides=(
    'scenario.days=abc|-s scenario.days=abc: scenario.days = "abc": expected an integer'
    'scenario.days=0|-s scenario.days=0: scenario.days = 0: expected an integer in [1, 36500]'
    'actors.[PAK].resolve=1.5|-s actors.[PAK].resolve=1.5: actors.[0].resolve = 1.5: expected a float in [0, 1]'
    'actors.[IND].resolve=0.5|-s actors.[IND].resolve=0.5: actors.[IND]: no such element'
    'actors.[PAK].fightrs=10|-s actors.[PAK].fightrs=10: actors.[0].fightrs: unknown setting'
    'scenario.days|PATH=VALUE'
)
for entry in "${overrides[@]}"; do
    ov=${entry%%|*}
    expect=${entry#*|}
    rm -f "$out" "$out.part"
    "$durand" run "$minimal" -s "$ov" -o "$out" -q >/dev/null 2>"$stderr_file"
    status=$?
    check_common "-s $ov" "$status" || continue
    if ! grep -qF -- "-s" "$stderr_file" || ! grep -qF -- "$expect" "$stderr_file"; then
        fail "-s $ov" "stderr lacks -s or: $expect"
        continue
    fi
    passed=$((passed + 1))
done

echo "e2e_bad_scenarios: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
