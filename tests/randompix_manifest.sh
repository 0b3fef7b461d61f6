#!/usr/bin/env bash
# randompix --manifest, --failed, --skip-existing and the accounting, against
# a real nginx on 127.0.0.1: one JSON line per requested item whose SHA-256
# matches the saved file; requested = saved + failed + skipped + not fetched
# in the summary, the JSON and the manifest; --failed lists exactly the
# failures and `--list FAILED` requests exactly those; --skip-existing
# requests only what is missing, in every mode and under MPI; a killed run
# leaves whole lines; SIGTERM exits 143 with every item accounted for.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/randompix_servers.sh
. "$(dirname "$0")/randompix_servers.sh"
rpx_test_setup
check=$CONCUR_TESTS/randompix_manifest_check.py
www=$TMP/www
python3 "$CONCUR_TESTS/randompix_images.py" "$www/img" 30 20000 || fail "cannot make images"
start_nginx "$www"
base=http://127.0.0.1:$NGINX_PORT
{ for i in $(seq 0 29); do printf '%s/img/img%05d.png\n' "$base" "$i"; done
  echo "$base/img/nope1.png"; echo "$base/img/nope2.png"; } >"$TMP/list.txt"
cd "$TMP" || fail "no $TMP"
# requests PATTERN: nginx requests (since the log was last emptied) matching PATTERN.
requests() { grep -c -- "$1" "$NGINX_LOG" || true; }
json_of() { grep '^{' "$TMP/last.err" | tail -n 1; }
# json_is MEMBER VALUE: the --json line of the last run says so.
json_is() { json_of | grep -q "\"$1\":$2[,}]" || fail "JSON $1 is not $2: $(json_of)"; ok; }

for mode in serial threads async; do
  d=$TMP/$mode m=$TMP/$mode.jsonl
  : >"$NGINX_LOG"
  expect_status 1 "$rp" --list list.txt --mode "$mode" --jobs 4 --out "$d" --manifest "$m" --failed "$mode.failed" --json -q
  python3 "$check" "$m" 32 saved=30 failed=2 not_started=0 || fail "$mode: manifest above"; ok
  # each saved file is byte-identical to the one served from its URL
  python3 - "$m" "$www" <<'PY' || fail "$mode: a saved file differs from its URL's"
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["result"] == "saved":
        served = sys.argv[2] + "/img/" + r["url"].rsplit("/", 1)[1]
        assert open(r["path"], "rb").read() == open(served, "rb").read(), r
        assert r["final_url"] == r["url"] and r["status"] == 200 and r["attempts"] == 1, r
    else:
        assert r["status"] == 404 and r["error"] == "HTTP 404", r
