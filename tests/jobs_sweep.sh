#!/usr/bin/env bash
# jobs.sweep: the laptop runner on the real programs at a tiny size. A thread
# sweep of msort-omp and a ranks x threads sweep of msort (mpirun) give one
# verified CSV row per run with the ranks and threads asked for; the plot step
# turns the CSV into PNG files; a failing run stops the sweep with exit 1, and
# bad usage exits 2.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

jobs=$CONCUR_SRC/jobs
omp=$CONCUR_BIN/msort-omp
[ -x "$omp" ] || skip "msort-omp is not built yet ($omp)"
export ASAN_OPTIONS=detect_leaks=0 # Open MPI's plugins keep memory until exit
cd "$TMP" || fail "no scratch folder"

# rows CSV: the data rows of a CSV (header dropped).
rows() { tail -n +2 "$1"; }
# col CSV NAME: one column of a CSV, by header name (no quoted commas here).
col() { awk -F, -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next } { print $k }' "$1"; }

# 1. Threads sweep, strong scaling, with the plot.
expect_status 0 "$jobs/sweep.sh" -t "1 2" -n 20k -r 1 -o omp.csv --plot -- "$omp"
[ "$(rows omp.csv | wc -l)" = 2 ] || fail "omp.csv: expected 2 rows: $(cat omp.csv)"
[ "$(col omp.csv threads | tr '\n' ' ')" = "1 2 " ] || fail "omp.csv: threads column: $(cat omp.csv)"
[ "$(col omp.csv verified | sort -u)" = true ] || fail "omp.csv: not all verified: $(cat omp.csv)"
[ "$(col omp.csv n | sort -u)" = 20000 ] || fail "omp.csv: n is not 20000 everywhere: $(cat omp.csv)"
ok
if command -v gnuplot >/dev/null; then
  [ "$(head -c 8 omp-strong.png | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
    fail "omp-strong.png is not a PNG: $(ls -l omp-strong.png 2>&1)"
  [ "$(stat -c %s omp-strong.png)" -gt 10000 ] || fail "omp-strong.png is suspiciously small"
  ok
fi

# 2. Weak scaling: the size grows with the worker count; two interleaved rounds.
expect_status 0 "$jobs/sweep.sh" -s weak -t "1 2" -n 10k -r 1 -R 2 -o weak.csv -- "$omp"
[ "$(col weak.csv n | tr '\n' ' ')" = "10000 20000 10000 20000 " ] || fail "weak.csv: n column: $(cat weak.csv)"
[ "$(col weak.csv study | sort -u)" = weak ] || fail "weak.csv: study column: $(cat weak.csv)"
ok

# 3. Ranks x threads under mpirun.
if [ "$CONCUR_WITH_MPI" = 1 ] && [ -x "$CONCUR_BIN/msort" ]; then
  expect_status 0 "$jobs/sweep.sh" -p "1 3" -t "1 2" -n 10k -r 1 -o mpi.csv -- "$CONCUR_BIN/msort" --algo sample
  [ "$(rows mpi.csv | wc -l)" = 4 ] || fail "mpi.csv: expected 4 rows: $(cat mpi.csv)"
  [ "$(paste -d: <(col mpi.csv ranks) <(col mpi.csv threads) | tr '\n' ' ')" = "1:1 1:2 3:1 3:2 " ] ||
    fail "mpi.csv: ranks:threads are not as asked: $(cat mpi.csv)"
  [ "$(col mpi.csv verified | sort -u)" = true ] || fail "mpi.csv: not all verified: $(cat mpi.csv)"
  [ "$(col mpi.csv axis | sort -u)" = workers ] || fail "mpi.csv: axis column: $(cat mpi.csv)"
  ok
fi

# 4. A program with its own input and no -n: sudoku-omp on its bundled set.
if [ -x "$CONCUR_BIN/sudoku-omp" ]; then
  expect_status 0 "$jobs/sweep.sh" -t "1 2" -r 1 -o sudoku.csv -- "$CONCUR_BIN/sudoku-omp"
  [ "$(col sudoku.csv program | sort -u)" = sudoku-omp ] || fail "sudoku.csv: $(cat sudoku.csv)"
  [ "$(col sudoku.csv threads | tr '\n' ' ')" = "1 2 " ] || fail "sudoku.csv: threads column: $(cat sudoku.csv)"
  [ "$(col sudoku.csv verified | sort -u)" = true ] || fail "sudoku.csv: not all verified: $(cat sudoku.csv)"
  ok
fi

# 5. A run that fails (the program rejects its options) stops the sweep.
expect_status 1 "$jobs/sweep.sh" -t 1 -o bad.csv -- "$omp" --no-such-option
expect_stderr 'failed with exit status 2'
# 6. Bad usage of the runner itself.
expect_status 2 "$jobs/sweep.sh" -t "1 x" -- "$omp"
expect_stderr "'x' is not a positive integer"
expect_status 2 "$jobs/sweep.sh" -s weak -- "$omp"
expect_stderr 'needs --size'
expect_status 2 "$jobs/sweep.sh" -n 12q -- "$omp"
expect_status 2 "$jobs/sweep.sh" -- "$TMP/no-such-program"
expect_status 2 "$jobs/plot.sh"
pass "thread, weak and ranks x threads sweeps to CSV and PNG; failures and bad usage caught"
