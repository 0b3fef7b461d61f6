#!/usr/bin/env bash
# sudoku: a 1,000,000-puzzle input built from the shared sets (Project Euler's
# easy50, 20,000 times over: cheap to solve, so the test measures the batch
# machinery, not the solver) completes, every grid verified, through
# sudoku-omp and (at 2 ranks) the MPI sudoku. Peak memory is printed from
# /usr/bin/time -v when it is installed (Debian package 'time').
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
data=$CONCUR_TESTS/data/sudoku
cd "$TMP" || fail "no scratch folder"
n=1000000
tr -d '\r' <"$data/norvig/easy50.txt" | grep -v '^$' >easy50.txt
[ "$(wc -l <easy50.txt)" = 50 ] || fail "easy50 has $(wc -l <easy50.txt) puzzles"
for _ in $(seq 20000); do echo easy50.txt; done | xargs cat >million.txt
[ "$(wc -l <million.txt)" = $n ] || fail "built $(wc -l <million.txt) lines"

timev=()
[ -x /usr/bin/time ] && timev=(/usr/bin/time -v)
check_run() { # check_run NAME: the summary says a million puzzles, all verified
  grep -q "$n puzzles: $n unique, 0 with 2+ solutions, 0 unsolvable, 0 gave up; 0 lines rejected; $n grids verified, 0 failed" "$1.err" ||
    fail "$1: $(grep -v '^\s' "$1.err" | head -5)"
  [ "$(wc -l <"$1.out")" = $n ] || fail "$1: $(wc -l <"$1.out") output lines"
  grep -E 'Maximum resident set size|Elapsed \(wall' "$1.err" | sed "s/^\s*/$1: /"
  grep 'end to end' "$1.err" | sed "s/^/$1: /"
  ok
}
"${timev[@]}" "$CONCUR_BIN/sudoku-omp" --count --threads 2 -o omp.out million.txt 2>omp.err ||
  fail "sudoku-omp failed: $(tail -3 omp.err)"
check_run omp
# the answers repeat with the input
head -50 omp.out >first50.txt
for _ in 1 2 3; do cat first50.txt; done >want150.txt
sed -n '99951,1000000p' omp.out | head -150 | cmp -s - want150.txt || fail "repeated answers differ"
if [ "$CONCUR_WITH_MPI" = 1 ] && [ "${CONCUR_SANITIZE:-0}" != 1 ]; then
  # shellcheck disable=SC2086 # CONCUR_MPIRUN is a command line
  "${timev[@]}" $CONCUR_MPIRUN -np 2 "$CONCUR_BIN/sudoku" --count --threads 1 --dist dynamic \
    -o mpi.out million.txt 2>mpi.err || fail "sudoku (MPI) failed: $(tail -3 mpi.err)"
  check_run mpi
  same_file omp.out mpi.out
fi
pass
