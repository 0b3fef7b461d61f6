#!/usr/bin/env bash
# sudoku: every case of tests/data/sudoku/edge/edge_cases.txt behaves as its
# comment says, in both programs, in first-solution and counting mode; the
# bundled set; empty input; stdin.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
data=$CONCUR_TESTS/data/sudoku
omp=$CONCUR_BIN/sudoku-omp
cp "$data/edge/edge_cases.txt" "$TMP/edge.txt"
cd "$TMP" || fail "no scratch folder"

sol1=417369825632158947958724316825437169791586432346912758289643571573291684164875293
cat >want_first.txt <<EOT
$sol1
$sol1
$sol1
$sol1
$sol1
123546798689712435457839216896157342314268579572394681968475123241683957735921864
438176592659234718271598463145962387893457621726813954914325876362789145587641239
invalid edge.txt:23: givens clash: digit 4 twice in row 1 (row 1 column 1 and row 1 column 2)
4...3.......6..8..........1..2.5..9..8....6...7.2........1.27..5.3....4.9........ unsolvable
823591674649873251571264983185746392967352418234918765316489527792135846458627139
invalid edge.txt:29: expected 81 cells, found 80
invalid edge.txt:31: expected 81 cells, found 82
invalid edge.txt:33: bad character 'x' at column 2
987654321246173985351928746128537694634892157795461832519286473472319568863745219
EOT
# counting mode: the empty grid, hard1 and line 570 of top2365 have 2+ solutions
sed -e '6s/$/ multiple/' -e '7s/$/ multiple/' -e '10s/$/ multiple/' want_first.txt >want_count.txt

# Lines 6, 7 and 10 have several solutions: which one comes first depends on
# the solver, so the reference is compared on the others (and on the mark).
unique_lines() { sed -e '6s/^[0-9]* */X /' -e '7s/^[0-9]* */X /' -e '10s/^[0-9]* */X /' "$1"; }
unique_lines want_first.txt >want_first_u.txt
unique_lines want_count.txt >want_count_u.txt
for algo in fast norvig; do
  expect_status 3 "$omp" --algo "$algo" --threads 2 edge.txt
  unique_lines "$TMP/last.out" >got.txt
  same_file got.txt want_first_u.txt
  [ "$algo" = norvig ] || same_file "$TMP/last.out" want_first.txt
  expect_stderr '^sudoku-omp: edge.txt:23: givens clash: digit 4 twice in row 1'
  expect_stderr '^sudoku-omp: edge.txt:29: expected 81 cells, found 80$'
  expect_stderr '^sudoku-omp: edge.txt:31: expected 81 cells, found 82$'
  expect_stderr "^sudoku-omp: edge.txt:33: bad character 'x' at column 2$"
  expect_stderr '^sudoku-omp: edge.txt:25: no solution$'
  expect_stderr '10 puzzles: 9 solved, 1 unsolvable, 0 gave up; 4 lines rejected; 9 grids verified, 0 failed'
  expect_status 3 "$omp" --algo "$algo" --count --threads 1 edge.txt
  unique_lines "$TMP/last.out" >got.txt
  same_file got.txt want_count_u.txt
  [ "$algo" = norvig ] || same_file "$TMP/last.out" want_count.txt
  expect_stderr '10 puzzles: 6 unique, 3 with 2\+ solutions, 1 unsolvable, 0 gave up; 4 lines rejected; 9 grids verified'
done
# the MPI program, one rank
if [ "$CONCUR_WITH_MPI" = 1 ]; then
  expect_status 3 mpi 1 "$CONCUR_BIN/sudoku" --count edge.txt
  same_file "$TMP/last.out" want_count.txt
fi

# the bundled set (textbook top95) from any folder, verified, and said so
# (nothing is ever read from stdin without "-", even when it is a pipe)
mkdir elsewhere
cd elsewhere || fail "cd"
expect_status 0 "$omp" --count </dev/null
expect_stderr '^sudoku-omp: no FILE given: solving the bundled top95 set \(use - for standard input\)$'
echo "not a puzzle" | "$omp" --count >/dev/null 2>&1 || fail "no FILE: stdin was read"
ok
expect_status 0 "$omp" --count
[ "$(wc -l <"$TMP/last.out")" = 95 ] || fail "bundled set: $(wc -l <"$TMP/last.out") lines, not 95"
head -1 "$TMP/last.out" | grep -qx "$sol1" || fail "bundled set: wrong first solution"
expect_stderr '95 puzzles: 95 unique, 0 with 2\+ solutions, 0 unsolvable, 0 gave up; 0 lines rejected; 95 grids verified, 0 failed'
cmp -s "$TMP/last.out" <("$omp" --count "$data/textbook/sudoku-top95.txt" 2>/dev/null) ||
  fail "bundled set differs from textbook/sudoku-top95.txt"
ok
cd "$TMP" || fail "cd"

# empty input (a file, stdin, only comments): nothing to do, success
: >empty.txt
expect_status 0 "$omp" empty.txt
[ ! -s "$TMP/last.out" ] || fail "empty input printed something"
expect_stderr '0 puzzles'
expect_status 0 "$omp" - </dev/null
printf '# only a comment\n\n   \r\n' >comments.txt
expect_status 0 "$omp" --json comments.txt
python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["n"]==0 and d["invalid"]==0' \
  < <(tail -n 1 "$TMP/last.err") || fail "json for empty input"
ok

# stdin, several files, line numbers per file, missing final newline
printf "%s" "$(sed -n 8p edge.txt)" >nonl.txt
printf 'x\n' >bad.txt
sed -n 8p edge.txt >case1.txt
expect_status 3 "$omp" nonl.txt - bad.txt <case1.txt
printf '%s\n%s\ninvalid bad.txt:1: bad character %s at column 1\n' "$sol1" "$sol1" "'x'" >want3.txt
same_file "$TMP/last.out" want3.txt
expect_stderr "^sudoku-omp: bad.txt:1: bad character 'x' at column 1$"
ok

# a big file (read in parallel from 64 KiB on) with bad lines all through it and
# no final newline: the same lines and the same messages in the same order
for _ in $(seq 300); do cat edge.txt; done >big.txt
printf '%s' "$(sed -n 8p edge.txt)" >>big.txt
expect_status 3 "$omp" --threads 1 --algo fast big.txt
mv "$TMP/last.out" big1.out
grep '^sudoku-omp: big.txt:' "$TMP/last.err" >big1.err
[ "$(wc -l <big1.out)" = $((300 * 14 + 1)) ] || fail "big.txt: $(wc -l <big1.out) lines"
expect_status 3 "$omp" --threads 3 --algo fast big.txt
same_file big1.out "$TMP/last.out"
grep '^sudoku-omp: big.txt:' "$TMP/last.err" >big3.err
same_file big1.err big3.err
# stderr names the first 20 rejected lines, then counts the rest (no flood);
# stdout has them all, in order
[ "$(grep -vc 'no solution$' big1.err)" = 20 ] || fail "big.txt: $(grep -vc 'no solution$' big1.err) rejected-line messages, not 20"
grep -qx 'sudoku-omp: 1180 more "rejected line" messages not shown' "$TMP/last.err" || fail "no count of the rest"
ok
grep "bad character" big1.out | tail -1 | grep -q "^invalid big.txt:$((300 * 36 - 3)): bad character 'x' at column 2$" ||
  fail "last rejected line: $(grep invalid big1.out | tail -1)"
ok
pass
