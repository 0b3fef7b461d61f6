#!/usr/bin/env bash
# A real two-node SLURM on the test hosts (tests/multihost.sh): munged and
# slurmctld for a login host (host 1), one slurmd per compute host (hosts 2
# and 3, each its own NodeName), and the batch scripts of jobs/slurm/ submitted
# UNMODIFIED from the login host with `sbatch --wait -N 2`: through srun (PMIx)
# and through mpirun inside the allocation. Their verdicts come back through
# sbatch's exit status; the logs show a rank on each node (msort via srun and
# via mpirun, sudoku, hybrid, scaling). Then the kill fault:
# a rank killed on the second node makes `sbatch --wait` return non-zero, the
# nodes return to idle and no job process is left on any host.
# What it takes (docs/clusters.md): slurmd runs in a mount namespace where the
# machine's cgroup hierarchies are mounted again (`ip netns exec` mounts a
# fresh /sys that hides them), and TmpFS is per node (PMIx makes its folders
# there; the hosts share /tmp). One munged serves every host (its socket is a
# file, reachable from every network namespace).
# Registered for the normal build only (tests/multihost.cmake): under the
# sanitizers it would test SLURM and Open MPI, not our code, at twice the time.
# Skips (77) where it cannot run: not root, no ip netns, SLURM not installed.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/multihost.sh
. "$(dirname "$0")/multihost.sh"
need_mpi
mh_need
for b in /usr/sbin/munged /usr/sbin/slurmctld /usr/sbin/slurmd sbatch scontrol sinfo; do
  command -v "$b" >/dev/null || skip "$b is not installed (Debian: slurmctld slurmd slurm-client munge)"
done
{ id munge && [ -r /etc/munge/munge.key ]; } >/dev/null 2>&1 || skip "munge is not set up (no munge user or key)"
mh_up 3 "${MH_SLURM_DEADLINE:-240}"
login=${MH_HOST[1]} n1=${MH_HOST[2]} n2=${MH_HOST[3]}
# A short state folder: slurmstepd makes unix sockets there (108-byte limit).
sd=/tmp/$mh_prefix-slurm
rm -rf "$sd"
mkdir -p "$sd"/{state,log,munge} "$sd/spool/$n1" "$sd/spool/$n2" "$sd/tmp/$n1" "$sd/tmp/$n2"
chmod 0755 "$sd"
chown munge:munge "$sd/munge"
at_exit "rm -rf '$sd'"
conf=$sd/slurm.conf
{
  echo "# Written by tests/multihost_slurm.sh: a login host and two compute nodes."
  echo "ClusterName=cmh"
  echo "SlurmctldHost=$login(${MH_ADDR[1]})"
  CONCUR_SLURM_DIR=$sd bash "$CONCUR_SRC/jobs/slurm/minislurm.sh" common-conf
  cat <<EOF
StateSaveLocation=$sd/state
SlurmdSpoolDir=$sd/spool/%n
TmpFS=$sd/tmp/%n
SlurmctldPidFile=$sd/slurmctld.pid
SlurmdPidFile=$sd/slurmd.%n.pid
SlurmctldLogFile=$sd/log/slurmctld.log
SlurmdLogFile=$sd/log/slurmd.%n.log
SlurmctldDebug=info
SlurmdDebug=info
MinJobAge=4
KillWait=2
NodeName=$n1 NodeAddr=${MH_ADDR[2]} CPUs=4 RealMemory=1000 State=UNKNOWN
NodeName=$n2 NodeAddr=${MH_ADDR[3]} CPUs=4 RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=$n1,$n2 Default=YES MaxTime=30 State=UP
EOF
} >"$conf"
export SLURM_CONF=$conf

# munged, on the machine (every host reaches its socket file)
runuser -u munge -- /usr/sbin/munged --socket="$sd/munge/munge.socket" --pid-file="$sd/munge/munged.pid" \
  --log-file="$sd/munge/munged.log" --seed-file="$sd/munge/munged.seed" || fail "munged did not start"
