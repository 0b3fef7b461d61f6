#!/usr/bin/env bash
# The progress line of long work (common/progress.c): drawn on a terminal
# (a pseudo-terminal made by util-linux `script`), never in redirected output,
# not for short runs, and never mixed into the results.
. "$(dirname "$0")/lib.sh"
command -v script >/dev/null || skip "script (util-linux) is not installed"
puzzles=$CONCUR_SRC/tests/data/sudoku/tdoku/puzzles2_17_clue

# on_tty FILE CMD...: run CMD with stdin, stdout and stderr on a new pty;
# everything it drew lands in FILE.
on_tty() {
  local out=$1; shift
  script -qec "$(printf '%q ' "$@")" /dev/null </dev/null >"$out" 2>&1 || true
}
drew() { grep -aqE "$2" "$1"; } # drew FILE PATTERN

export CONCUR_PROGRESS_AFTER=0 # draw at once, so that a short test shows it
on_tty "$TMP/m.tty" "$CONCUR_BIN/msort-omp" -n 2M -r 3 -o "$TMP/m.out"
drew "$TMP/m.tty" 'msort-omp: sort +[0-9]+%' || fail "no sort progress on a terminal: $(cat -v "$TMP/m.tty" | head -c 400)"
drew "$TMP/m.tty" 'msort-omp: write' || fail "no write progress on a terminal"
grep -aq $'\033\[K' "$TMP/m.tty" || fail "the progress line is not erased"
ok
# within one sort the merges move the share (the top levels counted while a
# line is drawn; the same sorted output)
CONCUR_SIMD=scalar on_tty "$TMP/one.tty" "$CONCUR_BIN/msort-omp" -n 20M -t 1 -o "$TMP/one.out"
drew "$TMP/one.tty" 'msort-omp: sort +([1-9]|[1-9][0-9])%' || fail "no share within one sort: $(cat -v "$TMP/one.tty" | head -c 400)"
CONCUR_SIMD=scalar "$CONCUR_BIN/msort-omp" -n 20M -t 1 -o "$TMP/one.ref" 2>/dev/null
same_file "$TMP/one.out" "$TMP/one.ref"
rm -f "$TMP/one.out" "$TMP/one.ref"
"$CONCUR_BIN/msort-omp" -n 2M -r 3 -o "$TMP/m.ref" 2>"$TMP/m.err"
same_file "$TMP/m.out" "$TMP/m.ref"
grep -q $'\r' "$TMP/m.err" && fail "progress in redirected stderr: $(cat -v "$TMP/m.err")"
grep -q 'sort ' "$TMP/m.err" && fail "progress text in redirected stderr"
ok

on_tty "$TMP/s.tty" "$CONCUR_BIN/sudoku-omp" -r 3 -o "$TMP/s.out" "$puzzles"
drew "$TMP/s.tty" 'sudoku-omp: solve +[0-9]+% .*puzzles/s' || fail "no solve progress on a terminal: $(cat -v "$TMP/s.tty" | head -c 400)"
ok
"$CONCUR_BIN/sudoku-omp" -r 3 -o "$TMP/s.ref" "$puzzles" 2>"$TMP/s.err"
same_file "$TMP/s.out" "$TMP/s.ref"
grep -q $'\r' "$TMP/s.err" && fail "progress in redirected stderr: $(head -c 300 "$TMP/s.err" | cat -v)"
ok
# results on the terminal itself: the line is erased before they come, so a
# result line never starts with progress text
on_tty "$TMP/r.tty" "$CONCUR_BIN/sudoku-omp" "$CONCUR_SRC/tests/data/sudoku/norvig/easy50.txt"
tr '\r' '\n' <"$TMP/r.tty" | grep -aE '^[0-9]{81}' >/dev/null || fail "no result lines on the terminal"
tr '\r' '\n' <"$TMP/r.tty" | grep -aE 'solve.*[0-9]{81}' && fail "progress text mixed into a result line"
ok

# short runs draw nothing with the default delay (2 s); CONCUR_PROGRESS=0 forbids it
CONCUR_PROGRESS_AFTER='' on_tty "$TMP/q.tty" "$CONCUR_BIN/msort-omp" -n 100k
drew "$TMP/q.tty" 'msort-omp: (sort|generate)' && fail "a short run drew progress: $(cat -v "$TMP/q.tty")"
CONCUR_PROGRESS=0 on_tty "$TMP/z.tty" "$CONCUR_BIN/msort-omp" -n 2M -r 3
drew "$TMP/z.tty" 'msort-omp: sort' && fail "CONCUR_PROGRESS=0 still drew"
ok

# The MPI programs: run alone on a terminal they draw; under mpirun a rank's
# stderr is a pipe, so only CONCUR_PROGRESS=1 turns it on (docs/install.md)
if [ "$CONCUR_WITH_MPI" = 1 ]; then
  export ASAN_OPTIONS=detect_leaks=0
  on_tty "$TMP/p.tty" "$CONCUR_BIN/sudoku" -q -r 3 "$puzzles"
  # (the phase alone: a batch done within the first redraw, 0.25 s, shows no rate)
  drew "$TMP/p.tty" 'sudoku: solve \(rank 0\)' || fail "sudoku alone on a terminal drew nothing: $(cat -v "$TMP/p.tty" | head -c 300)"
  # shellcheck disable=SC2086
  on_tty "$TMP/n.tty" $CONCUR_MPIRUN -np 2 "$CONCUR_BIN/msort" -n 2M -r 3
  drew "$TMP/n.tty" 'msort: sort' && fail "msort under mpirun drew progress without CONCUR_PROGRESS=1"
  # shellcheck disable=SC2086
  on_tty "$TMP/f.tty" $CONCUR_MPIRUN -x CONCUR_PROGRESS=1 -x CONCUR_PROGRESS_AFTER -np 2 "$CONCUR_BIN/msort" -n 2M -r 3
  drew "$TMP/f.tty" 'msort: sort' || fail "msort under mpirun with CONCUR_PROGRESS=1 drew nothing: $(cat -v "$TMP/f.tty" | head -c 300)"
  ok
fi
pass
