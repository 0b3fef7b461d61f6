#!/usr/bin/env bash
# sudoku: byte-identical output for every shared puzzle set from the serial
# run (one thread), sudoku-omp at 1, 2, 3 threads (both schedules) and the MPI
# sudoku at 1, 2, 4 ranks (every distribution), 8 ranks oversubscribed once,
# in counting mode (and first-solution mode once). The four big sets are
# thinned to every 16th line (forum-hardest to every 64th; about six times
# thinner under the sanitizers) to keep the suite short; the other files are used as
# they are (CRLF, '#' headers and missing final newlines included).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
data=$CONCUR_TESTS/data/sudoku
omp=$CONCUR_BIN/sudoku-omp
mpiprog=$CONCUR_BIN/sudoku
cd "$TMP" || fail "no scratch folder"

thin() { awk -v k="$2" 'NR % k == 1' "$1" >"$3"; }
big_k=16
[ "${CONCUR_SANITIZE:-0}" = 1 ] && big_k=100
inputs=()
for f in textbook/sudoku-top95.txt textbook/sudoku-topn234.txt textbook/sudoku-topn1465.txt \
         textbook/sudoku-top2365.txt norvig/hardest.txt norvig/easy50.txt \
         tdoku/puzzles3_magictour_top1465 derived/unsat_from_topn1465.txt \
         edge/edge_cases.txt; do
  inputs+=("$data/$f")
done
for f in textbook/sudoku-subig20.txt tdoku/puzzles2_17_clue tdoku/puzzles7_serg_benchmark \
         derived/multi_16clue_from_17clue.txt; do
  thin "$data/$f" "$big_k" "$(basename "$f").thin"
  inputs+=("$TMP/$(basename "$f").thin")
done
thin "$data/tdoku/puzzles5_forum_hardest_1905_11+_minus_holdout" $((big_k * 4)) forum.thin
inputs+=("$TMP/forum.thin")

# the serial reference run
run() { # run NAME cmd... : output to NAME.out, status must be 3 (edge cases reject lines)
  local name=$1; shift
  local rc=0
  "$@" "${inputs[@]}" >"$name.out" 2>"$name.err" || rc=$?
  [ "$rc" = 3 ] || fail "$name: exit $rc, expected 3: $(tail -3 "$name.err")"
  grep -q ' 0 failed$' "$name.err" || fail "$name: verification failed: $(grep failed "$name.err")"
  # the per-line messages (rejected lines, no solution), program name cut off
  sed -E 's/^sudoku(-omp)?(\[[0-9]+\])?: //' "$name.err" | grep -E '^[^ ]+:[0-9]+: ' >"$name.msg" ||
    fail "$name: no per-line messages"
  ok
}
same() { # same NAME: output and messages as the serial run's
  same_file serial.out "$1.out"
  same_file serial.msg "$1.msg"
}
run serial "$omp" --count --threads 1 --schedule chunk
lines=$(wc -l <serial.out)
[ "$lines" -gt 1000 ] || fail "serial run printed only $lines lines"
grep -q ' multiple$' serial.out || fail "no multiple-solution lines"
grep -q ' unsolvable$' serial.out || fail "no unsolvable lines"

for t in 1 2 3; do
  for s in puzzle chunk; do
    run "omp-$s-$t" "$omp" --count --threads "$t" --schedule "$s"
    same "omp-$s-$t"
  done
done
if [ "$CONCUR_WITH_MPI" = 1 ]; then
  for np in 1 2 4; do
    for d in static cyclic dynamic; do
      run "mpi-$d-$np" mpi "$np" "$mpiprog" --count --threads 1 --dist "$d"
      same "mpi-$d-$np"
    done
  done
  run mpi-hybrid mpi 2 "$mpiprog" --count --threads 2 --dist dynamic --schedule chunk
  same mpi-hybrid
  # cyclic solves its own puzzles in slices with OpenMP between its swaps
  run mpi-hybrid-cyclic mpi 2 "$mpiprog" --count --threads 2 --dist cyclic --schedule puzzle
  same mpi-hybrid-cyclic
  run mpi-8 mpi 8 "$mpiprog" --count --threads 1 --dist dynamic --batch 3
  same mpi-8
fi

# first-solution mode: the first solution found is the same everywhere too
run first "$omp" --threads 1
run first-omp "$omp" --threads 3 --schedule puzzle --batch 1
same_file first.out first-omp.out
same_file first.msg first-omp.msg
if [ "$CONCUR_WITH_MPI" = 1 ]; then
  run first-mpi mpi 4 "$mpiprog" --threads 1 --dist cyclic
  same_file first.out first-mpi.out
  same_file first.msg first-mpi.msg
fi

# --pretty records name their file and line: every rank formats its own
# piece's, so they must match too (written through -o)
run pretty "$omp" --count --threads 1 --pretty -o pretty.file
same_file /dev/null pretty.out
if [ "$CONCUR_WITH_MPI" = 1 ]; then
  for d in static cyclic dynamic; do
    run "pretty-$d" mpi 3 "$mpiprog" --count --threads 1 --pretty --dist "$d" -o "pretty-$d.file"
    same_file pretty.file "pretty-$d.file"
    same_file pretty.msg "pretty-$d.msg"
  done
  # --repeat: cyclic and dynamic reuse their buffers from one solve to the next
  for d in cyclic dynamic; do
    run "repeat-$d" mpi 3 "$mpiprog" --count --threads 1 --repeat 2 --dist "$d"
    same "repeat-$d"
  done
fi
pass "$lines lines each"
