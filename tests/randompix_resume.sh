#!/usr/bin/env bash
# randompix --resume against the fault server: a body cut mid-way leaves
# NAME.part; the next attempt (a retry, or the next run) asks for the rest
# with Range (and If-Range) and the file ends byte-identical, with the
# SHA-256 of the whole file; a 200 answer to the Range starts it over
# cleanly; a 206 with the wrong Content-Range or another ETag is refused
# and the file fetched again whole; a changed file (If-Range) comes whole.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/randompix_servers.sh
. "$(dirname "$0")/randompix_servers.sh"
rpx_test_setup
python3 "$CONCUR_TESTS/randompix_images.py" "$TMP/img" 1 200000 5 || fail "cannot make an image"
img=$TMP/img/img00000.png
size=$(stat -c %s "$img")
python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); open(sys.argv[2],"wb").write(d[::-1])' "$img" "$TMP/reversed" || fail "python"
start_faults "$img"
b=http://127.0.0.1:$FAULT_PORT
fast=(--names remote --resume --retry-delay 0.01 -q)
# ranges KEY: the Range and If-Range headers of the requests for KEY, one a line.
ranges() { awk -v k="/range-req/$1" '$2 == k {print $3, $4}' "$FAULT_LOG"; }

# A cut, then the next run continues it.
for mode in async threads serial; do
  k=run-$mode
  echo "$b/range/$k?mode=ok&cut=70000" >"$TMP/$k.txt"
  expect_status 1 "$rp" --list "$TMP/$k.txt" --mode "$mode" --out "$TMP/$mode" --retries 0 "${fast[@]}"
  [ "$(stat -c %s "$TMP/$mode/$k.part")" = 70000 ] || fail "$mode: the .part holds $(stat -c %s "$TMP/$mode/$k.part" 2>&1) bytes"; ok
  expect_status 0 "$rp" --list "$TMP/$k.txt" --mode "$mode" --out "$TMP/$mode" --manifest "$TMP/$k.jsonl" "${fast[@]}"
  same_file "$TMP/$mode/$k.png" "$img"
  [ ! -e "$TMP/$mode/$k.part" ] || fail "$mode: .part left"; ok
  [ "$(ranges "$k" | tail -n 1)" = 'bytes=70000- "v1"' ] || fail "$mode: requests: $(ranges "$k")"; ok
  grep -q "\"sha256\":\"$(sha256sum "$img" | cut -d' ' -f1)\"" "$TMP/$k.jsonl" || fail "$mode: SHA-256 in the manifest: $(cat "$TMP/$k.jsonl")"; ok
  grep -q "\"bytes\":$size," "$TMP/$k.jsonl" || fail "$mode: bytes in the manifest"; ok
  python3 -c 'import os, sys; sys.exit(any("randompix" in a for a in os.listxattr(sys.argv[1])))' "$TMP/$mode/$k.png" ||
    fail "$mode: the validator stays on the file"; ok
done

# A cut, and the retry of the same run continues it.
echo "$b/range/retry?mode=ok" >"$TMP/retry.txt"
expect_status 0 "$rp" --list "$TMP/retry.txt" --out "$TMP/r" --retries 1 "${fast[@]}"
same_file "$TMP/r/retry.png" "$img"
[ "$(ranges retry | wc -l)" = 2 ] && [ "$(ranges retry | tail -n 1 | cut -d' ' -f1)" = "bytes=$((size / 2))-" ] ||
  fail "retry: requests $(ranges retry)"; ok

# The server answers the Range with a 200: the file starts over, not appended.
echo "$b/range/ignore?mode=ignore" >"$TMP/ignore.txt"
expect_status 1 "$rp" --list "$TMP/ignore.txt" --out "$TMP/i" --retries 0 "${fast[@]}"
expect_status 0 "$rp" --list "$TMP/ignore.txt" --out "$TMP/i" "${fast[@]}"
same_file "$TMP/i/ignore.png" "$img"
[ "$(ranges ignore | wc -l)" = 2 ] || fail "200 to a Range: $(ranges ignore | wc -l) requests"; ok

# A 206 that does not continue the .part (wrong start; another ETag): refused,
# the file fetched again without a Range.
for m in badrange etag206; do
  echo "$b/range/$m?mode=$m" >"$TMP/$m.txt"
  expect_status 1 "$rp" --list "$TMP/$m.txt" --out "$TMP/$m" --retries 0 "${fast[@]}"
  expect_status 0 "$rp" --list "$TMP/$m.txt" --out "$TMP/$m" --retries 0 --retry-delay 0.01 --names remote --resume
  expect_stderr 'does not continue .*starting over'
  same_file "$TMP/$m/$m.png" "$img"
  [ "$(ranges "$m" | wc -l)" = 3 ] && [ "$(ranges "$m" | tail -n 1)" = '- -' ] || fail "$m: requests $(ranges "$m")"; ok
done

# The file changed on the server: If-Range with the old ETag brings the new one whole.
echo "$b/range/changed?mode=changed" >"$TMP/changed.txt"
expect_status 1 "$rp" --list "$TMP/changed.txt" --out "$TMP/c" --retries 0 "${fast[@]}"
expect_status 0 "$rp" --list "$TMP/changed.txt" --out "$TMP/c" "${fast[@]}"
same_file "$TMP/c/changed.png" "$TMP/reversed"

# Ctrl-C mid-body keeps the .part with --resume; the next run completes it.
echo "$b/drip?secs=6&name" >"$TMP/drip.txt"
"$rp" --list "$TMP/drip.txt" --out "$TMP/d" "${fast[@]}" &
pid=$!
at_exit "kill -9 $pid 2>/dev/null"
for _ in $(seq 100); do [ -s "$TMP/d/drip.part" ] && break; sleep 0.05; done
sleep 0.5
kill -INT "$pid"
status=0; wait "$pid" || status=$?
[ "$status" = 130 ] || fail "SIGINT: exit $status"; ok
[ -s "$TMP/d/drip.part" ] || fail "SIGINT with --resume: no .part kept"; ok
expect_status 2 "$rp" --list "$TMP/drip.txt" --resume
expect_stderr 'needs --names remote'
pass
