#!/usr/bin/env bash
# The failure classes other downloaders shipped bugs in, one check each
# (docs/randompix.md, "Tests"): under --jobs 50, retries honour Retry-After
# and the backoff (measured from the server's request log, not from our
# own notes); one failed transfer among 1,000 good ones sets the exit
# status, in every mode; 20,000 requests leave 20,000 manifest lines, every
# one saved, every SHA-256 matching its file and a served file.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/randompix_servers.sh
. "$(dirname "$0")/randompix_servers.sh"
rpx_test_setup
python3 "$CONCUR_TESTS/randompix_images.py" "$www/f" 200 1000 11 || fail "cannot make images"
start_nginx "$www"
n=http://127.0.0.1:$NGINX_PORT
start_faults "$www/f/img00000.png"
b=http://127.0.0.1:$FAULT_PORT

# 1. Retry-After and backoff under --jobs 50: 50 items answered 429 +
# Retry-After: 1 once, 50 answered 503 twice (backoff 0.4 s, then 0.8 s,
# each drawn between half and all of it).
{ for i in $(seq 50); do echo "$b/retry-after/ra$i?n=1&after=1"; echo "$b/flaky/bo$i?n=2&code=503"; done; } >"$TMP/retry.txt"
expect_status 0 "$rp" --list "$TMP/retry.txt" --jobs 50 --retry-delay 0.4 --retries 3 --out "$TMP/retry" --json -q
grep '^{' "$TMP/last.err" | grep -q '"ok":100,.*"retried":150,' || fail "retries: $(grep '^{' "$TMP/last.err")"; ok
python3 - "$FAULT_LOG" <<'PY' || fail "retry spacing above"
import collections, sys
times = collections.defaultdict(list)
for line in open(sys.argv[1]):
    t, path = line.split()[:2]
    if path.startswith(("/retry-after/", "/flaky/")):
        times[path.split("?")[0]].append(float(t))
bad = []
for key, ts in times.items():
    gaps = [b - a for a, b in zip(ts, ts[1:])]
    if key.startswith("/retry-after/"):
        ok = len(ts) == 2 and gaps[0] >= 0.95
    else:  # 0.4 s then 0.8 s, each at least half of it
        ok = len(ts) == 3 and gaps[0] >= 0.19 and gaps[1] >= 0.39 and max(gaps) < 5
    if not ok:
        bad.append("%s: %d requests, gaps %s" % (key, len(ts), ["%.3f" % g for g in gaps]))
if len(times) != 100:
    bad.append("%d keys seen, not 100" % len(times))
print("\n".join(bad[:10]))
sys.exit(1 if bad else 0)
PY
ok

# 2. One failure among 1,000 good ones: exit 1, counted once, in every mode.
{ for i in $(seq 0 999); do printf '%s/f/img%05d.png?%d\n' "$n" $((i % 200)) "$i"; [ "$i" = 500 ] && echo "$n/f/missing.png"; done; } >"$TMP/thousand.txt"
for mode in async threads serial; do
  expect_status 1 "$rp" --list "$TMP/thousand.txt" --mode "$mode" --jobs 8 --out "$TMP/k-$mode" --json -q
  grep '^{' "$TMP/last.err" | grep -q '"ok":1000,"failed":1,.*"requested":1001,' || fail "$mode: $(grep '^{' "$TMP/last.err")"; ok
  expect_stderr 'thousand.txt:502: .*missing.png: HTTP 404'
done

# 3. 20,000 requests, none silently skipped.
seq 0 19999 | awk -v n="$n" '{printf "%s/f/img%05d.png?%d\n", n, $1 % 200, $1}' >"$TMP/many.txt"
expect_status 0 "$rp" --list "$TMP/many.txt" --jobs 50 --out "$TMP/many" --manifest "$TMP/many.jsonl" --json -q
python3 "$CONCUR_TESTS/randompix_manifest_check.py" "$TMP/many.jsonl" 20000 saved=20000 || fail "20,000: manifest above"; ok
[ "$(find "$TMP/many" -type f | wc -l)" = 20000 ] || fail "20,000: $(find "$TMP/many" -type f | wc -l) files"; ok
[ "$(wc -l <"$TMP/last.out")" = 20000 ] || fail "20,000: stdout has $(wc -l <"$TMP/last.out") lines"; ok
sha256sum "$www"/f/* | awk '{print $1}' | sort -u >"$TMP/served"
grep -o '"sha256":"[0-9a-f]*"' "$TMP/many.jsonl" | cut -d'"' -f4 | sort -u | comm -23 - "$TMP/served" | grep -q . &&
  fail "20,000: a SHA-256 that no served file has"; ok
[ "$(grep -c '"GET /f/' "$NGINX_LOG")" -ge 20000 ] || fail "nginx saw $(grep -c '"GET /f/' "$NGINX_LOG") requests"; ok
pass
