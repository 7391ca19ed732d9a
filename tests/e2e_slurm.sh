#!/usr/bin/env bash
# e2e_slurm.sh DURAND SOURCE_DIR WORK_DIR
#
# A real single-node Slurm (scripts/slurm/start_slurm.sh: munge, slurmctld,
# slurmd from Debian's packages, no systemd or cgroups) runs
#   - a 4-task job array of shards (scripts/slurm/sweep_array.sbatch) and a
#     merge job that depends on it (merge.sbatch), and
#   - an MPI sweep on 2 ranks started by srun --mpi=pmi2 (sweep_mpi.sbatch,
#     when the build has DR_MPI);
# both results must equal the single-process sweep, dataset by dataset
# (h5diff). The daemons are stopped by PID on exit (scripts/slurm/stop_slurm.sh).
#
# This test FAILS (it does not skip) when not run as root or when the Slurm
# packages are missing: CI runs as root and scripts/install.sh installs them.
set -u
durand=$1; src=$2; work=$3
rm -rf "$work"; mkdir -p "$work"; cd "$work" || exit 1
durand=$(cd "$(dirname "$durand")" && pwd)/$(basename "$durand")
build=$(dirname "$durand")

if [ "$(id -u)" -ne 0 ]; then echo "FAIL: e2e_slurm needs root (it starts munged, slurmctld, slurmd)"; exit 1; fi
for c in sbatch srun squeue sinfo /usr/sbin/slurmctld /usr/sbin/slurmd /usr/sbin/munged h5diff; do
  command -v "$c" >/dev/null || { echo "FAIL: $c missing (scripts/install.sh installs slurmctld slurmd slurm-client munge)"; exit 1; }
done

export SLURM_CI_DIR="$work/slurm"
# Leak checking of MPI children under srun is off: MPICH keeps allocations
# alive at exit that LeakSanitizer would report (ASan builds only; the
# single-process runs of e2e_sweep.sh keep full leak checking).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
cleanup() { bash "$src/scripts/slurm/stop_slurm.sh"; }
trap cleanup EXIT
bash "$src/scripts/slurm/start_slurm.sh" > start.txt 2>&1 || { cat start.txt; echo "FAIL: Slurm did not start"; exit 1; }
cat start.txt
export SLURM_CONF="$SLURM_CI_DIR/slurm.conf"

fail=0
scenario="$src/scenarios/test/two_states.cfg"
params=(--param 'dyads.[PAK-AFG].trust=0.1:0.5:5' --param 'model.relations.reactivity=0.01:0.05:4'
        --replications 3 --series)
"$durand" sweep "$scenario" "${params[@]}" -q --threads 1 -o ref.h5 || { echo "FAIL: reference sweep"; exit 1; }
datasets=$(h5ls -r ref.h5 | awk '$2 == "Dataset" {print $1}')

same() {
  local a=$1 b=$2 d diffs=0
  for d in $datasets; do
    if ! h5diff -q "$a" "$b" "$d" "$d" >/dev/null 2>&1; then diffs=1; echo "  $d differs between $a and $b"; fi
  done
  return $diffs
}

t0=$(date +%s)
jid=$(sbatch --parsable --array=0-3 -o "$work/shard_%A_%a.out" \
      "$src/scripts/slurm/sweep_array.sbatch" "$durand" "$scenario" "$work/shards" "${params[@]}") ||
  { echo "FAIL: sbatch array"; exit 1; }
mid=$(sbatch --parsable --dependency=afterok:"$jid" -o "$work/merge_%j.out" \
      "$src/scripts/slurm/merge.sbatch" "$durand" "$work/shards" "$work/array.h5") ||
  { echo "FAIL: sbatch merge"; exit 1; }
echo "submitted array job $jid (4 shards) and merge job $mid (afterok:$jid)"
mpi=0
if grep -q "^DR_MPI:BOOL=ON" "$build/CMakeCache.txt" 2>/dev/null; then
  mpi=1
  pid=$(sbatch --parsable -n 2 -o "$work/mpi_%j.out" \
        "$src/scripts/slurm/sweep_mpi.sbatch" "$durand" "$scenario" "$work/mpi.h5" "${params[@]}") ||
    { echo "FAIL: sbatch mpi"; exit 1; }
  echo "submitted MPI job $pid (srun --mpi=pmi2, 2 ranks)"
else
  echo "FAIL: this build has no MPI (DR_MPI=OFF); install libmpich-dev and rebuild"
  fail=1
fi

for i in $(seq 1 600); do [ -z "$(squeue -h 2>/dev/null)" ] && break; sleep 0.5; done
if [ -n "$(squeue -h)" ]; then echo "FAIL: jobs still queued after 300 s"; squeue; fail=1; fi
echo "all jobs left the queue after $(( $(date +%s) - t0 )) s"
for f in "$work"/*.out; do echo "--- $(basename "$f")"; cat "$f"; done

if [ -s array.h5 ] && same ref.h5 array.h5; then
  echo "ok: 4-task array + dependent merge equals the single-process sweep"
else
  echo "FAIL: array + merge result missing or different"; fail=1
fi
[ "$(ls shards/shard_*.h5 2>/dev/null | wc -l)" -eq 4 ] || { echo "FAIL: expected 4 shard files"; fail=1; }
if [ $mpi -eq 1 ]; then
  if [ -s mpi.h5 ] && same ref.h5 mpi.h5 && h5dump -a /mpi_ranks mpi.h5 | grep -q "(0): 2"; then
    echo "ok: MPI sweep on 2 ranks under srun equals the single-process sweep"
  else
    echo "FAIL: MPI result missing or different"; fail=1
  fi
fi
exit $fail
