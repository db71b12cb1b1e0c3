#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A one-node Slurm cluster on this machine for the sweep tests and benchmark, everything in one temporary folder:
# munged with its own key and socket, slurmctld and slurmd in the foreground (-D) with a generated slurm.conf.
# Nothing is written outside that folder; the daemons are stopped by the process ids this script started.
#
# Source it, then:
#   slurm_cluster_start DIR   # DIR must not exist; exports SLURM_CONF; waits until the node is idle
#                             # (SLURM_CLUSTER_MAX_ARRAY_SIZE sets MaxArraySize, default 1001)
#   slurm_cluster_stop DIR    # kills the daemons started by slurm_cluster_start DIR, by pid
# Needs root (SlurmUser=root, SlurmdUser=root), Debian's slurm-wlm and munge.

# A TCP port nobody listens on, from the kernel's view (/proc/net/tcp*), above the ephemeral range's usual start.
slurm_cluster_free_port() {
  local used=" " local_address port
  while read -r _ local_address _; do
    [[ "$local_address" == *:* ]] && used+="$((16#${local_address##*:})) "
  done < <(cat /proc/net/tcp /proc/net/tcp6 2>/dev/null)
  for ((port = 20000 + RANDOM % 20000; ; port++)); do
    [[ "$used" == *" $port "* ]] || [ "$port" -eq "${1:-0}" ] || { echo "$port"; return; }
  done
}

slurm_cluster_start() {
  local dir="$1"
  if [ -e "$dir" ]; then echo "slurm_cluster: $dir exists" >&2; return 1; fi
  local bin
  for bin in munged slurmctld slurmd sinfo sbatch; do
    command -v "$bin" >/dev/null 2>&1 || [ -x "/usr/sbin/$bin" ] ||
      { echo "slurm_cluster: $bin is missing (Debian packages slurm-wlm and munge)" >&2; return 1; }
  done
  mkdir -p "$dir"/{munge,state,spool,log}
  chmod 700 "$dir" "$dir/munge"
  dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
  chmod 400 "$dir/munge/munge.key"
  /usr/sbin/munged --socket="$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" \
    --pid-file="$dir/munge/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed" \
    --force || { echo "slurm_cluster: munged did not start (see $dir/log/munged.log)" >&2; return 1; }
  local host cpus mem ctld_port slurmd_port
  host="$(hostname -s)"
  cpus="$(nproc)"
  mem="$(awk '/MemTotal/ {print int($2 / 1024 * 0.9)}' /proc/meminfo)"
  ctld_port="$(slurm_cluster_free_port)"
  slurmd_port="$(slurm_cluster_free_port "$ctld_port")"
  [ "$slurmd_port" = "$ctld_port" ] && slurmd_port=$((ctld_port + 1))
  cat > "$dir/slurm.conf" <<CONF
ClusterName=spark-sweep-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/%n
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
SchedulerParameters=sched_min_interval=0,batch_sched_delay=0
ReturnToService=2
MaxArraySize=${SLURM_CLUSTER_MAX_ARRAY_SIZE:-1001}
MinJobAge=30
InactiveLimit=0
KillWait=5
Waittime=0
SlurmctldTimeout=30
SlurmdTimeout=30
PlugStackConfig=$dir/plugstack.conf
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  : > "$dir/plugstack.conf"
  export SLURM_CONF="$dir/slurm.conf"
  /usr/sbin/slurmctld -D -i -f "$SLURM_CONF" >"$dir/log/slurmctld.stdout" 2>&1 &
  echo $! > "$dir/slurmctld.started"
  /usr/sbin/slurmd -D -f "$SLURM_CONF" >"$dir/log/slurmd.stdout" 2>&1 &
  echo $! > "$dir/slurmd.started"
  local i state
  for ((i = 0; i < 300; i++)); do
    state="$(sinfo -h -n "$host" -o %T 2>/dev/null || true)"
    [ "$state" = idle ] && return 0
    sleep 0.1
  done
  echo "slurm_cluster: the node is not idle after 30 s (state '$state'); logs in $dir/log" >&2
  tail -5 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" >&2 2>/dev/null
  return 1
}

slurm_cluster_stop() {
  local dir="$1" f pid
  for f in slurmd.started slurmctld.started; do
    pid="$(cat "$dir/$f" 2>/dev/null)" || continue
    kill "$pid" 2>/dev/null && for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  # munged forked itself into the background: its own pid file names it.
  pid="$(cat "$dir/munge/munged.pid" 2>/dev/null)" && kill "$pid" 2>/dev/null || true
  return 0
}