mh_track "$(cat "$sd/munge/munged.pid")" # stopped with the hosts, or by the next run's sweep
show_logs() { tail -n 5 "$sd"/log/*.log 2>/dev/null | tr '\n' ' ' | tail -c 1500; }

# slurmctld on the login host
mh_on 1 slurmctld -f "$conf" || fail "slurmctld did not start: $(show_logs)"
# slurmd on each compute host, in a mount namespace of its own (ip netns exec
# made one) where the machine's cgroup hierarchies are mounted again.
findmnt -R -n -r -o TARGET,FSTYPE,OPTIONS /sys/fs/cgroup >"$sd/cgroups" || fail "no cgroup mounts to copy"
for i in 2 3; do
  # shellcheck disable=SC2016 # (the inner shell expands them)
  mh_on "$i" sh -c 'while read -r target type opts; do
      mkdir -p "$target" && mount -t "$type" -o "$opts" "$type" "$target" || exit 1
    done <"$1"; exec slurmd -f "$2" -N "$3"' sh "$sd/cgroups" "$conf" "${MH_HOST[i]}" ||
    fail "slurmd on ${MH_HOST[i]} did not start: $(show_logs)"
done
on_login() { mh_on 1 "$@"; }
idle=""
for _ in $(seq 100); do
  idle=$(on_login sinfo -h -N -o '%N %t' 2>/dev/null | awk '$2 == "idle"' | wc -l)
  [ "$idle" = 2 ] && break
  sleep 0.2
done
[ "$idle" = 2 ] || fail "the two nodes are not idle after 20 s: $(on_login sinfo -N 2>&1) $(show_logs)"
ok
# Whatever happens, the teardown kills every process on the hosts (daemons,
# slurmstepd, the jobs' ranks) by PID, then munged, then removes $sd.

# A clean environment for the jobs: nothing from an outer SLURM job, root may
# run mpirun, no leak checks in MPI runs.
while IFS= read -r v; do unset "$v"; done < <(compgen -e | grep -E '^(SLURM_|SBATCH_|SRUN_|SALLOC_)')
export SLURM_CONF=$conf OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 ASAN_OPTIONS=detect_leaks=0
export CONCUR_BIN CONCUR_HOME=$CONCUR_SRC
cd "$TMP" || fail "no scratch folder"
slurm=$CONCUR_SRC/jobs/slurm

# submit NAME [sbatch options] SCRIPT: sbatch --wait from the login host in
# the background; log NAME.out, sbatch's status NAME.rc. wait_jobs waits for
# them (and not for the fixture's watchdog).
submitted=()
wait_jobs() { wait "${submitted[@]}"; submitted=(); }
submit() {
  local name=$1
  shift
  (
    got=0
    mh_on 1 timeout 120 sbatch --wait --quiet -N 2 --job-name="$name" --output="$TMP/$name.out" "$@" \
      >"$TMP/$name.sbatch" 2>&1 || got=$?
    echo "$got" >"$TMP/$name.rc"
  ) &
  submitted+=($!)
}
exited() { # exited NAME WANT ("nonzero": anything but 0)
  local got
  got=$(cat "$TMP/$1.rc")
  [ "$got" != 124 ] || fail "$1: sbatch --wait still waiting after 120 s: $(tail -c 1200 "$TMP/$1.out" 2>&1)"
  if [ "$2" = nonzero ]; then
    [ "$got" != 0 ] || fail "$1: the job should have failed; log: $(tail -c 1200 "$TMP/$1.out")"
  else
    [ "$got" = "$2" ] || fail "$1: sbatch --wait exited $got, expected $2: $(cat "$TMP/$1.sbatch"); log: $(tail -c 1500 "$TMP/$1.out" 2>&1)"
  fi
  ok
}
log_has() { grep -qE -- "$2" "$TMP/$1.out" || fail "$1: the log lacks /$2/: $(tail -c 1500 "$TMP/$1.out")"; ok; }

# --- the scripts as they are, on 2 nodes --------------------------------------------
MSORT_N=200k MSORT_REPEAT=1 submit msort -n 2 --ntasks-per-node=1 -c 2 "$slurm/msort.sbatch"
MSORT_N=200k MSORT_REPEAT=1 MSORT_ALGO=gather LAUNCHER=mpirun submit msort-mpirun -n 2 --ntasks-per-node=1 -c 1 "$slurm/msort.sbatch"
SUDOKU_OUTPUT=$TMP/solutions.txt submit sudoku -n 2 --ntasks-per-node=1 -c 1 "$slurm/sudoku.sbatch"
HYBRID_ARGS="-n 100k --repeat 1" submit hybrid -n 2 --ntasks-per-node=1 -c 2 "$slurm/hybrid.sbatch"
SCALE_N=4000 SCALE_N_PER=2000 SCALE_REPEAT=1 SCALE_OUT=$TMP/scale \
  submit scaling -n 2 --ntasks-per-node=1 -c 1 --exclusive=user "$slurm/scaling.sbatch"
wait_jobs
exited msort 0
log_has msort '^# verdict: PASS'
log_has msort '"ranks":2,'
log_has msort "on $n1,$n2|on cmh-[0-9]+-h\[2-3\]"
exited msort-mpirun 0
log_has msort-mpirun 'launcher mpirun'
log_has msort-mpirun '"variant":"gather"'
exited sudoku 0
log_has sudoku '^# verdict: PASS'
exited hybrid 0
# hybrid.sbatch prints one placement line per rank, with its host
for h in "$n1" "$n2"; do
  grep -q "^# placement: rank [01] .*$h" hybrid.out || fail "hybrid: no rank placed on $h: $(grep placement hybrid.out)"
done
ok
exited scaling 0
log_has scaling '^# verdict: PASS'
[ "$(grep -c '"verified":true' "$TMP/scale/results.jsonl")" = 4 ] || fail "scaling: $(cat "$TMP/scale/results.jsonl")"
grep -qE '"study":"strong","axis":"ranks","p":2,.*"ranks":2,' "$TMP/scale/results.jsonl" || fail "scaling: no 2-rank run"
ok

# --- a rank killed on the second node ---------------------------------------------------
awk 'NR % 2 == 1' "$CONCUR_TESTS/data/sudoku/tdoku/puzzles2_17_clue" >p17.txt
SUDOKU_INPUT=$TMP/p17.txt SUDOKU_OUTPUT=$TMP/never.txt SUDOKU_ARGS="--repeat 400" \
  submit kill -n 2 --ntasks-per-node=1 -c 1 "$slurm/sudoku.sbatch"
victim=$(mh_pid_of 3 "$CONCUR_BIN/sudoku") || fail "kill: no sudoku rank on $n2: $(cat kill.out 2>&1)"
sleep 1
kill -KILL "$victim"
t0=$EPOCHREALTIME
wait_jobs
took=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
exited kill nonzero
echo "kill: sbatch --wait returned $(cat kill.rc) $took s after the rank on $n2 was killed"
awk -v t="$took" 'BEGIN { exit !(t < 15) }' || fail "kill: sbatch --wait returned $took s after the kill"
log_has kill "error: $n2: task 1: Killed"
log_has kill '^# verdict: FAIL'
state=""
for _ in $(seq 50); do
  state=$(on_login sinfo -h -N -o '%t' | sort -u | tr '\n' ' ')
  [ "$state" = "idle " ] && break
  sleep 0.2
done
[ "$state" = "idle " ] || fail "the nodes did not return to idle: $(on_login sinfo -N 2>&1)"
ok
# Nothing of the job is left: on the compute hosts only slurmd runs, on the
# login host only slurmctld (and its slurmscriptd).
for _ in $(seq 50); do
  left=""
  for p in $(mh_procs); do
    case $(cat "/proc/$p/comm" 2>/dev/null) in slurmd | slurmctld | slurmscriptd | "") ;; *) left+=" $p:$(cat "/proc/$p/comm")" ;; esac
  done
  [ -z "$left" ] && break
  sleep 0.2
done
[ -z "$left" ] || fail "processes left on the hosts:$left"
ok
pass "jobs/slurm scripts on 2 nodes (srun and mpirun), and a killed rank failed its job"
