#!/usr/bin/env bash
# fuzz.sh [SECONDS] [scenario|flee|all] — fuzz the input readers with
# libFuzzer for SECONDS each (default 60) and print, for each harness, the
# number of executions, executions per second and crashes.
#
#   scenario (the default)  the scenario loader (dr_scenario_load, with
#                           overrides): tests/fuzz/fuzz_scenario.c, seeded
#                           from tests/fuzz/corpus/ and the bad-input
#                           catalogue tests/bad/, dictionary
#                           tests/fuzz/scenario.dict;
#   flee                    the FLEE case reader (dr_flee_load): one input
#                           is a whole case directory in a container format
#                           (tests/fuzz/fuzz_flee.c), seeded from
#                           tests/fuzz/corpus_flee/ (the shared FLEE cases,
#                           cut short, and tests/bad_flee/), dictionary
#                           tests/fuzz/flee.dict;
#   all                     both, one after the other (2 x SECONDS).
#
# Each harness is built with clang -fsanitize=fuzzer,address,undefined in
# its own directory (build-fuzz/, or $DR_FUZZ_DIR; the FLEE harness in its
# flee/ subdirectory). New inputs go to DIR/corpus (not into the
# repository); a crash, leak, timeout or broken reader contract is written
# to DIR/artifacts/ and makes the script exit 1. Keep every crashing input
# as tests/fuzz/regressions/NAME (scenario) or tests/fuzz/regressions_flee/
# NAME (FLEE) once it is fixed: CTest replays those directories (test
# fuzz_replay). tests/fuzz/flee_pack.py unpacks a FLEE input into a case
# directory for `durand flee`.
#
# Leaks: libFuzzer's per-input leak check runs a full LeakSanitizer scan
# after every input whose mallocs and frees do not balance, which
# libconfig's own small leak on some syntax errors (tests/fuzz/lsan.supp)
# makes most scenario inputs do, at a fifth of the speed. So the scenario
# harness fuzzes with -detect_leaks=0 (ASan and UBSan stay on for every
# input); the FLEE reader uses no library that leaks and fuzzes with leak
# checks on. For both, a second pass replays the whole corpus found, the
# seeds and the regressions with LeakSanitizer on; a leak there fails the
# script like a crash.
#
# Environment: DR_FUZZ_JOBS parallel fuzzing processes per harness (default
# 2; they share the corpus), DR_FUZZ_MAX_LEN longest input in bytes
# (default 16384: the flagship seed is cut there, its full text is replayed
# by CTest), DR_FUZZ_TIMEOUT seconds after which one input counts as a hang
# (default 30), CC (default clang, then clang-14), DR_FUZZ_DIR.
# Needs clang and libclang-rt-14-dev (Debian 12); not run by CI.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
which=${2:-scenario}
jobs=${DR_FUZZ_JOBS:-2}
max_len=${DR_FUZZ_MAX_LEN:-16384}
timeout=${DR_FUZZ_TIMEOUT:-30}
top=${DR_FUZZ_DIR:-$root/build-fuzz}
case "$seconds" in ''|*[!0-9]*) echo "fuzz.sh: SECONDS must be a whole number, got '$seconds'" >&2; exit 2 ;; esac
case "$jobs" in ''|*[!0-9]*|0) echo "fuzz.sh: DR_FUZZ_JOBS must be a positive number" >&2; exit 2 ;; esac
case "$timeout" in ''|*[!0-9]*|0) echo "fuzz.sh: DR_FUZZ_TIMEOUT must be a positive number" >&2; exit 2 ;; esac
case "$which" in
  scenario) harnesses=(scenario) ;;
  flee) harnesses=(flee) ;;
  all) harnesses=(scenario flee) ;;
  *) echo "fuzz.sh: the harness must be scenario, flee or all, got '$which'" >&2; exit 2 ;;
esac

cc=${CC:-}
if [ -z "$cc" ]; then
  for c in clang clang-14; do command -v "$c" >/dev/null && { cc=$c; break; }; done
