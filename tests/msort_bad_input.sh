#!/usr/bin/env bash
# Every bad input of the issue, for msort-omp and (under mpirun) msort: the
# one-line error, the exit code, and no output file left behind.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
mkdir -p "$TMP/out"
printf 'abcdefg' > "$TMP/seven.bin"
printf '1\n2\nabc\n4\n' > "$TMP/bad.txt"
printf '1\n99999999999\n' > "$TMP/range.txt"
printf '1\n5\0garbage\n' > "$TMP/nul.txt"
{ echo 1; head -c 5000 /dev/zero | tr '\0' 7; echo; echo 2; } > "$TMP/long.txt"

# check PROG...: the cases, each with its code and message; out/ stays empty
check() {
  local o="$TMP/out/sorted" full=$1
  shift
  expect_status 3 "$@" --type u64 -i "$TMP/seven.bin" -o "$o"
  expect_stderr "seven.bin: size 7 is not a multiple of the 8-byte u64 element"
  expect_status 3 "$@" --type i32 -f text -i "$TMP/bad.txt" -o "$o"
  expect_stderr "bad.txt:3: 'abc' is not an i32 number"
  expect_status 3 "$@" --type u32 -f text -i "$TMP/range.txt" -o "$o"
  expect_stderr "range.txt:2: '99999999999' is out of range for u32"
  # a NUL byte is a bad record, not the end of the value; a line over the
  # limit is a bad record, never read whole; a read that fails is an error
  expect_status 3 "$@" -f text -i "$TMP/nul.txt" -o "$o"
  expect_stderr "nul.txt:2: NUL byte at column 2$"
  expect_status 3 "$@" -f text -i "$TMP/long.txt" -o "$o"
  expect_stderr "long.txt:2: line longer than 4096 bytes: not a number"
  expect_status 1 "$@" -f text -i "$TMP" -o "$o"
  expect_stderr "read failed: Is a directory"
  if [ "$full" = 1 ]; then # option parsing is shared: once is enough
    expect_status 2 "$@" --type u16 -o "$o"
    expect_stderr "--type: .*u16"
  fi
  expect_status 1 "$@" -n 100G -o "$o"
  expect_stderr "need .* of memory"
  expect_status 1 "$@" -i "$TMP/missing.bin" -o "$o"
  expect_stderr "missing.bin: cannot open input: No such file"
  expect_status 1 "$@" -n 100 -o "$TMP/no/such/dir/out"
  expect_stderr "cannot create output file"
  if [ "$full" = 1 ]; then
    expect_status 2 "$@" -n 12abc
    expect_stderr "trailing junk"
    expect_status 2 "$@" -n -1
    expect_status 2 "$@" -i "$TMP/seven.bin" -n 5
    expect_stderr "conflicts"
    expect_status 2 "$@" --type rec100 -f text -n 5
    expect_status 2 "$@" --bogus
    expect_stderr "unknown option"
  fi
  [ -z "$(ls -A "$TMP/out")" ] || fail "left behind: $(ls -A "$TMP/out")"
  ok
  # -n 0 is valid: an empty output
  expect_status 0 "$@" -n 0 -o "$o"
  [ -f "$o" ] && [ ! -s "$o" ] || fail "-n 0 should give an empty file"
  rm -f "$o"
  ok
}
check 1 "$CONCUR_BIN/msort-omp"
if [ "$CONCUR_WITH_MPI" = 1 ]; then
  check 0 mpi 2 "$CONCUR_BIN/msort"
  # only rank 0 speaks: one usage message, not one per rank
  expect_status 2 mpi 2 "$CONCUR_BIN/msort" --bogus
  [ "$(grep -c "unknown option" "$TMP/last.err")" = 1 ] || fail "usage printed by several ranks"
  ok
fi
pass
