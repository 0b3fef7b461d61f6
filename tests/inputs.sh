#!/usr/bin/env bash
# Text inputs across the suite: every reader takes "\n", "\r\n" and a lone
# "\r" as line ends and never drops a record quietly; a NUL byte or an
# over-long line is a bad record with its line number; a failed read is an
# error, never an end of file; a binary file is refused with one message;
# floods of bad lines are cut to 20 messages and a count; "-" is standard
# input everywhere, and pipelines through msort work, with and without MPI.
# (The bad records of each program are in its own tests: msort_bad_input.sh,
# sudoku_edge.sh, randompix_usage.sh, hostres.sh.)
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
bin=$CONCUR_BIN
data=$CONCUR_TESTS/data/sudoku
cd "$TMP" || fail "no scratch folder"

# numbers N: N pseudo-random i64 values, one a line
numbers() { awk -v n="$1" 'BEGIN { srand(7); for (i = 0; i < n; i++) printf "%d\n", int(rand() * 2e9) - 1e9 }'; }

# pipeline PROG...: numbers | PROG -i - -o - -f text | sort -c -n, nothing lost
pipeline() {
  (
    set -o pipefail
    numbers 20000 | "$@" -T i64 -f text -i - -o - 2>err.txt | tee p.out | sort -c -n
  ) || fail "$*: the pipeline failed: $(cat err.txt)"
  [ "$(wc -l <p.out)" = 20000 ] || fail "$*: $(wc -l <p.out) lines, not 20000"
  ok
  rm -f p.out
}

# ---- msort ----------------------------------------------------------------
# sorted PROG... -- ARGS: run, the output file's lines joined by spaces
sorted() { expect_status 0 "$@" -o s.out && tr '\n' ' ' <s.out; }
msort_cases() {
  # every line end; a final line without one; a byte-order mark
  printf '\xef\xbb\xbf30\r10\r\n20\n5' >ends.txt
  [ "$(sorted "$@" -f text -T u32 -i ends.txt)" = "5 10 20 30 " ] || fail "$*: line ends"
  ok
  # stdin: text, and binary from a pipe (size not known in advance)
  [ "$(sorted "$@" -f text -T u32 -i - < <(printf '3\r1\r2'))" = "1 2 3 " ] || fail "$*: -i - text"
  ok
  "$bin/msort-omp" -n 5000 -T u32 -d reverse --no-verify -o rev.bin >/dev/null 2>&1
  "$bin/msort-omp" -T u32 -i rev.bin -o want.bin >/dev/null 2>&1
  expect_status 0 "$@" -T u32 -i - -o got.bin <rev.bin
  same_file got.bin want.bin
  expect_status 0 "$@" -T u32 -i - -o got.bin < <(cat rev.bin) # a pipe, not a file
  same_file got.bin want.bin
  expect_status 3 "$@" -T u32 -i - -o got.bin < <(head -c 7 rev.bin)
  expect_stderr '<stdin>: size 7 is not a multiple of the 4-byte u32 element'
  # a FILE operand is -i FILE
  expect_status 0 "$@" -T u32 rev.bin -o got.bin
  same_file got.bin want.bin
  # a read that fails is an error (a folder opens, but cannot be read)
  rm -f s.out
  expect_status 1 "$@" -f text -i "$TMP" -o s.out
  expect_stderr 'read failed: Is a directory'
  [ ! -e s.out ] || fail "$*: output left after a failed read"
  ok
  pipeline "$@"
}
msort_cases "$bin/msort-omp"
expect_status 2 "$bin/msort-omp" -i a.bin b.bin
expect_stderr 'input given twice: --input a.bin and FILE b.bin'
expect_status 2 "$bin/msort-omp" a.bin b.bin
expect_stderr "unexpected argument 'b.bin'"
# binary from a named pipe of the shell: read as a stream
expect_status 0 "$bin/msort-omp" -T u32 -i <(cat rev.bin) -o got.bin
same_file got.bin want.bin
if [ "$CONCUR_WITH_MPI" = 1 ]; then
  msort_cases mpi 2 "$bin/msort"
  expect_status 0 mpi 2 "$bin/msort" -a gather -T u32 -i - -o got.bin <rev.bin
  same_file got.bin want.bin
  pipeline mpi 2 "$bin/msort" -a gather
