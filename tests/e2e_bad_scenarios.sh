#!/usr/bin/env bash
# e2e_bad_scenarios.sh — the program rejects bad input cleanly.
#
# Usage: bash e2e_bad_scenarios.sh DURAND_BIN SOURCE_DIR WORK_DIR
#
# The bad-input catalogue is tests/bad/ (tests/bad/README.md). For every
# tests/bad/*.cfg, `durand run FILE -o WORK_DIR/out.h5 -q` must exit with
# status 2, print on stderr the substring announced by the file's first
# line ("# expect: ...") and a FILE:LINE: location, and leave neither
# WORK_DIR/out.h5 nor WORK_DIR/out.h5.part behind. Then the cases that
# cannot be a file with a comment line, made here: an empty file, pure
# binary garbage, a directory, an unreadable file, a 50 MB file and a list
# of a million elements; each must exit 2 within DR_BAD_TIMEOUT seconds
# (default 120) naming the file and the reason, and leave no result file.
# A few bad -s overrides on scenarios/test/minimal.cfg must also exit 2
# with a message that names the override (-s PATH=VALUE). Prints a
# summary; exits non-zero if any check failed.
#
# Unreadable: chmod 000 does not stop root (CI runs as root), so as root
# the case runs durand as the unprivileged user nobody through setpriv
# (util-linux); where that is impossible the case is skipped, with the
# reason printed, and counted as skipped, never as passed.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/e2e_lib.sh"
e2e_init "$@"

# run_scenario FILE: durand run FILE into "$out", stderr into "$stderr_file".
run_scenario() {
    rm -f "$out" "$out.part"
    "$durand" run "$1" -o "$out" -q >/dev/null 2>"$stderr_file"
}

catalogue "$src/tests/bad" 50

check_catalogue run_scenario "${files[@]}"

# File-level cases, made here. run_file NAME FILE EXPECTED [RUNNER...]:
# durand run FILE exits 2 in time, stderr holds "FILE: " or "FILE:LINE: "
# and EXPECTED, and no result file is left.
timeout_s=${DR_BAD_TIMEOUT:-120}
skipped=0
run_file() {
    local name=$1 file=$2 expect=$3
    shift 3
    rm -f "$out" "$out.part"
    timeout "$timeout_s" "$@" "$durand" run "$file" -o "$out" -q >/dev/null 2>"$stderr_file"
    local status=$?
    if [ "$status" -eq 124 ]; then
        fail "$name" "took more than ${timeout_s}s"
        rm -f "$out" "$out.part"
        return
    fi
    check_file_case "$name" "$file" "$expect" "$status"
}
gen="$work/generated"
rm -rf "$gen"
mkdir -p "$gen"

: >"$gen/empty.cfg"
run_file "empty file" "$gen/empty.cfg" "empty.cfg:1: scenario: missing required setting"

# Binary garbage: the gzip of a scenario (has NUL bytes), and the same
# bytes without NULs (reaches the parser).
gzip -n -c "$src/scenarios/pak_afg.cfg" >"$gen/garbage_nul.cfg"
run_file "binary garbage with NUL bytes" "$gen/garbage_nul.cfg" "expected a text file (found a NUL byte)"
tr -d '\000' <"$gen/garbage_nul.cfg" >"$gen/garbage.cfg"
run_file "binary garbage" "$gen/garbage.cfg" "syntax error"

mkdir -p "$gen/directory.cfg"
run_file "a directory" "$gen/directory.cfg" "cannot read the scenario file: Is a directory"

run_file "a missing file" "$gen/missing.cfg" "cannot read the scenario file: No such file or directory"

cp "$src/scenarios/test/minimal.cfg" "$gen/unreadable.cfg"
chmod 000 "$gen/unreadable.cfg"
if [ "$(id -u)" -ne 0 ]; then
    run_file "unreadable file" "$gen/unreadable.cfg" "cannot read the scenario file: Permission denied"
elif command -v setpriv >/dev/null &&
     setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$durand" 2>/dev/null &&
     setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$gen" 2>/dev/null; then
    run_file "unreadable file (as nobody)" "$gen/unreadable.cfg" \
        "cannot read the scenario file: Permission denied" \
        setpriv --reuid=65534 --regid=65534 --clear-groups
else
    skipped=$((skipped + 1))
    echo "SKIP unreadable file: running as root, and durand or $gen is not" \
         "reachable by nobody through setpriv, so no file is unreadable here"
fi
chmod 600 "$gen/unreadable.cfg"

# Enormous: 50 MB (refused unread beyond 16 MiB), and a list of 10^6 ids.
truncate -s 50M "$gen/enormous.cfg"
run_file "a 50 MB file" "$gen/enormous.cfg" "larger than 16 MiB"
rm -f "$gen/enormous.cfg"
{
    sed -n '/^scenario/,$p' "$src/scenarios/test/minimal.cfg" | sed '/^locations/,$d'
    printf 'locations = (\n  { id = "peshawar"; country = "PAK"; type = "city"; lat = 34.01; lon = 71.58;\n    projects = ['
    awk 'BEGIN { for (i = 0; i < 1000000; i++) printf "%s\"p%d\"", (i ? "," : ""), i }'
    printf '];\n  }\n);\n'
} >"$gen/million.cfg"
run_file "a list of a million elements" "$gen/million.cfg" \
    "million.cfg:13: projects = [ ... ]: expected a list of at most 20000 elements"
rm -f "$gen/million.cfg"

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

echo "e2e_bad_scenarios: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
