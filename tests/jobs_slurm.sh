#!/usr/bin/env bash
# jobs.slurm: every batch script under jobs/slurm/ submitted to a real
# single-node SLURM (munged + slurmctld + slurmd, started here by
# jobs/slurm/minislurm.sh) with `sbatch --wait` at a tiny size. Asserts the
# exit status, the verified result in the job's log, and the rank and thread
# counts the job asked for; jobs given bad input must fail and sbatch --wait
# must say so. The daemons are stopped by PID at exit whatever happens.
# Skipped, with the reason, when not root, when the packages are missing, or
# when the daemons cannot start.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

need_mpi
for p in msort sudoku; do
  [ -x "$CONCUR_BIN/$p" ] || skip "$p is not built yet ($CONCUR_BIN/$p)"
done
[ "$(id -u)" = 0 ] || skip "not root: slurmd must run as root to start jobs"
command -v sbatch >/dev/null || skip "SLURM is not installed (Debian: slurmctld slurmd slurm-client munge)"

slurm=$CONCUR_SRC/jobs/slurm
# A state folder and ports of the test's own, apart from a SLURM a user may
# have started with minislurm.sh's defaults (and from a site's 6817/6818).
export CONCUR_SLURM_DIR=/tmp/cslurm-test CONCUR_SLURM_PORT=26837 CONCUR_SLURM_CPUS=8

