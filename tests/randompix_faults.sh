#!/usr/bin/env bash
# randompix against a fault-injecting server on 127.0.0.1: retries happen on
# 5xx, 408, 429 (after Retry-After), timeouts, resets and short bodies, and
# never on other 4xx, redirect loops, non-images or oversized bodies; failed
# attempts leave no file and no .part; saved files are byte-identical.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/randompix_servers.sh
. "$(dirname "$0")/randompix_servers.sh"
rpx_test_setup
python3 "$CONCUR_TESTS/randompix_images.py" "$TMP/img" 1 30000 5 || fail "cannot make an image"
img=$TMP/img/img00000.png
start_faults "$img"
base=http://127.0.0.1:$FAULT_PORT
fast=(--retry-delay 0.02 -q)

# only_images DIR [COUNT]: DIR holds only complete copies of the image (and
# COUNT of them), no .part file.
only_images() {
  local f n=0
  find "$1" -name '*.part' | grep -q . && fail "$1: .part file left"
  for f in "$1"/*; do
    [ -e "$f" ] || continue
    cmp -s "$f" "$img" || fail "$f differs from the served image"
    n=$((n + 1))
  done
  [ -z "${2:-}" ] || [ "$n" = "$2" ] || fail "$1: $n files, expected $2"
  ok
}
# attempts PATTERN N: the server saw N requests matching PATTERN.
attempts() {
  local got; got=$(hits "$1")
  [ "$got" = "$2" ] || fail "$1: $got requests, expected $2"
  ok
}

for mode in serial threads async; do
  o=$TMP/$mode
  # 5xx then success: retried exactly as often as it failed.
  expect_status 0 "$rp" -n 1 --url "$base/flaky/$mode?n=2" --retries 3 --mode "$mode" --out "$o" "${fast[@]}"
  expect_stderr 'ok 1, failed 0, retried 2'
  attempts "^/flaky/$mode\\?" 3
  # A 503 and a 408 are retried too.
  expect_status 0 "$rp" -n 1 --url "$base/flaky/$mode-503?n=1&code=503" --mode "$mode" --out "$o" "${fast[@]}"
  expect_status 0 "$rp" -n 1 --url "$base/flaky/$mode-408?n=1&code=408" --mode "$mode" --out "$o" "${fast[@]}"
  attempts "^/flaky/$mode-503" 2
  attempts "^/flaky/$mode-408" 2
  # Always 5xx: gives up after 1 + retries attempts.
  expect_status 1 "$rp" -n 1 --url "$base/flaky/$mode-bad?n=99" --retries 2 --mode "$mode" --out "$o" --retry-delay 0.02
  expect_stderr 'HTTP 500; retry 1 of 2'
  expect_stderr 'HTTP 500 \(gave up after 3 attempts\)'
  attempts "^/flaky/$mode-bad" 3
  # 4xx: never retried.
  for code in 404 403 410; do
    expect_status 1 "$rp" -n 1 --url "$base/status/$code?$mode" --retries 3 --mode "$mode" --out "$o" "${fast[@]}"
    expect_stderr "HTTP $code\$"
    attempts "^/status/$code\\?$mode" 1
  done
  only_images "$o" 3
done

o=$TMP/misc
# 429 with Retry-After: 1 is honoured (the second request waits about 1 s,
# although the backoff alone would be 0.02 s).
expect_status 0 "$rp" -n 1 --url "$base/retry-after/a?n=1&after=1" --out "$o" "${fast[@]}"
attempts '^/retry-after/a' 2
gap=$(awk '$2 ~ /^\/retry-after\/a/ {t[n++]=$1} END {printf "%d", (t[1]-t[0])*1000}' "$FAULT_LOG")
[ "$gap" -ge 900 ] || fail "Retry-After: 1 not honoured: second request after $gap ms"; ok

# A server that never answers: --timeout ends each attempt; retried.
start=$(date +%s.%N)
expect_status 1 "$rp" -n 1 --url "$base/hang?a" --timeout 1 --retries 1 --out "$o" --retry-delay 0.02
expect_stderr 'Operation timed out|timed out'
attempts '^/hang\?a' 2
awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {exit !(e - s < 8)}' || fail "hang took too long"; ok
# A connection closed without an answer (reset), a body cut short (chunked and
# with a Content-Length larger than the body): retried, then failed, no file.
for f in reset truncated wronglen; do
  expect_status 1 "$rp" -n 1 --url "$base/$f" --retries 1 --out "$o" --retry-delay 0.02
  expect_stderr 'gave up after 2 attempts'
  attempts "^/$f\$" 2
done
# A slow drip within the timeout is fine; beyond it, it fails.
expect_status 0 "$rp" -n 1 --url "$base/drip?secs=1" --timeout 10 --out "$o" -q
expect_status 1 "$rp" -n 1 --url "$base/drip?secs=4" --timeout 1 --retries 0 --out "$o" -q
expect_stderr 'timed out'
# A redirect loop fails once, without retries (1 request + 10 redirects).
expect_status 1 "$rp" -n 1 --url "$base/loop" --retries 3 --out "$o" -q
expect_stderr 'redirect'
attempts '^/loop$' 11
# Not an image: refused, not retried.
expect_status 1 "$rp" -n 1 --url "$base/html" --retries 3 --out "$o" -q
expect_stderr 'not an image'
attempts '^/html$' 1
# Too big: refused early (Content-Length) or while streaming (chunked), not retried.
expect_status 1 "$rp" -n 1 --url "$base/huge?mb=50" --max-size 1Mi --retries 3 --out "$o" -q
expect_stderr 'larger than --max-size'
expect_status 1 "$rp" -n 1 --url "$base/huge-chunked?mb=50" --max-size 1Mi --retries 3 --out "$o" -q
expect_stderr 'larger than --max-size'
attempts '^/huge' 2
# Answers that asking again cannot mend: headers over libcurl's limits (one
# line of 200 kB; 1 MB of 1 kB lines) and statuses of 600 and more. One clear
# line each (not "Out of memory"), no retry.
expect_status 1 "$rp" -n 1 --url "$base/big-header?kb=200" --retries 3 --out "$o" "${fast[@]}"
expect_stderr 'big-header\?kb=200: response header too large'
expect_status 1 "$rp" -n 1 --url "$base/many-headers?n=1000" --retries 3 --out "$o" "${fast[@]}"
expect_stderr 'many-headers\?n=1000: response header too large'
attempts '^/big-header' 1
attempts '^/many-headers' 1
expect_status 0 "$rp" -n 1 --url "$base/big-header?kb=50" --out "$TMP/smallhdr" -q
for code in 600 999; do
  expect_status 1 "$rp" -n 1 --url "$base/status/$code" --retries 3 --out "$o" "${fast[@]}"
  expect_stderr "status/$code: HTTP $code is not a valid status \(100-599\)"
  attempts "^/status/$code\$" 1
done
only_images "$TMP/smallhdr" 1
# Server text reaches the terminal escaped: a Content-Type that would clear
# the screen and retitle the window, and the output folder's name in the
# saved names on stdout.
expect_status 1 "$rp" -n 1 --url "$base/evil-type" --out "$o" -q
expect_stderr 'not an image \(Content-Type: text/\\x1b\[2J\\x1b\]0;owned\\x07x\)'
evil_out=$TMP/$'o\e[2Jut'
expect_status 0 "$rp" -n 1 --url "$base/ok" --out "$evil_out"
grep -qE '^.*/o\\x1b\[2Jut/[0-9a-f]{8}\.png$' "$TMP/last.out" || fail "bad name line: $(cat -A "$TMP/last.out")"; ok
LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]' "$TMP/last.out" "$TMP/last.err" && fail "raw control bytes printed"; ok
# A flood of one kind of failure prints 20 lines and a count, in every mode;
# retry notes too.
for mode in serial threads async; do
  expect_status 1 "$rp" -n 100 --url "$base/status/500?flood-$mode" --retries 1 --retry-delay 0.001 \
    --jobs 4 --mode "$mode" --out "$o"
  [ "$(grep -c 'flood.*HTTP 500; retry 1 of 1' "$TMP/last.err")" = 20 ] || fail "$mode: not 20 retry notes"; ok
  [ "$(grep -c 'flood.*HTTP 500 (gave up' "$TMP/last.err")" = 20 ] || fail "$mode: not 20 failures"; ok
  expect_stderr '^randompix: 80 more "retry: HTTP 500" messages not shown$'
  expect_stderr '^randompix: 80 more "HTTP 500" messages not shown$'
  expect_stderr 'ok 0, failed 100, retried 100'
  [ "$(wc -l <"$TMP/last.err")" = 43 ] || fail "$mode: $(wc -l <"$TMP/last.err") lines on stderr"; ok
done
# The other content types get their extensions.
for t in jpeg gif webp; do
  expect_status 0 "$rp" -n 1 --url "$base/type/$t" --out "$TMP/types" -q
done
[ "$(cd "$TMP/types" && ls | sed 's/^[0-9a-f]\{8\}//' | sort | tr '\n' ' ')" = ".gif .jpg .webp " ] ||
  fail "bad extensions: $(ls "$TMP/types")"; ok
only_images "$o" 2
only_images "$TMP/types" 3

# Everything at once, in every mode: exact counts, exit 1, only good files.
: >"$FAULT_LOG"
for mode in serial threads async; do
  {
    for i in 1 2 3 4 5; do echo "$base/ok?$mode$i"; done
    echo "$base/flaky/mix-$mode?n=1"
    echo "$base/status/404?mix-$mode"
    echo "$base/truncated?mix-$mode"
    echo "$base/html?mix-$mode"
    echo "$base/hang?mix-$mode"
    echo "$base/drip?secs=0.3&mix-$mode"
  } >"$TMP/mix.txt"
  expect_status 1 "$rp" --list "$TMP/mix.txt" --mode "$mode" --jobs 4 --timeout 1.5 --retries 1 \
    --out "$TMP/mix-$mode" --retry-delay 0.02 -q
  expect_stderr 'ok 7, failed 4, retried 3'
  only_images "$TMP/mix-$mode" 7
done
# A long error page is judged by its status (retried), not by --max-size.
expect_status 0 "$rp" -n 1 --url "$base/flaky/bigerr?n=1&size=3000000" --max-size 100k --out "$TMP/bigerr" "${fast[@]}"
expect_stderr 'ok 1, failed 0, retried 1'
only_images "$TMP/bigerr" 1
# More retries waiting than transfer slots: all come back, none is lost.
for i in $(seq 20); do echo "$base/flaky/pile$i?n=2"; done >"$TMP/pile.txt"
expect_status 0 "$rp" --list "$TMP/pile.txt" --jobs 2 --retry-delay 0.2 --out "$TMP/pile" -q
expect_stderr 'ok 20, failed 0, retried 40'
only_images "$TMP/pile" 20
# The async engine keeps going while a transfer hangs: 20 images and one hang
# with --timeout 3 finish in about 3 s, not 20 x anything.
{ echo "$base/hang?par"; for i in $(seq 20); do echo "$base/drip?secs=0.2&p$i"; done; } >"$TMP/par.txt"
start=$(date +%s.%N)
expect_status 1 "$rp" --list "$TMP/par.txt" --timeout 3 --retries 0 --out "$TMP/par" -q
expect_stderr 'ok 20, failed 1'
awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {exit !(e - s < 6)}' || fail "async engine blocked behind a hang"; ok
only_images "$TMP/par" 20
pass
