#!/usr/bin/env bash
# sudoku: command line, exit statuses, output forms (--pretty, --json, -o,
# --quiet), --max-nodes, a missing file, and the MPI program's discipline.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
data=$CONCUR_TESTS/data/sudoku
omp=$CONCUR_BIN/sudoku-omp
mpiprog=$CONCUR_BIN/sudoku
cd "$TMP" || fail "no scratch folder"
sed -n 8p "$data/edge/edge_cases.txt" >one.txt
hard1='.....6....59.....82....8....45........3........6..3.54...325..6..................'
echo "$hard1" >hard1.txt

# help, version, usage errors
expect_status 0 "$omp" --help
grep -q 'Example: sudoku-omp' "$TMP/last.out" || fail "--help lacks an example"
expect_status 0 "$omp" -V
grep -q '^sudoku-omp (concur) ' "$TMP/last.out" || fail "--version"
for bad in "--algo dlx" "--schedule guided" "--threads 0" "--threads x" "--max-nodes -1" \
           "--repeat 0" "--batch 0" "--bogus" "--dist static" "--pretty --quiet"; do
  # shellcheck disable=SC2086
  expect_status 2 "$omp" $bad one.txt
  expect_stderr "Try 'sudoku-omp --help'"
done

# a file that does not exist: clear message, status 1, no output
expect_status 1 "$omp" one.txt no-such-file.txt
expect_stderr '^sudoku-omp: no-such-file.txt: No such file or directory$'
[ ! -s "$TMP/last.out" ] || fail "output despite a missing file"

# --pretty: the textbook's board
expect_status 0 "$omp" --pretty one.txt
cat >want_pretty.txt <<'EOT'
one.txt:1: solved
4 1 7 |3 6 9 |8 2 5
6 3 2 |1 5 8 |9 4 7
9 5 8 |7 2 4 |3 1 6
------+------+------
8 2 5 |4 3 7 |1 6 9
7 9 1 |5 8 6 |4 3 2
3 4 6 |9 1 2 |7 5 8
------+------+------
2 8 9 |6 4 3 |5 7 1
5 7 3 |2 9 1 |6 8 4
1 6 4 |8 7 5 |2 9 3

EOT
same_file "$TMP/last.out" want_pretty.txt

# --json with the results on stdout: the results stay there, and the JSON
# object is the last line of stderr (with -o FILE or -q it is stdout), the
# fields set
expect_status 0 "$omp" --json --count --threads 2 one.txt hard1.txt
[ "$(wc -l <"$TMP/last.out")" = 2 ] || fail "--json took the place of the results: $(cat "$TMP/last.out")"
python3 - "$TMP/last.err" <<'PY' || fail "bad --json output: $(cat "$TMP/last.err")"
import json, sys
lines = open(sys.argv[1]).read().splitlines()
d = json.loads(lines[-1])
assert d["program"] == "sudoku-omp" and d["variant"] == "puzzle" and d["threads"] == 2
assert d["n"] == 2 and d["solved"] == 1 and d["multiple"] == 1 and d["verified"] is True
o = d["options"]
assert o["count"] is True and o["algo"] == "fast" and d["rate_unit"] == "puzzles/s"
assert o["schedule"] == "puzzle" and o["dist"] is None and d["timed"] == "solve"
assert d["puzzle_max_seconds"] >= d["puzzle_median_seconds"] >= d["puzzle_min_seconds"] > 0
assert d["slowest"] in ({"file": "one.txt", "line": 1}, {"file": "hard1.txt", "line": 1})
PY
ok

# -o: results to a file (atomically), summary still on stderr
expect_status 0 "$omp" -o out.txt --json one.txt
[ "$(cat out.txt)" = 417369825632158947958724316825437169791586432346912758289643571573291684164875293 ] ||
  fail "-o out.txt: $(cat out.txt)"
