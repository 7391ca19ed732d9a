#!/usr/bin/env bash
# stop_slurm.sh — stop the daemons start_slurm.sh started, by the PIDs it
# recorded under $SLURM_CI_DIR (never by name), waiting for each to exit.
SLURM_CI_DIR=${SLURM_CI_DIR:-/tmp/durand-slurm-ci}
for f in "$SLURM_CI_DIR/slurmd.pid" "$SLURM_CI_DIR/slurmctld.pid" "$SLURM_CI_DIR/munged.pid"; do
  [ -s "$f" ] || continue
  p=$(cat "$f")
  kill "$p" 2>/dev/null || true
  for i in $(seq 1 40); do
    kill -0 "$p" 2>/dev/null || break
    [ "$(ps -o stat= -p "$p" 2>/dev/null)" = Z ] && break
    sleep 0.25
  done
  kill -0 "$p" 2>/dev/null && { kill -9 "$p" 2>/dev/null || true; }
  rm -f "$f"
  echo "stopped $(basename "$f" .pid) ($p)"
done
