#!/usr/bin/env bash
# primer: each demo's verdict and the facts it rests on, read from its output.
#   primer.sh race | sync | queue | pool | basics
# Every run is wrapped in `timeout` so that a hang fails instead of stalling.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
primer=$CONCUR_BIN/primer
section=${1:?say which section}

run() { expect_status "$@"; }
# value KEY: the number after KEY= in the last run's verdict line.
value() { sed -n "s/^verdict: .*[ (]$1=\([0-9.]*\).*/\1/p" "$TMP/last.out" | head -1; }
verdict_has() {
  grep -q "^verdict: ok: .*$1" "$TMP/last.out" || fail "verdict lacks '$1': $(grep '^verdict' "$TMP/last.out")"
  ok
}
# The consumer's "got N" lines, in order, as one line.
got_list() { sed -n 's/.*  got \([0-9]*\)$/\1/p' "$TMP/last.out" | tr '\n' ' ' | sed 's/ $//'; }
fib='0 1 1 2 3 5 8 13 21 34'
# mpi N prog... with a time limit (mpi is a function: `timeout` cannot run it).
mpi_limited() {
  local n=$1; shift
  # shellcheck disable=SC2086
  ASAN_OPTIONS=detect_leaks=0 timeout 60 $CONCUR_MPIRUN -np "$n" "$@"
}

case $section in
race)
  # Protected: exact at 2, 4 and 8 workers, with each construct.
  for guard in --lock --atomic --critical; do
    for w in 2 4 8; do
      run 0 timeout 60 "$primer" race "$guard" --threads "$w" -n 100
      verdict_has "exact: expected=$((w * 100)) final=$((w * 100)) lost=0"
    done
  done
  # Unprotected: updates are lost, and the report adds up.
  for w in 2 4; do
    run 0 timeout 60 "$primer" race --threads "$w" -n 100
    e=$(value expected) f=$(value final) l=$(value lost)
    [ "$e" = $((w * 100)) ] || fail "expected=$e"
    [ "$l" = $((e - f)) ] || fail "lost=$l but expected - final = $((e - f))"
    [ "$l" -gt 0 ] || fail "the unprotected race lost no update: $(tail -1 "$TMP/last.out")"
    ok
  done
  run 2 "$primer" race --lock --atomic
  run 2 "$primer" race --ordered
  ;;
sync)
  # Deadlock: detected by the timed locks within about the timeout, reported,
  # and the program ends; --ordered completes.
  t0=$(date +%s.%N)
  run 0 timeout 30 "$primer" deadlock --timeout 0.5
  t1=$(date +%s.%N)
  verdict_has 'deadlock detected and reported'
  waited=$(value waited)
  [ "$(value gave_up)" -ge 1 ] || fail "no worker gave up"
  awk "BEGIN { exit !($waited >= 0.5 && $waited < 2.0 && $t1 - $t0 < 3.0) }" ||
    fail "waited=$waited s for a 0.5 s timeout, run took $(awk "BEGIN { print $t1 - $t0 }") s"
  ok
  grep -q 'gave up on lock-. after .* while holding lock-.: deadlock' "$TMP/last.out" || fail "no report"
  ok
  run 0 timeout 30 "$primer" deadlock --ordered --timeout 5
  verdict_has 'completed, no deadlock: completed=2 gave_up=0'

  # Thread-local values survive the barrier in every thread.
  for w in 2 4 8; do
    run 0 timeout 30 "$primer" local --threads "$w"
    verdict_has "kept: threads=$w each kept"
    [ "$(grep -c 'after the barrier: local=.* (kept)' "$TMP/last.out")" = "$w" ] || fail "kept lines"
    ok
    for t in $(seq 0 $((w - 1))); do
      grep -q "thread $t  *after the barrier: local=$((100 + t)) (kept)" "$TMP/last.out" ||
        fail "thread $t lost its value"
    done
    ok
  done

  # The stop flag stops the worker within 2 periods; it is joined.
  run 0 timeout 30 "$primer" stop --period 0.1 --after 0.35
  verdict_has 'stopped latency='
  awk "BEGIN { exit !($(value latency) <= 0.2) }" || fail "latency $(value latency) s > 2 periods"
  [ "$(grep -c '  fib  *[0-9]*$' "$TMP/last.out")" -ge 2 ] || fail "too few numbers printed"
  ok

  # The event wakes the waiter, after it fired (and the short wait timed out).
  run 0 timeout 30 "$primer" event --after 0.2
  verdict_has 'short wait timed out, then it woke'
  grep -q 'returned not set (timed out)' "$TMP/last.out" || fail "first wait"
  ok
  ;;
