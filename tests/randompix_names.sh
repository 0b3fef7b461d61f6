#!/usr/bin/env bash
# randompix --names remote and sha256 against the fault server: names from
# URL paths and Content-Disposition are made safe (hostile ../, %2e%2e, %2f,
# NUL, control characters, backslashes, leading dots, 300-byte names):
# nothing is written outside --out, no name is hidden, holds a control
# character or is over the cap; collisions within a list are resolved in
# list order, the same in every mode; --skip-existing finds the files by
# name; sha256 names by content and saves the same content once.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/randompix_servers.sh
. "$(dirname "$0")/randompix_servers.sh"
rpx_test_setup
python3 "$CONCUR_TESTS/randompix_images.py" "$TMP/img" 1 5000 7 || fail "cannot make an image"
img=$TMP/img/img00000.png
start_faults "$img"
b=http://127.0.0.1:$FAULT_PORT
long=$(printf 'L%.0s' $(seq 300))
cat >"$TMP/list.txt" <<LIST
$b/ok/a.png
$b/ok/a.png?again
$b/ok/..%2f..%2fescape.png
$b/ok/%2e%2e
$b/ok/x%00y.png
$b/ok/%1b%5b2J%0abad.png
$b/ok/.hidden.png
$b/ok/
$b/ok/%c3%a9t%c3%a9.png
$b/ok/%ff%fe.png
$b/ok/back%5c%5cslash.png
$b/ok/$long.png
$b/cd/1?h=attachment;%20filename=%22../../../etc/evil.png%22
$b/cd/2?h=attachment;%20filename*=UTF-8''%2e%2e%2f%2e%2e%2fe2.png;%20filename=%22plain.png%22
$b/cd/3?h=attachment;%20filename=%22..%5c..%5cwin.png%22
$b/cd/4?h=inline;%20filename=%22%1b]0;owned%07.png%22
$b/cd/5?h=attachment;%20filename=%22..%22
$b/cd/6?h=attachment;%20filename=%22/%22
LIST
# Every file the runs make must be in its --out folder: list what is outside.
outside() { find "$TMP" -newer "$TMP/list.txt" -type f ! -path "$TMP/out-*" ! -name '*.log' ! -name 'last.*' ! -name '*.jsonl' ! -name 'faults.*' ; }

for mode in async threads serial; do
  d=$TMP/out-$mode
  expect_status 0 "$rp" --list "$TMP/list.txt" --names remote --mode "$mode" --jobs 5 --out "$d" --manifest "$TMP/$mode.jsonl" -q
  [ -z "$(outside)" ] || fail "$mode: files outside --out: $(outside)"; ok
  [ "$(find "$d" -mindepth 1 | wc -l)" = 18 ] || fail "$mode: $(find "$d" -mindepth 1 | wc -l) entries, expected 18: $(ls -A "$d")"; ok
  find "$d" -mindepth 1 ! -type f | grep -q . && fail "$mode: not only plain files: $(find "$d" -mindepth 1 ! -type f)"
  find "$d" -mindepth 1 -printf "%f\n" | grep -E '^\.' && fail "$mode: a hidden name above"
  find "$d" -mindepth 1 -printf "%f\n" | LC_ALL=C grep -aP '[\x00-\x1f\x7f]' && fail "$mode: a control character in a name"
  find "$d" -mindepth 1 -printf "%f\n" | awk 'length($0) > 215 {print; bad = 1} END {exit bad}' || fail "$mode: a name over the cap"
  for f in "$d"/*; do cmp -s "$f" "$img" || fail "$mode: $f is not the image"; done; ok
  for want in a.png a~2.png _.._escape.png index.png index~2.png x_y.png _[2J_bad.png hidden.png été.png \
    __.png back__slash.png evil.png e2.png win.png _]0\;owned_.png; do
    [ -f "$d/$want" ] || fail "$mode: no file '$want': $(ls -A "$d")"
  done; ok
  find "$d" -mindepth 1 -printf "%f\n" | grep -qE '^L{190,200}\.png$' || fail "$mode: the 300-byte name not cut to the cap: $(ls "$d")"; ok
done
# The same list gives the same names whatever the mode (the URL-path names).
for mode in threads serial; do
  diff <(grep '/ok/' "$TMP/async.jsonl" | sed 's/.*"url":"\([^"]*\)".*"path":"[^"]*\/\([^"]*\)".*/\1 \2/') \
    <(grep '/ok/' "$TMP/$mode.jsonl" | sed 's/.*"url":"\([^"]*\)".*"path":"[^"]*\/\([^"]*\)".*/\1 \2/') ||
    fail "async and $mode named the URLs differently"
done; ok

# --skip-existing without a manifest: the names of the URLs are looked up in
# the folder. Asked again: the Content-Disposition items (named by the
# server) and the two URLs whose name has no extension (it came from the
# Content-Type: index.png, index~2.png).
: >"$FAULT_LOG"
expect_status 0 "$rp" --list "$TMP/list.txt" --names remote --out "$TMP/out-async" --skip-existing --json -q
[ "$(hits '^/ok/')" = 2 ] || fail "--skip-existing asked for $(hits '^/ok/') URL-named items again"; ok
[ "$(hits '^/ok/(%2e%2e)?$')" = 2 ] || fail "--skip-existing asked for other URL-named items"; ok
tail -n 1 "$TMP/last.err" | grep -q '"skipped":10,' || fail "skipped: $(tail -n 1 "$TMP/last.err")"; ok

# --names sha256: by content; the same content once.
expect_status 0 "$rp" -n 5 --url "$b/ok" --names sha256 --out "$TMP/out-sha" --manifest "$TMP/sha.jsonl" -q
sum=$(sha256sum "$img" | cut -d' ' -f1)
[ "$(ls "$TMP/out-sha")" = "$sum.png" ] || fail "sha256 names: $(ls "$TMP/out-sha")"; ok
[ "$(grep -c "\"result\":\"saved\",\"path\":\"$TMP/out-sha/$sum.png\"" "$TMP/sha.jsonl")" = 5 ] || fail "sha256: manifest $(cat "$TMP/sha.jsonl")"; ok
[ "$(wc -l <"$TMP/last.out")" = 5 ] || fail "sha256: stdout has $(wc -l <"$TMP/last.out") lines"; ok
expect_status 2 "$rp" --list "$TMP/list.txt" --names nope
expect_stderr 'names'
pass
