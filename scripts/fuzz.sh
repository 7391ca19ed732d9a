#!/usr/bin/env bash
# fuzz.sh [SECONDS] — fuzz the scenario loader (dr_scenario_load, with
# overrides) with libFuzzer for SECONDS (default 60) and print the number
# of executions, executions per second and crashes.
#
# Builds tests/fuzz/fuzz_scenario.c with clang -fsanitize=fuzzer,address,
# undefined in its own directory (build-fuzz/, or $DR_FUZZ_DIR), seeded from
# tests/fuzz/corpus/ and the bad-input catalogue tests/bad/, with the
# dictionary tests/fuzz/scenario.dict. New inputs go to build-fuzz/corpus
# (not into the repository); a crash, leak or broken loader contract is
# written to build-fuzz/artifacts/ and makes the script exit 1. Keep every
# crashing input as tests/fuzz/regressions/NAME once it is fixed: CTest
# replays that directory (test fuzz_replay).
#
# Leaks: libFuzzer's per-input leak check runs a full LeakSanitizer scan
# after every input whose mallocs and frees do not balance, which
# libconfig's own small leak on some syntax errors (tests/fuzz/lsan.supp)
# makes most inputs do, at a fifth of the speed. So the fuzzing runs with
# -detect_leaks=0 (ASan and UBSan stay on for every input), and a second
# pass replays the whole corpus found, the seeds and the regressions with
# LeakSanitizer on; a leak there fails the script like a crash.
#
# Environment: DR_FUZZ_JOBS parallel fuzzing processes (default 2; they
# share the corpus), DR_FUZZ_MAX_LEN longest input in bytes (default 16384:
# the flagship seed is cut there, its full text is replayed by CTest), CC
# (default clang, then clang-14), DR_FUZZ_DIR.
# Needs clang and libclang-rt-14-dev (Debian 12); not run by CI.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
jobs=${DR_FUZZ_JOBS:-2}
max_len=${DR_FUZZ_MAX_LEN:-16384}
dir=${DR_FUZZ_DIR:-$root/build-fuzz}
case "$seconds" in ''|*[!0-9]*) echo "fuzz.sh: SECONDS must be a whole number, got '$seconds'" >&2; exit 2 ;; esac
case "$jobs" in ''|*[!0-9]*|0) echo "fuzz.sh: DR_FUZZ_JOBS must be a positive number" >&2; exit 2 ;; esac

cc=${CC:-}
if [ -z "$cc" ]; then
  for c in clang clang-14; do command -v "$c" >/dev/null && { cc=$c; break; }; done
fi
[ -n "$cc" ] || { echo "fuzz.sh: clang not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }

mkdir -p "$dir/corpus" "$dir/artifacts" "$dir/logs"
bin="$dir/fuzz_scenario"
echo "== building $bin with $cc"
# shellcheck disable=SC2046
"$cc" -g -O1 -std=c11 -fsanitize=fuzzer,address,undefined \
  -fno-sanitize-recover=undefined -fno-omit-frame-pointer \
  -I"$root/engine" $(pkg-config --cflags libconfig) \
  "$root/tests/fuzz/fuzz_scenario.c" "$root/engine/scenario_load.c" \
  "$root/engine/scenario.c" \
  $(pkg-config --libs libconfig) -lm -o "$bin"

# The temporary scenario file lives on a tmpfs when there is one.
tmp=/tmp
[ -d /dev/shm ] && [ -w /dev/shm ] && tmp=/dev/shm
export TMPDIR=$tmp
# Four frames of allocation stack are enough to place a bug and make
# malloc a third cheaper; replay a crash for the full stacks.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:malloc_context_size=4}
export LSAN_OPTIONS=suppressions=$root/tests/fuzz/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

rm -f "$dir"/logs/*
find "$dir/artifacts" -type f | sort >"$dir/logs/artifacts.before"
echo "== fuzzing for ${seconds}s with $jobs process(es)"
pids=()
for j in $(seq 1 "$jobs"); do
  (cd "$dir" && exec "$bin" -max_total_time="$seconds" -print_final_stats=1 \
      -dict="$root/tests/fuzz/scenario.dict" -reload=10 \
      -detect_leaks=0 -max_len="$max_len" \
      -artifact_prefix="$dir/artifacts/" -close_fd_mask=0 \
      "$dir/corpus" "$root/tests/fuzz/corpus" "$root/tests/bad" \
      >"$dir/logs/job$j.log" 2>&1) &
  pids+=($!)
done
status=0
for p in "${pids[@]}"; do wait "$p" || status=1; done

echo "== leak pass: replaying the corpus with LeakSanitizer"
leak_status=0
(cd "$dir" && "$bin" -runs=0 -detect_leaks=1 -artifact_prefix="$dir/artifacts/" \
    "$dir/corpus" "$root/tests/fuzz/corpus" "$root/tests/fuzz/regressions" \
    "$root/tests/bad" >"$dir/logs/leaks.log" 2>&1) || leak_status=1
[ "$leak_status" -eq 0 ] && echo "fuzz.sh: no leaks" || status=1

execs=0
for j in $(seq 1 "$jobs"); do
  n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/logs/job$j.log" | tail -n 1)
  execs=$((execs + ${n:-0}))
done
find "$dir/artifacts" -type f | sort >"$dir/logs/artifacts.after"
new=$(comm -13 "$dir/logs/artifacts.before" "$dir/logs/artifacts.after")
crashes=$(printf '%s' "$new" | grep -c . || true)
rate=$((execs / (seconds > 0 ? seconds : 1)))
echo "fuzz.sh: $execs executions in ${seconds}s with $jobs process(es), $rate exec/s, $crashes crash(es)"
echo "fuzz.sh: corpus $(find "$dir/corpus" -type f | wc -l) inputs in $dir/corpus; logs in $dir/logs"
if [ "$crashes" -ne 0 ] || [ "$status" -ne 0 ]; then
  echo "fuzz.sh: FAILED; new artifacts:" >&2
  printf '%s\n' "$new" >&2
  grep -h -A3 "ERROR: \|contract broken\|runtime error" "$dir"/logs/*.log | head -40 >&2 || true
  exit 1
fi