PY
  ok
  json_is requested 32; json_is ok 30; json_is failed 2; json_is skipped 0; json_is not_done 0; json_is exit 1
  expect_stderr 'requested 32 = 30 saved \+ 2 failed \+ 0 skipped \+ 0 not fetched'
  [ "$(grep -v '^#' "$mode.failed")" = "$(tail -n 2 list.txt)" ] || fail "$mode: --failed: $(cat "$mode.failed")"; ok
  # --list FAILED asks for exactly those again
  : >"$NGINX_LOG"
  expect_status 1 "$rp" --list "$mode.failed" --mode "$mode" --out "$d" -q
  [ "$(wc -l <"$NGINX_LOG")" = 2 ] || fail "$mode: retry list made $(wc -l <"$NGINX_LOG") requests"
  [ "$(requests nope)" = 2 ] || fail "$mode: the retry list asked for other URLs"; ok
  # --skip-existing: only the two missing items are requested again
  : >"$NGINX_LOG"
  expect_status 1 "$rp" --list list.txt --mode "$mode" --jobs 4 --out "$d" --manifest "$m" --skip-existing --json -q
  [ "$(wc -l <"$NGINX_LOG")" = 2 ] || fail "$mode: --skip-existing made $(wc -l <"$NGINX_LOG") requests"; ok
  json_is skipped 30; json_is failed 2; json_is ok 0
  python3 "$check" "$m" 32 skipped=30 failed=2 || fail "$mode: manifest after --skip-existing"; ok
  # a saved file removed (or changed in size) is fetched again, nothing else
  rm "$(grep -m1 '"skipped"' "$m" | sed 's/.*"path":"\([^"]*\)".*/\1/')"
  : >"$NGINX_LOG"
  expect_status 1 "$rp" --list list.txt --mode "$mode" --jobs 4 --out "$d" --manifest "$m" --skip-existing -q
  [ "$(wc -l <"$NGINX_LOG")" = 3 ] || fail "$mode: after a removal: $(wc -l <"$NGINX_LOG") requests"; ok
  python3 "$check" "$m" 32 skipped=29 saved=1 failed=2 || fail "$mode: manifest after the removal"; ok
  [ "$(find "$d" -type f | wc -l)" = 30 ] || fail "$mode: $(find "$d" -type f | wc -l) files"; ok
done

# -n with one --url: the manifest counts the saved draws; a re-run with
# --skip-existing fetches only the missing ones.
: >"$NGINX_LOG"
expect_status 0 "$rp" -n 12 --url "$base/img/img00003.png" --out n --manifest n.jsonl -q
python3 "$check" n.jsonl 12 saved=12 || fail "-n: manifest"; ok
rm "$(grep -m1 saved n.jsonl | sed 's/.*"path":"\([^"]*\)".*/\1/')"
expect_status 0 "$rp" -n 14 --url "$base/img/img00003.png" --out n --manifest n.jsonl --skip-existing --json -q
json_is skipped 11; json_is ok 3
[ "$(wc -l <"$NGINX_LOG")" = 15 ] || fail "-n --skip-existing: $(wc -l <"$NGINX_LOG") requests in all"; ok

# Under MPI: every rank skips alike, the manifest is one file in item order.
if [ "$CONCUR_WITH_MPI" = 1 ]; then
  rpm=$CONCUR_BIN/randompix-mpi
  expect_status 1 mpi 3 "$rpm" --list list.txt --out mpi --manifest mpi.jsonl --failed mpi.failed --json -q
  python3 "$check" mpi.jsonl 32 saved=30 failed=2 || fail "MPI: manifest"; ok
  json_is requested 32; json_is ok 30
  [ "$(cat mpi.failed)" = "$(tail -n 2 list.txt)" ] || fail "MPI --failed: $(cat mpi.failed)"; ok
  : >"$NGINX_LOG"
  expect_status 1 mpi 3 "$rpm" --list list.txt --out mpi --manifest mpi.jsonl --skip-existing --json -q
  [ "$(wc -l <"$NGINX_LOG")" = 2 ] || fail "MPI --skip-existing: $(wc -l <"$NGINX_LOG") requests"; ok
  python3 "$check" mpi.jsonl 32 skipped=30 failed=2 || fail "MPI: manifest after --skip-existing"; ok
fi

# Bad use: --skip-existing says what it needs; a manifest that is a folder.
expect_status 2 "$rp" --list list.txt --skip-existing
expect_stderr 'needs --manifest'
mkdir adir
expect_status 1 "$rp" --list list.txt --manifest adir --out x -q
[ ! -e x ] || fail "a run started with a manifest it cannot write"; ok
expect_status 1 "$rp" --list list.txt --failed nofolder/failed.txt --out y -q
expect_stderr 'nofolder/failed.txt'
[ ! -e y ] || fail "a run started with a --failed file it cannot write"; ok

# Slow transfers, killed: kill -9 leaves whole lines for what finished;
# SIGTERM exits 143 with every item accounted for.
start_faults "$www/img/img00000.png"
fb=http://127.0.0.1:$FAULT_PORT
{ for i in 1 2 3 4; do echo "$fb/ok?$i"; done
  for i in $(seq 8); do echo "$fb/drip?secs=10&s$i"; done; } >slow.txt
"$rp" --list slow.txt --out k --manifest k.jsonl --jobs 6 -q >/dev/null 2>&1 &
pid=$!
at_exit "kill -9 $pid 2>/dev/null"
for _ in $(seq 200); do [ "$(wc -l <k.jsonl 2>/dev/null || echo 0)" -ge 4 ] && break; sleep 0.05; done
kill -9 "$pid"; wait "$pid" 2>/dev/null
n=$(wc -l <k.jsonl)
python3 - k.jsonl <<'PY' || fail "kill -9: the manifest is not whole JSON lines"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert len(recs) >= 4 and all(r["result"] == "saved" for r in recs), recs
PY
ok
"$rp" --list slow.txt --out k --manifest k.jsonl --jobs 6 --skip-existing --json -q >/dev/null 2>term.err &
pid=$!
for _ in $(seq 200); do in_flight k && break; sleep 0.05; done
sleep 0.3
kill -TERM "$pid"
status=0; wait "$pid" || status=$?
[ "$status" = 143 ] || fail "SIGTERM: exit $status, expected 143: $(cat term.err)"; ok
tail -n 1 term.err | grep -q "\"requested\":12,.*\"skipped\":$n,\"interrupted\":true,\"exit\":143" ||
  fail "SIGTERM: JSON $(tail -n 1 term.err)"; ok
python3 "$check" k.jsonl 12 skipped="$n" not_started=$((12 - n)) || fail "SIGTERM: manifest"; ok
grep -q "requested 12 = 0 saved + 0 failed + $n skipped + $((12 - n)) not fetched" term.err || fail "SIGTERM: summary $(cat term.err)"; ok
pass