fi
[ -n "$cc" ] || { echo "fuzz.sh: clang not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }

# The temporary scenario file and FLEE case directory live on a tmpfs when
# there is one.
tmp=/tmp
[ -d /dev/shm ] && [ -w /dev/shm ] && tmp=/dev/shm
export TMPDIR=$tmp
# Four frames of allocation stack are enough to place a bug and make
# malloc a third cheaper; replay a crash for the full stacks.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:malloc_context_size=4}
export LSAN_OPTIONS=suppressions=$root/tests/fuzz/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# shellcheck disable=SC2054 # the commas belong to -fsanitize's list
cflags=(-g -O1 -std=c11 -fsanitize=fuzzer,address,undefined
  -fno-sanitize-recover=undefined -fno-omit-frame-pointer -I"$root/engine")

# fuzz NAME: build, fuzz and leak-check one harness; prints its summary
# line and returns 1 when it found anything.
fuzz() {
  local name=$1 dir bin dict leaks seeds=() replay=()
  case "$name" in
    scenario)
      dir=$top
      bin=$dir/fuzz_scenario
      dict=$root/tests/fuzz/scenario.dict
      leaks=0
      seeds=("$root/tests/fuzz/corpus" "$root/tests/bad")
      replay=("$root/tests/fuzz/regressions")
      ;;
    flee)
      dir=$top/flee
      bin=$dir/fuzz_flee
      dict=$root/tests/fuzz/flee.dict
      leaks=1
      seeds=("$root/tests/fuzz/corpus_flee")
      replay=("$root/tests/fuzz/regressions_flee")
      ;;
  esac
  mkdir -p "$dir/corpus" "$dir/artifacts" "$dir/logs"
  echo "== $name: building $bin with $cc"
  if [ "$name" = scenario ]; then
    # shellcheck disable=SC2046
    "$cc" "${cflags[@]}" $(pkg-config --cflags libconfig) \
      "$root/tests/fuzz/fuzz_scenario.c" "$root/engine/scenario_load.c" \
      "$root/engine/scenario.c" \
      $(pkg-config --libs libconfig) -lm -o "$bin"
  else
    "$cc" "${cflags[@]}" "$root/tests/fuzz/fuzz_flee.c" \
      "$root/engine/flee_load.c" "$root/engine/flee_text.c" \
      "$root/engine/flee_settings.c" "$root/engine/scenario.c" -lm -o "$bin"
  fi

  rm -f "$dir"/logs/*
  find "$dir/artifacts" -type f | sort >"$dir/logs/artifacts.before"
  echo "== $name: fuzzing for ${seconds}s with $jobs process(es)"
  local pids=() j p status=0
  for j in $(seq 1 "$jobs"); do
    (cd "$dir" && exec "$bin" -max_total_time="$seconds" -print_final_stats=1 \
        -dict="$dict" -reload=10 -timeout="$timeout" \
        -detect_leaks="$leaks" -max_len="$max_len" \
        -artifact_prefix="$dir/artifacts/" -close_fd_mask=0 \
        "$dir/corpus" "${seeds[@]}" \
        >"$dir/logs/job$j.log" 2>&1) &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || status=1; done

  echo "== $name: leak pass: replaying the corpus with LeakSanitizer"
  local leak_status=0
  (cd "$dir" && "$bin" -runs=0 -detect_leaks=1 -artifact_prefix="$dir/artifacts/" \
      "$dir/corpus" "${seeds[@]}" "${replay[@]}" >"$dir/logs/leaks.log" 2>&1) || leak_status=1
  [ "$leak_status" -eq 0 ] && echo "fuzz.sh: $name: no leaks" || status=1

  local execs=0 n
  for j in $(seq 1 "$jobs"); do
    n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/logs/job$j.log" | tail -n 1)
    execs=$((execs + ${n:-0}))
  done
  find "$dir/artifacts" -type f | sort >"$dir/logs/artifacts.after"
  local new crashes rate
  new=$(comm -13 "$dir/logs/artifacts.before" "$dir/logs/artifacts.after")
  crashes=$(printf '%s' "$new" | grep -c . || true)
  rate=$((execs / (seconds > 0 ? seconds : 1)))
  echo "fuzz.sh: $name: $execs executions in ${seconds}s with $jobs process(es), $rate exec/s, $crashes crash(es)"
  echo "fuzz.sh: $name: corpus $(find "$dir/corpus" -type f | wc -l) inputs in $dir/corpus; logs in $dir/logs"
  if [ "$crashes" -ne 0 ] || [ "$status" -ne 0 ]; then
    echo "fuzz.sh: $name: FAILED; new artifacts:" >&2
    printf '%s\n' "$new" >&2
    grep -h -A3 "ERROR: \|contract broken\|runtime error" "$dir"/logs/*.log | head -40 >&2 || true
    return 1
  fi
  return 0
}

overall=0
for h in "${harnesses[@]}"; do fuzz "$h" || overall=1; done
exit "$overall"
