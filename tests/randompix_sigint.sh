#!/usr/bin/env bash
# Ctrl-C in the middle of a run: transfers in flight are aborted, their files
# removed, completed files stay (byte-identical), the summary is still
# printed and the exit status is 130 (128 + SIGINT), 143 for SIGTERM. Also
# during a retry backoff. kill -9
# leaves only the complete files.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/randompix_servers.sh
. "$(dirname "$0")/randompix_servers.sh"
rpx_test_setup
python3 "$CONCUR_TESTS/randompix_images.py" "$TMP/img" 1 200000 9 || fail "cannot make an image"
img=$TMP/img/img00000.png
start_faults "$img"
base=http://127.0.0.1:$FAULT_PORT

# interrupt MODE OUT ARGS...: run, wait until 4 files are saved and a .part
# exists, send SIGINT, check what is left.
interrupt() {
  local mode=$1 out=$2 pid; shift 2
  "$rp" --mode "$mode" --out "$out" "$@" >"$TMP/int.out" 2>"$TMP/int.err" &
  pid=$!
  at_exit "kill -9 $pid 2>/dev/null"
  interrupt_in_flight "$mode" "$pid" "$out" 6
  grep -qE 'interrupted: [1-9][0-9]* not fetched' "$TMP/int.err" || fail "$mode: no interrupt note: $(cat "$TMP/int.err")"
  grep -qE '^randompix: ok [0-9]+, failed 0, retried 0' "$TMP/int.err" || fail "$mode: no summary: $(cat "$TMP/int.err")"
  find "$out" -name '*.part' | grep -q . && fail "$mode: .part left after SIGINT: $(ls "$out")"
  for f in "$out"/*; do cmp -s "$f" "$img" || fail "$mode: $f is not a complete image"; done
  [ "$(find "$out" -type f | wc -l)" = "$(wc -l <"$TMP/int.out")" ] || fail "$mode: stdout and folder disagree"
  ok
}

# Four quick images, then slow drips (10 s each) that will be in flight.
{ for i in 1 2 3 4; do echo "$base/ok?$i"; done
  for i in $(seq 12); do echo "$base/drip?secs=10&slow$i"; done; } >"$TMP/list.txt"
interrupt async "$TMP/async" --list "$TMP/list.txt" --jobs 8
interrupt threads "$TMP/threads" --list "$TMP/list.txt" --threads 6
interrupt serial "$TMP/serial" --list "$TMP/list.txt"

# Killed (kill -9, which no handler sees) with transfers in flight: the
# files being received have no name yet (O_TMPFILE), so nothing is left but
# the complete images.
"$rp" --out "$TMP/killed" --list "$TMP/list.txt" --jobs 8 >"$TMP/kill.out" 2>/dev/null &
pid=$!
at_exit "kill -9 $pid 2>/dev/null"
for _ in $(seq 200); do
  [ "$(find "$TMP/killed" -name '*.png' 2>/dev/null | wc -l)" -ge 4 ] && in_flight "$TMP/killed" && break
  sleep 0.05
done
in_flight "$TMP/killed" || fail "kill -9: no transfer in flight"
kill -9 "$pid"
wait "$pid" 2>/dev/null
find "$TMP/killed" -name '*.part' | grep -q . && fail "kill -9 left .part files: $(ls "$TMP/killed")"
for f in "$TMP/killed"/*; do cmp -s "$f" "$img" || fail "kill -9: $f is not a complete image"; done
[ "$(find "$TMP/killed" -type f | wc -l)" -ge 4 ] || fail "kill -9: the saved images are gone"; ok

# Interrupted while waiting to retry (a 5 s backoff): stops at once.
"$rp" -n 1 --url "$base/flaky/int?n=9" --retry-delay 5 --out "$TMP/backoff" >/dev/null 2>"$TMP/b.err" &
pid=$!
at_exit "kill -9 $pid 2>/dev/null"
for i in $(seq 100); do grep -q 'retry 1 of 3' "$TMP/b.err" && break; sleep 0.05; done
kill -INT "$pid"
for i in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$pid" 2>/dev/null && fail "still waiting for a retry 3 s after SIGINT"
status=0; wait "$pid" || status=$?
[ "$status" = 130 ] || fail "backoff interrupted: exit $status"; ok
grep -q 'interrupted: 1 not fetched' "$TMP/b.err" || fail "no interrupt note: $(cat "$TMP/b.err")"; ok
pass
