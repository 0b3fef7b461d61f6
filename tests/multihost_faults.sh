#!/usr/bin/env bash
# Faults across test hosts (tests/multihost.sh), 2 hosts x 1 rank: a job must
# fail fast, fail loud, never hang and leave nothing behind.
# - A rank killed (SIGKILL) on the other host mid-run, msort of 100M keys and
#   sudoku --dist dynamic: mpirun ends non-zero within 5 s, its message names
#   the rank and the host, no process is left on either host.
# - The other host's cable cut mid-run (its veth set down): with the OOB TCP
#   keepalive settings of the project's recipes (oob_tcp_keepalive_time 5,
#   intvl 2, probes 3, in MH_MPI_FLAGS as in docs/clusters.md) mpirun ends
#   non-zero within 15 s and the remote daemon takes its rank with it.
# - A stopped rank (SIGSTOP) would hang the job (its kernel still answers for
#   it, so no keepalive fails); `mpirun --timeout` bounds it and clears both
#   hosts, the stopped process included.
# - The fixture itself: a run killed before its teardown is swept up by the
#   next one; a test that overruns its deadline is ended, hosts removed.
# Skips (77) where network namespaces cannot be made (not root, no ip netns).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/multihost.sh
. "$(dirname "$0")/multihost.sh"
need_mpi
mh_need
cd "$TMP" || fail "no scratch folder"
now() { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# --- the fixture cleans up after a killed run, and after an overrun ----------------
cat >child.sh <<EOF
. "$CONCUR_TESTS/lib.sh"
. "$CONCUR_TESTS/multihost.sh"
mh_up 2 "\$1"
mh_on 2 sleep 300 &
: >"$TMP/child.\$\$.ready"
mh_on 1 sleep 300
EOF
TMPDIR=$TMP bash child.sh 60 >child1.out 2>&1 &
child=$!
for _ in $(seq 100); do [ -e "child.$child.ready" ] && break; sleep 0.1; done
[ -e "/run/netns/cmh-$child-h2" ] || fail "the killed-run child did not make its hosts: $(cat child1.out)"
sleepers=$(_mh_pids_in "cmh-$child-h1" "cmh-$child-h2")
[ -n "$sleepers" ] || fail "nothing runs on the child's hosts"
kill -KILL "$child"
wait "$child" 2>/dev/null
mh_up 2 200 2>sweep.err
grep -q "removing leftovers of a killed run: .*cmh-$child-h1" sweep.err || fail "no sweep of cmh-$child-*: $(cat sweep.err)"
ip netns list | grep -q "^cmh-$child-" && fail "namespaces of the killed run are left: $(ip netns list | grep "^cmh-$child-")"
[ ! -e "/etc/netns/cmh-$child-h1" ] || fail "/etc/netns/cmh-$child-h1 is left"
for p in $sleepers; do # (killed; reaped by what is left of the killed shell)
  for _ in $(seq 20); do [ -e "/proc/$p" ] || break; sleep 0.1; done
  [ ! -e "/proc/$p" ] || fail "process $p of the killed run is left: $(tr '\0' ' ' <"/proc/$p/cmdline")"
done
ok

t0=$(now)
rc=0
TMPDIR=$TMP timeout 30 bash child.sh 3 >child2.out 2>&1 || rc=$?
took=$(since "$t0")
case $rc in 0 | 124) fail "a child past its deadline exited $rc: $(cat child2.out)" ;; esac
grep -q 'still running after 3 s' child2.out || fail "no deadline message: $(cat child2.out)"
awk -v t="$took" 'BEGIN { exit !(t < 8) }' || fail "the deadline of 3 s ended the child after $took s"
for f in child.*.ready; do
  p=${f#child.}
  p=${p%.ready}
  [ "$p" = "$child" ] && continue
  ip netns list | grep -q "^cmh-$p-" && fail "the overrun child's hosts are left: $(ip netns list | grep "^cmh-$p-")"
  [ ! -e "$mh_state/cmh-$p.owner" ] || fail "the overrun child's claim is left"
done
ok
echo "a run past its 3 s deadline ended after $took s, its hosts removed"

# --- a rank killed on the other host ---------------------------------------------------
# job NAME ARGS...: mpirun in the background (2 hosts x 1 rank), NAME.out/.err
job() {
  local name=$1
  shift
  mh_mpirun -np 2 --host "${MH_HOST[1]},${MH_HOST[2]}" "$@" >"$name.out" 2>"$name.err" &
  job_pid=$!
}
# ends_within NAME SECS T0: the job ends within SECS of T0, non-zero; sets job_rc, job_took
ends_within() {
  local name=$1 secs=$2 t0=$3
  while kill -0 "$job_pid" 2>/dev/null; do
    awk -v t="$(since "$t0")" -v s="$secs" 'BEGIN { exit !(t > s + 5) }' && break
    sleep 0.05
  done
  job_took=$(since "$t0")
  kill -0 "$job_pid" 2>/dev/null && fail "$name: mpirun still running $job_took s later: $(tail -c 600 "$name.err")"
  job_rc=0
  wait "$job_pid" || job_rc=$?
  [ "$job_rc" != 0 ] || fail "$name: the job exited 0"
  awk -v t="$job_took" -v s="$secs" 'BEGIN { exit !(t <= s) }' || fail "$name: ended $job_took s later (bound: $secs s)"
  echo "$name: mpirun exited $job_rc, $job_took s later"
  ok
}
# kill_rank NAME PROG ARGS...: SIGKILL rank 1 (host 2) once the job has run a second
kill_rank() {
  local name=$1 prog=$2 victim t0
  shift 2
  job "$name" "$prog" "$@"
  victim=$(mh_pid_of 2 "$prog" "$job_pid") || fail "$name: no $prog on host 2: $(cat "$name.err")"
  sleep 1
  kill -0 "$job_pid" 2>/dev/null || fail "$name: the job ended before the fault: $(tail -c 600 "$name.err")"
  t0=$(now)
  kill -KILL "$victim"
  ends_within "$name" 5 "$t0"
  grep -qE "process rank 1 with PID $victim on node ${MH_HOST[2]} exited on signal 9" "$name.err" ||
    fail "$name: the message does not name rank 1 on ${MH_HOST[2]}: $(tail -c 800 "$name.err")"
  ok
  mh_wait_clean 3
}
kill_rank msort-kill "$CONCUR_BIN/msort" -n 100M --repeat 3 -o "$TMP/never.bin"
[ ! -e never.bin ] || fail "msort-kill: an output appeared"
left=$(find . -maxdepth 1 -name '*never*')
[ -z "$left" ] || fail "msort-kill: temporary files left: $left"
ok
awk 'NR % 2 == 1' "$CONCUR_TESTS/data/sudoku/tdoku/puzzles2_17_clue" >p17.txt
kill_rank sudoku-kill "$CONCUR_BIN/sudoku" --dist dynamic --threads 1 --count --repeat 200 p17.txt

# --- a stopped rank: bounded only by a time limit ------------------------------------
t0=$(now)
job sigstop --timeout 6 "$CONCUR_BIN/sudoku" --dist dynamic --threads 1 --count --repeat 200 p17.txt
victim=$(mh_pid_of 2 "$CONCUR_BIN/sudoku" "$job_pid") || fail "sigstop: no sudoku on host 2: $(cat sigstop.err)"
sleep 1
kill -STOP "$victim"
ends_within sigstop 9 "$t0"
grep -q 'time limit for job execution has been reached' sigstop.err || fail "sigstop: no time-limit message: $(tail -c 800 sigstop.err)"
ok
mh_wait_clean 3

# --- the other host's cable cut mid-run ---------------------------------------------------
# Last: once (CI, sanitizer build) the first job started after the cable was
# back up lost its remote daemon at launch ("ORTE was unable to reliably start
# one or more daemons"), not reproduced in 8 cut-and-restore rounds here. A
# link restored is not what this test is about, so nothing runs after it.
job link-cut "$CONCUR_BIN/msort" -n 100M --repeat 3
mh_pid_of 2 "$CONCUR_BIN/msort" "$job_pid" >/dev/null || fail "link-cut: no msort on host 2: $(cat link-cut.err)"
sleep 1
kill -0 "$job_pid" 2>/dev/null || fail "link-cut: the job ended before the fault"
t0=$(now)
mh_link 2 down
ends_within link-cut 15 "$t0"
grep -q "lost communication with a remote daemon" link-cut.err || fail "link-cut: no lost-daemon message: $(tail -c 800 link-cut.err)"
grep -q "Remote daemon: .* on node ${MH_HOST[2]}" link-cut.err || fail "link-cut: the message does not name ${MH_HOST[2]}"
ok
mh_wait_clean 3 # also on host 2, which mpirun can no longer reach: its daemon gave up too

pass "kill, link cut and stop on the other host: failed fast and left nothing"
