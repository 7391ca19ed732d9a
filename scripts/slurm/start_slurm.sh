#!/usr/bin/env bash
# start_slurm.sh — bring up a throwaway single-node Slurm cluster (munge,
# slurmctld, slurmd from Debian's packages) for tests, as root, without
# systemd or cgroups: ProctrackType=proctrack/linuxproc, TaskPlugin=task/none,
# SchedulerParameters=batch_sched_delay=0 (saves ~3 s per submission). All
# state lives under $SLURM_CI_DIR (default /tmp/durand-slurm-ci). Up in about
# a second. Prints `export SLURM_CONF=...` and the daemons' PIDs; stop them
# with stop_slurm.sh, which kills exactly these PIDs.
#
# munged is started only if no munge daemon answers already; in that case
# its PID is recorded in $SLURM_CI_DIR/munged.pid so that stop_slurm.sh stops
# only what this script started. Ports: $SLURM_CI_PORT (slurmctld, default
# 6817) and the next one (slurmd).
set -euo pipefail
SLURM_CI_DIR=${SLURM_CI_DIR:-/tmp/durand-slurm-ci}
PORT=${SLURM_CI_PORT:-6817}
[ "$(id -u)" -eq 0 ] || { echo "start_slurm.sh: must run as root (slurmd, munged)" >&2; exit 1; }
for cmd in /usr/sbin/slurmctld /usr/sbin/slurmd /usr/sbin/munged sinfo munge unmunge; do
  command -v "$cmd" >/dev/null || { echo "start_slurm.sh: $cmd missing (apt-get install slurmctld slurmd slurm-client munge)" >&2; exit 1; }
done
HOST=$(hostname -s); NCPU=$(nproc)
MEM_MB=$(( $(awk '/MemTotal/{print $2}' /proc/meminfo) / 1024 / 2 ))
mkdir -p "$SLURM_CI_DIR"/{state,spool,log}
cat > "$SLURM_CI_DIR/slurm.conf" <<CONF
ClusterName=durandci
MailProg=/bin/true
SlurmctldHost=${HOST}(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CryptoType=crypto/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
StateSaveLocation=${SLURM_CI_DIR}/state
SlurmdSpoolDir=${SLURM_CI_DIR}/spool
SlurmctldPidFile=${SLURM_CI_DIR}/slurmctld.pid
SlurmdPidFile=${SLURM_CI_DIR}/slurmd.pid
SlurmctldLogFile=${SLURM_CI_DIR}/log/slurmctld.log
SlurmdLogFile=${SLURM_CI_DIR}/log/slurmd.log
SlurmctldPort=${PORT}
SlurmdPort=$((PORT + 1))
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=${HOST} NodeAddr=127.0.0.1 CPUs=${NCPU} RealMemory=${MEM_MB} State=UNKNOWN
PartitionName=debug Nodes=${HOST} Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
CONF

# munge: the Debian package creates a key; make one if it is missing.
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  [ -s /etc/munge/munge.key ] || { dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 2>/dev/null
    chown munge:munge /etc/munge/munge.key; chmod 0400 /etc/munge/munge.key; }
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge; chmod 0755 /run/munge
  runuser -u munge -- /usr/sbin/munged
  for i in $(seq 1 20); do [ -s /run/munge/munged.pid ] && break; sleep 0.1; done
  cp /run/munge/munged.pid "$SLURM_CI_DIR/munged.pid"
  munge -n | unmunge >/dev/null
fi

export SLURM_CONF="$SLURM_CI_DIR/slurm.conf"
/usr/sbin/slurmctld -f "$SLURM_CONF"
/usr/sbin/slurmd -f "$SLURM_CONF"
for i in $(seq 1 60); do
  [ "$(sinfo -h -o %T 2>/dev/null)" = idle ] && break; sleep 0.5
done
[ "$(sinfo -h -o %T 2>/dev/null)" = idle ] || { echo "start_slurm.sh: slurm did not come up" >&2; tail -20 "$SLURM_CI_DIR"/log/*.log >&2; exit 1; }
echo "slurmctld=$(cat "$SLURM_CI_DIR/slurmctld.pid") slurmd=$(cat "$SLURM_CI_DIR/slurmd.pid") munged=$(cat "$SLURM_CI_DIR/munged.pid" 2>/dev/null || echo already-running)"
echo "export SLURM_CONF=$SLURM_CONF"
