#!/usr/bin/env bash
# randompix --per-host, --rate and the default --max-size of --url runs,
# against the fault server: the server's own count of concurrent requests
# per Host never exceeds --per-host (two hosts: each capped, both served at
# once), in async and threads mode; --rate paces the bytes of the whole
# run; a Content-Length of 10^12 is refused before any byte is written.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/randompix_servers.sh
. "$(dirname "$0")/randompix_servers.sh"
rpx_test_setup
python3 "$CONCUR_TESTS/randompix_images.py" "$TMP/img" 1 50000 3 || fail "cannot make an image"
start_faults "$TMP/img/img00000.png"
p=$FAULT_PORT
# peak HOST: the most requests of HOST the server answered at once.
peak() { awk -v k="/conc-active/$1" '$2 == k && $3 > m {m = $3} END {print m + 0}' "$FAULT_LOG"; }

{ for i in $(seq 24); do echo "http://127.0.0.1:$p/conc/a$i"; echo "http://localhost:$p/conc/b$i"; done; } >"$TMP/two.txt"
for mode in async threads; do
  : >"$FAULT_LOG"
  expect_status 0 "$rp" --list "$TMP/two.txt" --mode "$mode" --jobs 20 --per-host 3 --out "$TMP/$mode" -q
  for h in "127.0.0.1:$p" "localhost:$p"; do
    [ "$(peak "$h")" -le 3 ] || fail "$mode: $(peak "$h") requests at once to $h with --per-host 3"
    [ "$(peak "$h")" -ge 2 ] || fail "$mode: never 2 requests at once to $h: the cap serialises"
  done; ok
  [ "$(find "$TMP/$mode" -type f | wc -l)" = 48 ] || fail "$mode: $(find "$TMP/$mode" -type f | wc -l) files"; ok
done
# Without the cap the same run has more than 3 at once (so the check above can fail).
: >"$FAULT_LOG"
expect_status 0 "$rp" --list "$TMP/two.txt" --jobs 20 --out "$TMP/nocap" -q
[ "$(peak "127.0.0.1:$p")" -gt 3 ] || fail "without --per-host only $(peak "127.0.0.1:$p") at once"; ok

# --rate 250k: 10 images of 50 kB take about 2 s, in async and threads mode.
for mode in async threads; do
  t0=$(date +%s.%N)
  expect_status 0 "$rp" -n 10 --url "http://127.0.0.1:$p/ok" --mode "$mode" --jobs 5 --rate 250k --out "$TMP/rate-$mode" -q
  t=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {print b - a}')
  awk -v t="$t" 'BEGIN {exit !(t >= 1.6 && t < 6)}' || fail "$mode: 500 kB at --rate 250k took $t s"; ok
done

# A server that claims 10^12 bytes: refused at once by the default --max-size of --url runs.
t0=$(date +%s.%N)
expect_status 1 "$rp" -n 1 --url "http://127.0.0.1:$p/claim" --out "$TMP/claim"
expect_stderr 'larger than --max-size'
awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {exit !(b - a < 5)}' || fail "the 10^12 claim took long"; ok
[ -z "$(find "$TMP/claim" -type f)" ] || fail "a file was written: $(find "$TMP/claim" -type f)"; ok
expect_status 2 "$rp" -n 1 --url "http://127.0.0.1:$p/ok" --per-host 0
pass
