#!/usr/bin/env bash
# sudoku: the Norvig reference and the fast solver agree on the 0/1/2+
# classification of the derived unsolvable and multiple-solution sets, and give
# identical grids on uniquely solvable puzzles. The reference is slow, so it
# runs on every 10th line of the derived sets (every 50th under the sanitizers)
# and on small sets of unique puzzles.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
data=$CONCUR_TESTS/data/sudoku
omp=$CONCUR_BIN/sudoku-omp
cd "$TMP" || fail "no scratch folder"
k=10
[ "${CONCUR_SANITIZE:-0}" = 1 ] && k=50

awk -v k="$k" 'NR % k == 1' "$data/derived/unsat_from_topn1465.txt" >unsat.txt
awk -v k="$k" 'NR % k == 1' "$data/derived/multi_16clue_from_17clue.txt" >multi.txt
awk -v k=$((k * 10)) 'NR % k == 3' "$data/tdoku/puzzles2_17_clue" >c17.txt
awk -v k=$((k * 5)) 'NR % k == 2' "$data/tdoku/puzzles3_magictour_top1465" >top1465.txt

classes() { awk '{ print (NF == 1 ? "1" : $2 == "multiple" ? "2+" : $2) }' "$1"; }
for set in unsat multi; do
  for algo in fast norvig; do
    expect_status 0 "$omp" --count --algo "$algo" "$set.txt"
    classes "$TMP/last.out" >"$set.$algo"
  done
  same_file "$set.fast" "$set.norvig"
  want=$([ "$set" = unsat ] && echo unsolvable || echo 2+)
  [ "$(sort -u "$set.fast")" = "$want" ] || fail "$set: classes $(sort -u "$set.fast" | tr '\n' ' ')"
  ok
done
# unique puzzles: the same grids, byte for byte
for f in "$data/norvig/hardest.txt" "$data/textbook/sudoku-top95.txt" c17.txt top1465.txt; do
  expect_status 0 "$omp" --count --algo norvig "$f"
  mv "$TMP/last.out" ref.out
  expect_status 0 "$omp" --count --algo fast "$f"
  same_file ref.out "$TMP/last.out"
  grep -q ' ' ref.out && fail "$f: not all unique"
  ok
done
pass "$(wc -l <unsat.txt) unsolvable, $(wc -l <multi.txt) multiple"