fi

# The testers' case: under a memory limit, a line of 64 MB made getline fail,
# which was taken for the end of the file (output "1 3", exit 0). Now the
# line is over the limit and never read whole. (ulimit -v and the address
# sanitizer's shadow memory do not mix.)
if [ "${CONCUR_SANITIZE:-0}" != 1 ] &&
  bash -c "ulimit -v 60000 && exec '$bin/msort-omp' -t 1 -n 0" >/dev/null 2>&1; then
  { printf '3\n1\n'; head -c $((64 << 20)) /dev/zero | tr '\0' 7; printf '\n2\n'; } >huge.txt
  expect_status 3 bash -c "ulimit -v 60000 && exec '$bin/msort-omp' -t 1 -f text -i huge.txt -o s.out"
  expect_stderr 'huge.txt:3: line longer than 4096 bytes'
  [ ! -e s.out ] || fail "output written from a file with a bad line"
  ok
  rm -f huge.txt
fi

# ---- sudoku ---------------------------------------------------------------
sed -n '1,3p' "$data/textbook/sudoku-top95.txt" >three.txt
"$bin/sudoku-omp" three.txt >want3.out 2>/dev/null
tr '\n' '\r' <three.txt >three_cr.txt
sed 's/$/\r/' three.txt >three_crlf.txt
for f in three_cr.txt three_crlf.txt; do
  expect_status 0 "$bin/sudoku-omp" "$f"
  same_file "$TMP/last.out" want3.out
  expect_status 0 "$bin/sudoku-omp" - <"$f"
  same_file "$TMP/last.out" want3.out
done
# Line numbers and pieces: edge cases (bad lines at known lines) many times
# over, with LF, CRLF and CR ends, parsed by 3 threads and by 3 ranks: the
# same records and the same messages, "\r\n" counted as one line end.
mkdir lf crlf cr
cp "$CONCUR_TESTS/data/sudoku/edge/edge_cases.txt" edge1.txt
for _ in $(seq 60); do tr -d '\r' <edge1.txt; done >lf/many.txt # (one line of it is CRLF)
sed 's/$/\r/' lf/many.txt >crlf/many.txt
tr '\n' '\r' <lf/many.txt >cr/many.txt
for d in lf crlf cr; do
  (cd "$d" && "$bin/sudoku-omp" --threads 3 many.txt >out 2>err; echo $? >rc)
  if [ "$CONCUR_WITH_MPI" = 1 ]; then
    (cd "$d" && mpi 3 "$bin/sudoku" many.txt >mpi.out 2>mpi.err)
    same_file "$d/mpi.out" lf/out
  fi
done
[ "$(cat lf/rc)" = 3 ] || fail "edge cases: exit $(cat lf/rc)"
grep -q '^invalid many.txt:29: expected 81 cells, found 80$' lf/out || fail "no line 29 in lf/out"
for d in crlf cr; do
  same_file "$d/out" lf/out
  diff <(grep -E '^[^ ]* (many.txt:|[0-9]+ puzzles:)' "$d/err") <(grep -E '^[^ ]* (many.txt:|[0-9]+ puzzles:)' lf/err) >/dev/null ||
    fail "$d: other messages than with LF"
  ok
