#!/usr/bin/env bash
# minislurm.sh: a private single-node SLURM (munged + slurmctld + slurmd) for
# trying the batch scripts on a workstation, and for the test suite.
#
#   jobs/slurm/minislurm.sh start    wipe the state folder, write slurm.conf,
#                                    start the daemons, wait until the node is idle
#   jobs/slurm/minislurm.sh stop     cancel every job, then stop the daemons by
#                                    the PIDs in their own pid files
#   jobs/slurm/minislurm.sh status   print whether the daemons run (exit 1 if not)
#   jobs/slurm/minislurm.sh env      print `export SLURM_CONF=...` for eval
#   jobs/slurm/minislurm.sh common-conf  print the slurm.conf lines every test
#                                    SLURM shares (AuthInfo names the state folder)
#
# Then:  eval "$(jobs/slurm/minislurm.sh env)"; sbatch --wait jobs/slurm/msort.sbatch
#
# Environment: CONCUR_SLURM_DIR state folder (default /tmp/cslurm; keep it short:
# slurmstepd puts unix sockets there, 108-byte limit), CONCUR_SLURM_PORT
# slurmctld's port (default 26817; slurmd uses the next one; the usual
# 6817/6818 are left to a real SLURM), CONCUR_SLURM_CPUS CPUs the node
# advertises (default 8, so 8-rank jobs run even on 2 real cores).
# Needs root (slurmd starts jobs as any user) and Debian's slurmctld, slurmd,
# slurm-client and munge. munged is a private instance with its own socket in
# the state folder, so a system munged, if any, is left alone.
# Exit status: 0 done, 1 failed, 2 bad usage, 77 cannot run here (not root,
# packages missing, port taken), with the reason on stderr.
set -euo pipefail

dir=${CONCUR_SLURM_DIR:-/tmp/cslurm}
port=${CONCUR_SLURM_PORT:-26817}
cpus=${CONCUR_SLURM_CPUS:-8}
conf=$dir/slurm.conf
me=minislurm

die() { echo "$me: $*" >&2; exit 1; }
cannot() { echo "$me: cannot run here: $*" >&2; exit 77; }

