# e2e_lib.sh — shell helpers of the end-to-end tests, sourced by them;
# not a test itself (tests/CMakeLists.txt leaves it out).
#
# The checks of the bad-input tests (e2e_bad_*.sh) count into `passed` and
# `failed` and read the program's stderr from "$stderr_file"; a result
# file must never be left at "$out" or "$out.part".

# e2e_args DURAND_BIN SOURCE_DIR WORK_DIR: check the arguments (exit 64
# with a usage line when they are not three) and set durand, src and work.
e2e_args() {
    if [ $# -ne 3 ]; then
        echo "usage: $0 DURAND_BIN SOURCE_DIR WORK_DIR" >&2
        exit 64
    fi
    durand=$1
    src=$2
    work=$3
}

# e2e_fresh DURAND_BIN SOURCE_DIR WORK_DIR: e2e_args, then an empty
# WORK_DIR as the current directory and fail=0, for the tests that report
# each check with ok or bad and exit with $fail.
e2e_fresh() {
    e2e_args "$@"
    rm -rf "$work"
    mkdir -p "$work" && cd "$work" || exit 1
    fail=0
}

# ok TEXT: a check that held. bad TEXT: one that failed (sets fail=1).
ok() { echo "ok: $*"; }
bad() {
    echo "FAIL: $*"
    fail=1
}

# e2e_init DURAND_BIN SOURCE_DIR WORK_DIR: e2e_args, then make WORK_DIR
# and set out (WORK_DIR/out.h5), stderr_file (WORK_DIR/stderr.txt) and
# the counts passed and failed.
e2e_init() {
    e2e_args "$@"
    mkdir -p "$work" || exit 1
    out="$work/out.h5"
    stderr_file="$work/stderr.txt"
    passed=0
    failed=0
}

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

# catalogue DIR MIN: the *.cfg files of the bad-input catalogue DIR into
# the array `files`; exit 1 when there are fewer than MIN.
catalogue() {
    shopt -s nullglob
    files=("$1"/*.cfg)
    if [ ${#files[@]} -lt "$2" ]; then
        echo "FAIL: ${#files[@]} files in $1, expected at least $2"
        exit 1
    fi
}

# check_catalogue RUN FILE...: every FILE of a bad-input catalogue starts
# with "# expect: TEXT"; `RUN FILE` (which runs durand on FILE with -o
# "$out", its stderr into "$stderr_file") must pass check_common and print
# TEXT and a FILE:LINE: location.
check_catalogue() {
    local run=$1 file name first expect status
    shift
    for file in "$@"; do
        name=$(basename "$file")
        first=$(head -n 1 "$file")
        expect=${first#"# expect: "}
        if [ "$expect" = "$first" ] || [ -z "$expect" ]; then
            echo "FAIL $name: first line is not '# expect: ...'"
            failed=$((failed + 1))
            continue
        fi
        "$run" "$file"
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
}

# check_file_case NAME FILE EXPECTED STATUS: a bad input FILE made by the
# test, whose run ended with STATUS, passes check_common, and the stderr
# holds "FILE:" and EXPECTED.
check_file_case() {
    local name=$1 file=$2 expect=$3 status=$4
    check_common "$name" "$status" || return
    if ! grep -qF -- "$file:" "$stderr_file" || ! grep -qF -- "$expect" "$stderr_file"; then
        fail "$name" "stderr lacks $file: or: $expect"
        return
    fi
    passed=$((passed + 1))
}
