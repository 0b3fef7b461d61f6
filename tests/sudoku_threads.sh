#!/usr/bin/env bash
# sudoku: how many OpenMP threads a run uses when --threads is not given
# (the "threads" of --json). sudoku-omp: OMP_NUM_THREADS, else every CPU it
# may run on. The MPI sudoku, like msort (mpix_threads_per_rank):
# OMP_NUM_THREADS, else the node's online CPUs shared among its ranks (at
# most the CPUs a rank may run on, at least 1), so that two ranks on two
# cores run one thread each instead of two. The ranks run unbound
# (--bind-to none): Open MPI binds each of one or two ranks to one core,
# where every policy gives one thread.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
omp=$CONCUR_BIN/sudoku-omp
mpiprog=$CONCUR_BIN/sudoku
cd "$TMP" || fail "no scratch folder"
sed -n 8p "$CONCUR_TESTS/data/sudoku/edge/edge_cases.txt" >one.txt

unset OMP_NUM_THREADS # ctest passes on the caller's environment
cpus=$(nproc)         # nproc heeds OMP_NUM_THREADS: only now is it the CPU count
online=$(getconf _NPROCESSORS_ONLN)
# threads_of WANT cmd...: the run's --json (stdout, or stderr when the
# results are on stdout) says "threads":WANT
threads_of() {
  local want=$1; shift
  expect_status 0 "$@"
  local got
  got=$(grep -h '^{' "$TMP/last.out" "$TMP/last.err" | grep -o '"threads":[0-9]*' | cut -d: -f2)
  [ "$got" = "$want" ] || fail "'$*' ran $got threads, expected $want: $(head -c 300 "$TMP/last.out")"
}
# share NP: the MPI default with NP ranks on this node
share() {
  local t=$((online / $1))
  [ "$t" -gt "$cpus" ] && t=$cpus
  [ "$t" -lt 1 ] && t=1
  echo "$t"
}

threads_of "$cpus" "$omp" --json one.txt
threads_of 1 env OMP_NUM_THREADS=1 "$omp" --json one.txt
threads_of 3 "$omp" --json --threads 3 one.txt

if [ "$CONCUR_WITH_MPI" = 1 ]; then
  # the ranks see no OMP_NUM_THREADS either (mpirun passes its environment on)
  # shellcheck disable=SC2016 # the rank's shell expands it
  expect_status 0 mpi 1 --bind-to none sh -c 'echo "${OMP_NUM_THREADS-unset}"'
  [ "$(cat "$TMP/last.out")" = unset ] || fail "the ranks see OMP_NUM_THREADS=$(cat "$TMP/last.out")"
  ok
  for np in 1 2 3; do
    threads_of "$(share $np)" mpi $np --bind-to none "$mpiprog" --json one.txt
  done
  # the same policy as msort's
  threads_of "$(share 2)" mpi 2 --bind-to none "$CONCUR_BIN/msort" --json -n 1000
  OMP_NUM_THREADS=2 threads_of 2 mpi 2 --bind-to none "$mpiprog" --json one.txt
  threads_of 3 mpi 2 --bind-to none "$mpiprog" --json --threads 3 one.txt
fi
pass "$cpus CPUs, $online online"