done
# a binary file: refused up front, one message
head -c 300000 /dev/urandom >noise.bin
printf '\x01' | dd of=noise.bin bs=1 seek=100 conv=notrunc status=none
printf '\0' | dd of=noise.bin bs=1 seek=200 conv=notrunc status=none
tr -d '\000' <noise.bin | head -c 100 >ctl.bin # no NUL in its first block
for _ in $(seq 20); do printf '\x01\x02'; done >>ctl.bin
expect_status 3 "$bin/sudoku-omp" noise.bin
expect_stderr '^sudoku-omp: noise.bin: binary data, not puzzles \(a NUL byte at offset [0-9]+\)$'
[ "$(wc -l <"$TMP/last.err")" = 1 ] || fail "binary file: $(wc -l <"$TMP/last.err") lines of messages"
[ ! -s "$TMP/last.out" ] || fail "binary file: records printed"
ok
expect_status 3 "$bin/sudoku-omp" ctl.bin
expect_stderr 'ctl.bin: binary data, not puzzles \([0-9]+ of the first 140 bytes are control characters\)'
# a flood of bad lines: 20 messages and a count; the records keep them all
for i in $(seq 1300); do echo "bad$i"; done >bad.txt
expect_status 3 "$bin/sudoku-omp" bad.txt
[ "$(grep -c 'bad.txt:[0-9]*: bad character' "$TMP/last.err")" = 20 ] || fail "flood: not 20 messages"
expect_stderr '^sudoku-omp: 1280 more "rejected line" messages not shown$'
[ "$(grep -c '^invalid bad.txt:' "$TMP/last.out")" = 1300 ] || fail "flood: records lost"
ok
# ...the same 20 when the bad lines are spread over the pieces of 3 ranks
awk -v p="$(sed -n 8p edge1.txt)" '{ print (NR % 100 == 0 ? "x" : p) }' lf/many.txt >spread.txt
"$bin/sudoku-omp" spread.txt 2>&1 >/dev/null | grep -E '^[^ ]* (spread.txt:|[0-9]+ more )' | sed 's/^[^:]*:/X:/' >spread.omp
[ "$(wc -l <spread.omp)" = 21 ] || fail "spread: $(wc -l <spread.omp) messages"
if [ "$CONCUR_WITH_MPI" = 1 ]; then
  mpi 3 "$bin/sudoku" spread.txt 2>&1 >/dev/null | grep -E '^[^ ]* (spread.txt:|[0-9]+ more )' | sed 's/^[^:]*:/X:/' >spread.mpi
  same_file spread.mpi spread.omp
fi
# a NUL byte after the first block, and a line over 1 MiB: rejected lines
{ awk 1 "$data/textbook/sudoku-top95.txt"; sed -n 1p three.txt | tr -d '\n'; printf ' \0 x\n'; } >late_nul.txt
expect_status 3 "$bin/sudoku-omp" late_nul.txt
expect_stderr 'late_nul.txt:96: NUL byte at column 83$'
{ head -c $((1 << 20)) /dev/zero | tr '\0' ' '; printf 'x\n'; cat three.txt; } >wide.txt
expect_status 3 "$bin/sudoku-omp" wide.txt
expect_stderr 'wide.txt:1: line longer than 1048576 bytes$'
[ "$(grep -vc '^invalid' "$TMP/last.out")" = 3 ] || fail "wide.txt: puzzles after the long line lost"
ok

# ---- randompix (nothing listens on port 9, discard: every fetch fails at once) --
if [ "$CONCUR_WITH_CURL" = 1 ]; then
  rp=$bin/randompix
  u=http://127.0.0.1:9
  printf '\xef\xbb\xbf%s/a\r%s/b\r\n%s/c\n%s/d' "$u" "$u" "$u" "$u" >urls.txt
  expect_status 1 "$rp" --list urls.txt --out o -q --retries 0
  expect_stderr "^randompix: urls.txt:1: $u/a: "
  expect_stderr "^randompix: urls.txt:2: $u/b: "
  expect_stderr "^randompix: urls.txt:3: $u/c: "
  expect_stderr 'ok 0, failed 4'
  expect_status 1 "$rp" --list - --out o -q --retries 0 <urls.txt
  expect_stderr "^randompix: <stdin>:4: $u/d: "
  expect_stderr 'ok 0, failed 4'
  expect_status 1 "$rp" --list /tmp --out o -q
  expect_stderr 'read failed: Is a directory'
  if [ "$CONCUR_WITH_MPI" = 1 ]; then
    # standard input reaches rank 0 only: it shares the list out (else rank
    # 1 would have nothing, and half the list would be lost)
    expect_status 1 mpi 2 "$bin/randompix-mpi" --list - --out o -q --retries 0 <urls.txt
    expect_stderr 'ok 0, failed 4'
    expect_stderr "<stdin>:4: $u/d: "
  fi
fi

pass