compgen -G '.cc.*' >/dev/null && fail "temporary file left behind"
expect_status 0 "$omp" -o synced.txt --fsync one.txt # durable: the same file, forced to disk
cmp -s out.txt synced.txt || fail "--fsync -o wrote something else"
expect_status 1 "$omp" -o no-such-dir/out.txt one.txt
expect_stderr 'no-such-dir'
# -o naming a FIFO (like /dev/null, not a regular file): written in place, not
# renamed over; `to_fifo NAME cmd...` runs cmd with -o NAME and keeps what came
# through in NAME.got
to_fifo() {
  local f=$1; shift
  rm -f "$f" "$f.got"
  mkfifo "$f" || fail "mkfifo"
  timeout 60 cat "$f" >"$f.got" & # no writer would leave it waiting
  expect_status 0 "$@" -o "$f" one.txt hard1.txt
  wait
  [ -p "$f" ] || fail "-o $f: the FIFO was replaced"
  "$omp" --threads 1 one.txt hard1.txt 2>/dev/null | cmp -s - "$f.got" || fail "-o $f: $(cat "$f.got")"
}
to_fifo pipe "$omp" --threads 2
expect_status 0 "$omp" --quiet one.txt
[ ! -s "$TMP/last.out" ] || fail "--quiet printed results"
expect_stderr 'per puzzle: min .* max .* \(slowest: one.txt:1\)'
expect_stderr 'puzzles/s'

# --max-nodes: gave up is a marked line, not an error
for algo in fast norvig; do
  expect_status 0 "$omp" --algo "$algo" --count --max-nodes 5 hard1.txt
  [ "$(cat "$TMP/last.out")" = "$hard1 gave-up" ] || fail "$algo --max-nodes: $(cat "$TMP/last.out")"
  expect_stderr '1 gave up'
  expect_stderr '^sudoku-omp: hard1.txt:1: gave up \(--max-nodes 5 reached\)$'
done
expect_status 0 "$omp" --repeat 3 --schedule chunk one.txt
expect_stderr 'median of 3'

# the MPI program: usage printed once, same exit status on every rank
if [ "$CONCUR_WITH_MPI" = 1 ]; then
  expect_status 0 mpi 1 "$mpiprog" --help
  grep -q -- '--dist NAME' "$TMP/last.out" || fail "sudoku --help lacks --dist"
  expect_status 2 mpi 2 "$mpiprog" --dist round-robin one.txt
  [ "$(grep -c "Try 'sudoku --help'" "$TMP/last.err")" = 1 ] || fail "usage printed more than once"
  expect_status 1 mpi 2 "$mpiprog" no-such-file.txt
  expect_stderr 'sudoku(\[0\])?: no-such-file.txt: No such file or directory'
  : >empty.txt
  for d in static cyclic dynamic; do
    expect_status 0 mpi 3 "$mpiprog" --dist "$d" --threads 1 empty.txt
    [ ! -s "$TMP/last.out" ] || fail "MPI $d: output for empty input"
  done
  for d in static cyclic; do # each rank writes its own records to a file; a FIFO goes through rank 0
    expect_status 0 mpi 2 "$mpiprog" --dist "$d" --threads 1 -o "mpi-$d.txt" one.txt hard1.txt
    "$omp" --threads 1 one.txt hard1.txt 2>/dev/null | cmp -s - "mpi-$d.txt" || fail "MPI $d -o"
    to_fifo "pipe-$d" mpi 2 "$mpiprog" --dist "$d" --threads 1
  done
  compgen -G '.cc.*' >/dev/null && fail "temporary file left behind"
  expect_status 1 mpi 2 "$mpiprog" -o no-such-dir/out.txt one.txt
  expect_stderr 'no-such-dir'
  expect_status 0 mpi 2 "$mpiprog" --dist dynamic --json --threads 1 one.txt
  [ "$(wc -l <"$TMP/last.out")" = 1 ] || fail "MPI --json took the place of the results"
  python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["ranks"]==2 and d["options"]["dist"]=="dynamic" and len(d["binding"])==2' \
    < <(tail -n 1 "$TMP/last.err") || fail "MPI --json: $(cat "$TMP/last.err")"
  ok
fi
pass