# One test run at a time on this machine (two worktrees, two builds): the
# lock is the kernel's, so a crashed run never leaves it held, as long as no
# process that may outlive the test inherits it (hence every "9>&-" below).
lock=$CONCUR_SLURM_DIR.lock
exec 9>>"$lock"
# Whether a SLURM test run (this script, from any worktree) holds the lock.
test_run_holds_lock() {
  local p fd
  for p in /proc/[0-9]*; do
    [ "${p#/proc/}" != $$ ] || continue
    grep -qa 'jobs_slurm.sh' "$p/cmdline" 2>/dev/null || continue
    for fd in "$p"/fd/*; do
      [ "$(readlink "$fd" 2>/dev/null)" != "$lock" ] || return 0
    done
  done
  return 1
}
if ! flock -n 9; then
  if test_run_holds_lock; then
    echo "waiting for another SLURM test run to finish" >&2
    flock -w 240 9 || skip "another SLURM test run held $lock for 4 minutes"
  else # daemons of a crashed run that still hold the lock: stop them
    bash "$slurm/minislurm.sh" stop 9>&-
    flock -w 30 9 || skip "$lock is held by processes that are not a SLURM test run"
  fi
fi

# Whatever happens from here on, cancel the jobs and stop the daemons.
at_exit "bash '$slurm/minislurm.sh' stop 9>&-"
start=0
bash "$slurm/minislurm.sh" start 2>"$TMP/start.err" 9>&- || start=$?
case $start in
  0) ;;
  77) skip "$(tail -n1 "$TMP/start.err")" ;;
  *) skip "the SLURM daemons did not start: $(tr '\n' ' ' <"$TMP/start.err" | tail -c 800)" ;;
esac

# A clean environment for the jobs: nothing from an outer SLURM job, our
# config, and no leak checks for MPI runs under the sanitizers (Open MPI's
# plugins keep memory until exit).
while IFS= read -r v; do unset "$v"; done < <(compgen -e | grep -E '^(SLURM_|SBATCH_|SRUN_|SALLOC_)')
export SLURM_CONF=$CONCUR_SLURM_DIR/slurm.conf ASAN_OPTIONS=detect_leaks=0
export CONCUR_BIN CONCUR_HOME=$CONCUR_SRC
cd "$TMP" || fail "no scratch folder"

# submit NAME [sbatch options] SCRIPT: sbatch --wait in the background, log
# in NAME.out, sbatch's exit status in NAME.rc. The jobs run side by side
# (the node advertises 8 CPUs), which keeps the test short.
submit() {
  local name=$1
  shift
  (
    got=0
    timeout 90 sbatch --wait --quiet --job-name="$name" --output="$TMP/$name.out" "$@" \
      >"$TMP/$name.sbatch" 2>&1 || got=$?
    echo "$got" >"$TMP/$name.rc"
  ) 9>&- &
}
# exited NAME WANT: sbatch --wait exited WANT ("nonzero": anything but 0).
exited() {
  local name=$1 want=$2 got
  got=$(cat "$TMP/$name.rc")
  [ "$got" != 124 ] || fail "$name: sbatch --wait still waiting after 90 s; log: $(tail -c 1500 "$TMP/$name.out" 2>&1)"
  if [ "$want" = nonzero ]; then
    [ "$got" != 0 ] || fail "$name: the job should have failed, sbatch --wait says 0; log: $(tail -c 1500 "$TMP/$name.out")"
  else
    [ "$got" = "$want" ] || fail "$name: sbatch --wait exited $got, expected $want; sbatch: $(cat "$TMP/$name.sbatch"); log: $(tail -c 1500 "$TMP/$name.out" 2>&1)"
  fi
  ok
}
# log_has NAME REGEX: the job's log matches (grep -E).
log_has() {
  grep -qE -- "$2" "$TMP/$1.out" || fail "$1: the job log lacks /$2/: $(tail -c 1500 "$TMP/$1.out")"
  ok
}
# verified NAME RANKS THREADS: a --json line saying verified, with the counts asked for.
verified() {
  local line
  line=$(grep -m1 '^{' "$TMP/$1.out") || fail "$1: no --json line in the log: $(tail -c 1500 "$TMP/$1.out")"
  case $line in *'"verified":true'*) ;; *) fail "$1: not verified: $line" ;; esac
  case $line in *"\"ranks\":$2,"*) ;; *) fail "$1: expected $2 ranks: $line" ;; esac
  case $line in *"\"threads\":$3,"*) ;; *) fail "$1: expected $3 threads: $line" ;; esac
  ok
}

# --- submit every job at once -------------------------------------------------
# 1. msort through srun (PMIx): 3 ranks x 2 threads.
MSORT_N=3000 MSORT_REPEAT=1 submit msort -n 3 -c 2 "$slurm/msort.sbatch"
# 2. msort through mpirun inside the allocation: 2 ranks, the gather algorithm.
MSORT_N=5000 MSORT_ALGO=gather MSORT_REPEAT=1 LAUNCHER=mpirun submit msort-mpirun -n 2 -c 1 "$slurm/msort.sbatch"
# 3. sudoku on its bundled set: 2 ranks, dynamic distribution.
SUDOKU_OUTPUT=$TMP/solutions.txt submit sudoku -n 2 -c 1 "$slurm/sudoku.sbatch"
# 4. hybrid: 2 ranks x 2 threads; every rank reports its placement.
HYBRID_ARGS="-n 4000 --repeat 1" submit hybrid -n 2 -c 2 "$slurm/hybrid.sbatch"
# 5. scaling: strong and weak over 1 and 2 ranks, results as JSON lines and CSV.
# (--exclusive=user lets the study share the node with our other jobs.)
SCALE_N=4000 SCALE_N_PER=2000 SCALE_REPEAT=1 SCALE_OUT=$TMP/scale \
  submit scaling -n 2 -c 1 --exclusive=user "$slurm/scaling.sbatch"
# 6. scaling over threads: one rank of 1 and 2 threads, strong scaling only.
SCALE_AXIS=threads SCALE_STUDY=strong SCALE_N=3000 SCALE_REPEAT=1 SCALE_OUT=$TMP/scale-t \
  submit scaling-threads -n 1 -c 2 --exclusive=user "$slurm/scaling.sbatch"
# 7. Bad input: the program's verdict is the job's, and sbatch --wait says it.
MSORT_N=lots submit msort-bad -n 2 -c 1 "$slurm/msort.sbatch"
SUDOKU_INPUT=$TMP/no-such-puzzles.txt SUDOKU_OUTPUT=$TMP/bad.txt submit sudoku-bad -n 1 -c 1 "$slurm/sudoku.sbatch"
# 8. A job setting that cannot work is refused by the script itself.
MSORT=$TMP/no-such-program submit msort-noprog -n 1 "$slurm/msort.sbatch"
wait

# --- check what each job did ----------------------------------------------------
exited msort 0
verified msort 3 2
log_has msort 'OMP_NUM_THREADS=2\), launcher srun'
log_has msort '^# verdict: PASS'

exited msort-mpirun 0
verified msort-mpirun 2 1
log_has msort-mpirun 'launcher mpirun'
log_has msort-mpirun '"variant":"gather"'

exited sudoku 0
verified sudoku 2 1
log_has sudoku '^# verdict: PASS'
puzzles=$(grep -m1 '^{' "$TMP/sudoku.out" | sed -n 's/.*"n":\([0-9]*\),.*/\1/p')
if [ "${puzzles:-0}" = 0 ] || [ "$(grep -cE '^[1-9]{81}$' "$TMP/solutions.txt")" != "$puzzles" ]; then
  fail "sudoku: expected $puzzles solved grids in $TMP/solutions.txt: $(head -c 400 "$TMP/solutions.txt")"
fi
ok

exited hybrid 0
verified hybrid 2 2
[ "$(grep -c '^# placement: rank [01] .*OMP_NUM_THREADS=2' "$TMP/hybrid.out")" = 2 ] ||
  fail "hybrid: expected a placement line per rank: $(cat "$TMP/hybrid.out")"
ok

exited scaling 0
log_has scaling '^# verdict: PASS'
[ "$(wc -l <"$TMP/scale/results.jsonl")" = 4 ] || fail "scaling: expected 4 runs: $(cat "$TMP/scale/results.jsonl")"
[ "$(grep -c '"verified":true' "$TMP/scale/results.jsonl")" = 4 ] || fail "scaling: not all verified: $(cat "$TMP/scale/results.jsonl")"
for want in '"study":"strong","axis":"ranks","p":2,.*"ranks":2,.*"n":4000,' \
  '"study":"weak","axis":"ranks","p":2,.*"ranks":2,.*"n":4000,' '"study":"weak","axis":"ranks","p":1,.*"ranks":1,.*"n":2000,'; do
  grep -qE "$want" "$TMP/scale/results.jsonl" || fail "scaling: no run like /$want/: $(cat "$TMP/scale/results.jsonl")"
done
[ "$(wc -l <"$TMP/scale/results.csv")" = 5 ] || fail "scaling: CSV: $(cat "$TMP/scale/results.csv" 2>&1)"
ok
if command -v gnuplot >/dev/null; then
  for png in strong weak; do
    [ -s "$TMP/scale/scaling-$png.png" ] || fail "scaling: no $png plot: $(ls "$TMP/scale")"
  done
  ok
fi

exited scaling-threads 0
[ "$(grep -cE '"study":"strong","axis":"threads","p":[12],.*"threads":[12],"ranks":1,.*"verified":true' \
  "$TMP/scale-t/results.jsonl")" = 2 ] || fail "scaling-threads: $(cat "$TMP/scale-t/results.jsonl")"
grep -q '"p":2,.*"threads":2,' "$TMP/scale-t/results.jsonl" || fail "scaling-threads: no 2-thread run"
ok

exited msort-bad 2
log_has msort-bad '^# verdict: FAIL \(msort exit 2\)'
exited sudoku-bad nonzero
log_has sudoku-bad 'no-such-puzzles.txt'
log_has sudoku-bad '^# verdict: FAIL'
exited msort-noprog 2
log_has msort-noprog "no program at '$TMP/no-such-program'"
pass "9 jobs on a real single-node SLURM: 6 verified, 3 bad ones failed as they should"