queue)
  # Exactly the Fibonacci numbers up to 35, in order, then the sentinel:
  # threads, processes, and MPI ranks.
  run 0 timeout 30 "$primer" queue
  verdict_has "received $fib in order, then the sentinel stopped it"
  [ "$(got_list)" = "$fib" ] || fail "threads: consumer got '$(got_list)'"
  ok
  grep -q 'queue full (3/3), waiting' "$TMP/last.out" || fail "the producer never met a full queue"
  ok
  run 0 timeout 30 "$primer" queue --procs
  verdict_has "received $fib in order, then the sentinel stopped it"
  [ "$(got_list)" = "$fib" ] || fail "processes: consumer got '$(got_list)'"
  ok
  if [ "$CONCUR_WITH_MPI" = 1 ]; then
    run 0 mpi_limited 2 "$primer" queue --mpi
    verdict_has "received $fib in order, then the sentinel stopped it"
    [ "$(got_list)" = "$fib" ] || fail "ranks: consumer got '$(got_list)'"
    ok
    [ "$(grep -c '^verdict' "$TMP/last.out")" = 1 ] || fail "more than one rank gave a verdict"
    ok
    run 2 mpi_limited 1 "$primer" queue --mpi
    expect_stderr 'needs 2 ranks'
  else
    run 2 "$primer" queue --mpi
    expect_stderr 'built without MPI'
  fi
  ;;
pool)
  # Never more jobs at once than the pool has workers; every job once.
  for mode in "" --procs; do
    for spec in "3 5" "2 6"; do
      read -r size jobs <<<"$spec"
      # shellcheck disable=SC2086
      run 0 timeout 30 "$primer" pool $mode --threads "$size" -n "$jobs"
      verdict_has "jobs=$jobs on a pool of size=$size"
      if [ "$(value max_running)" -gt "$size" ] || [ "$(value max_overlap)" -gt "$size" ]; then
        fail "pool $mode of $size ran more at once: $(tail -1 "$TMP/last.out")"
      fi
      ok
      [ "$(grep -c 'job [0-9]* starts' "$TMP/last.out")" = "$jobs" ] || fail "not $jobs job starts"
      ok
      [ "$(value max_running)" -ge 2 ] || fail "the pool never ran jobs side by side"
      ok
    done
  done
  ;;
basics)
  run 0 "$primer" list
  [ "$(wc -l <"$TMP/last.out")" = 11 ] || fail "list: $(cat "$TMP/last.out")"
  ok
  for demo in start info process interleave; do
    run 0 timeout 30 "$primer" "$demo"
    verdict_has ''
  done
  run 0 "$primer" start -n 4
  verdict_has 'result=30 (want 30)'
  run 0 "$primer" info
  verdict_has 'threads before=1 during=3 after=1'
  run 0 "$primer" process
  verdict_has 'exit status=14 (want 14)'
  grep -q 'child processes after reaping: 0' "$TMP/last.out" || fail "child not reaped"
  ok
  run 0 "$primer" interleave -n 4
  [ "$(grep -c '  star  *star [0-9]' "$TMP/last.out")" = 4 ] || fail "star lines"
  ok
  run 2 "$primer"
  run 2 "$primer" nosuchdemo
  expect_stderr "unknown demo 'nosuchdemo'"
  run 2 "$primer" race -n abc
  run 2 "$primer" queue --procs --mpi
  run 2 "$primer" start extra
  run 0 "$primer" race --help
  grep -q 'Usage: primer race' "$TMP/last.out" || fail "race --help"
  ok
  run 0 "$primer" --version
  ;;
*) fail "unknown section $section" ;;
esac
pass "$section"