# The PID in a pid file, if that process is still alive (not a zombie) and
# is the named program.
live_pid() { # live_pid PIDFILE COMM
  local pid stat
  [ -r "$1" ] || return 1
  pid=$({ tr -dc 0-9 <"$1"; } 2>/dev/null) || return 1
  [ -n "$pid" ] || return 1
  stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
  # /proc/PID/stat: "PID (COMM) STATE ..."
  [ "${stat#* ("$2") }" != "$stat" ] || return 1
  case ${stat#* ("$2") } in Z* | X*) return 1 ;; esac
  echo "$pid"
}

# Stop one daemon by its pid file: TERM, wait up to 5 s, then KILL.
stop_daemon() { # stop_daemon PIDFILE COMM
  local pid _
  pid=$(live_pid "$1" "$2") || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do
    live_pid "$1" "$2" >/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  echo "$me: $2 ($pid) did not stop on TERM; killed" >&2
}

# KILL a process and everything it started (its job's processes), by PID.
kill_tree() {
  local child
  kill -STOP "$1" 2>/dev/null || return 0 # no new children meanwhile
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do kill_tree "$child"; done
  kill -KILL "$1" 2>/dev/null || true
}

# slurmstepd processes left by a crashed run have no pid file; they are the
# ones holding a unix socket in our spool folder. Stop them by PID.
stop_stray_stepds() {
  local p fd inodes
  inodes=" $(awk -v d="$dir/" 'index($8, d) == 1 { printf "%s ", $7 }' /proc/net/unix 2>/dev/null) "
  [ "$inodes" != "  " ] || return 0
  for p in /proc/[0-9]*; do
    case $(readlink "$p/exe" 2>/dev/null) in */slurmstepd*) ;; *) continue ;; esac
    for fd in "$p"/fd/*; do
      fd=$(readlink "$fd" 2>/dev/null) || continue
      case $fd in socket:*) ;; *) continue ;; esac
      fd=${fd#socket:[}
      case $inodes in
        *" ${fd%]} "*)
          kill_tree "${p#/proc/}"
          break
          ;;
      esac
    done
  done
}

daemons_stop() {
  local _
  if live_pid "$dir/slurmctld.pid" slurmctld >/dev/null; then
    # Job steps outlive slurmd: cancel them first and give them a moment.
    SLURM_CONF=$conf timeout 5 scancel --quiet --full --user="$(id -un)" 2>/dev/null || true
    for _ in $(seq 30); do
      [ -z "$(SLURM_CONF=$conf timeout 5 squeue -h -o %i 2>/dev/null)" ] && break
      sleep 0.2
    done
  fi
  stop_daemon "$dir/slurmd.pid" slurmd
  stop_daemon "$dir/slurmctld.pid" slurmctld
  stop_daemon "$dir/munged.pid" munged
  stop_stray_stepds
}

port_busy() { # a listener on TCP port $1?
  ss -Hltn "sport = :$1" 2>/dev/null | grep -q .
}

# The settings every concur test SLURM shares (also tests/multihost_slurm.sh's
# two nodes): root daemons, munge with our own socket, PMIx, no cgroups, no
# accounting, impossible requests refused at submission.
common_conf() {
  cat <<EOF
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
MpiDefault=pmix
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmdParameters=config_overrides
EnforcePartLimits=ALL
ReturnToService=2
EOF
}

write_conf() {
  {
    cat <<EOF
# Written by jobs/slurm/minislurm.sh: one node, no cgroups, no accounting.
ClusterName=concur
SlurmctldHost=localhost
SlurmctldPort=$port
SlurmdPort=$((port + 1))
EOF
    common_conf
    cat <<EOF
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
MinJobAge=4
KillWait=2
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=30 State=UP
EOF
  } >"$conf"
}

# Print the tail of a log to explain a failed start.
show_log() { [ -r "$1" ] && tail -n 5 "$1" | sed "s|^|$me: $(basename "$1"): |" >&2; return 0; }

daemons_start() {
  [ "$(id -u)" = 0 ] || cannot "not root (slurmd must start jobs as their user)"
  local b
  for b in /usr/sbin/munged /usr/sbin/slurmctld /usr/sbin/slurmd sbatch scontrol; do
    command -v "$b" >/dev/null || cannot "$b is not installed (Debian: slurmctld slurmd slurm-client munge)"
  done
  id munge >/dev/null 2>&1 || cannot "no 'munge' user (munge package not installed?)"
  [ -r /etc/munge/munge.key ] || cannot "no /etc/munge/munge.key"
  case $dir in /?*) ;; *) die "CONCUR_SLURM_DIR must be an absolute path" ;; esac
  [ ${#dir} -le 40 ] || die "CONCUR_SLURM_DIR '$dir' is too long for slurmstepd's sockets (40 characters at most)"

  daemons_stop # a stale set from a crashed run, if any
  local p
  for p in "$port" $((port + 1)); do
    port_busy "$p" && cannot "TCP port $p is in use by another program (set CONCUR_SLURM_PORT)"
  done

  rm -rf "$dir/state" "$dir/spool" "$dir/log" "$dir/munge"
  mkdir -p "$dir/state" "$dir/spool" "$dir/log" "$dir/munge"
  chmod 0755 "$dir"
  chown munge:munge "$dir/munge"
  write_conf

  # munged as its own user; it insists on a socket folder only it can write.
  runuser -u munge -- /usr/sbin/munged --socket="$dir/munge/munge.socket" \
    --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" \
    --seed-file="$dir/munge/munged.seed" ||
    { show_log "$dir/munge/munged.log"; die "munged did not start"; }
  ln -sf "$dir/munge/munged.pid" "$dir/munged.pid"

  slurmctld -f "$conf" || { show_log "$dir/log/slurmctld.log"; die "slurmctld did not start"; }
  slurmd -f "$conf" -N localhost || { show_log "$dir/log/slurmd.log"; die "slurmd did not start"; }

  local _ state=""
  for _ in $(seq 100); do
    state=$(SLURM_CONF=$conf timeout 5 sinfo -h -N -o %t 2>/dev/null || true)
    case $state in idle*) break ;; esac
    sleep 0.2
  done
  case $state in
    idle*) echo "$me: single-node SLURM up (SLURM_CONF=$conf, ports $port-$((port + 1)), $cpus CPUs)" >&2 ;;
    *)
      show_log "$dir/log/slurmctld.log"
      show_log "$dir/log/slurmd.log"
      daemons_stop
      die "node not idle after 20 s (state '${state:-unknown}')"
      ;;
  esac
}

daemons_status() {
  local d ok=0
  for d in munged slurmctld slurmd; do
    if pid=$(live_pid "$dir/$d.pid" "$d"); then
      echo "$d: running (pid $pid)"
    else
      echo "$d: not running"
      ok=1
    fi
  done
  return $ok
}

case ${1:-} in
  start) daemons_start ;;
  stop) daemons_stop ;;
  status) daemons_status ;;
  env) echo "export SLURM_CONF=$conf" ;;
  common-conf) common_conf ;;
  -h | --help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//' ;;
  *)
    echo "$me: say start, stop, status, env or common-conf (try --help)" >&2
    exit 2
    ;;
esac
