#!/usr/bin/env bash
# randompix: help, version and bad usage (exit 2, one clear line, nothing fetched).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
need_curl
rp=$CONCUR_BIN/randompix
u=http://127.0.0.1:9/x

expect_status 0 "$rp" --help
grep -q 'Example:' "$TMP/last.out" || fail "--help has no example"; ok
expect_status 0 "$rp" -V
grep -qE '^randompix \(concur\) [0-9]' "$TMP/last.out" || fail "bad --version: $(cat "$TMP/last.out")"; ok

expect_status 2 "$rp"
expect_stderr 'say what to fetch'
expect_status 2 "$rp" --url "$u" --list /dev/null
expect_stderr 'exclude each other'
expect_status 2 "$rp" --list /dev/null -n 3
expect_stderr '--count goes with --url'
expect_status 2 "$rp" -n 0 --url "$u"
expect_stderr 'count'
expect_status 2 "$rp" -n 5x --url "$u"
expect_status 2 "$rp" -n 5 --url "$u" --mode fast
expect_stderr 'one of: serial threads async'
expect_status 2 "$rp" -n 5 --url "$u" --jobs 0
expect_status 2 "$rp" -n 5 --url "$u" --timeout -1
expect_status 2 "$rp" -n 5 --url "$u" --retries x
expect_status 2 "$rp" -n 5 --url "$u" --max-size 1Q
expect_status 2 "$rp" -n 5 --url "$u" --frobnicate
expect_stderr 'unknown option'
expect_status 2 "$rp" -n 5 --url "$u" extra
expect_stderr "unexpected argument 'extra'"
expect_status 2 "$rp" -n 5 --url
expect_status 2 "$rp" -n 5 --url "" 
# Nothing was created by the refused runs.
[ -z "$(ls -A "$TMP" | grep -v '^last\.')" ] || fail "usage errors left files: $(ls "$TMP")"; ok

# A list that does not exist is a runtime failure, not usage.
expect_status 1 "$rp" --list "$TMP/none.txt" --out "$TMP/o"
expect_stderr 'none.txt: No such file'
# An empty list fetches nothing and succeeds.
printf '# nothing\n\n' >"$TMP/empty.txt"
expect_status 0 "$rp" --list "$TMP/empty.txt" --out "$TMP/o"
expect_stderr 'ok 0, failed 0'
# Only http and https are fetched (no file://, which would read local files).
# A URL that can never be fetched is a usage error found before any transfer:
# exit 2, one line naming the URL (and its list line), no folder made.
printf 'file:///etc/passwd\n' >"$TMP/file.txt"
expect_status 2 "$rp" --list "$TMP/file.txt" --out "$TMP/o" -q
expect_stderr "file.txt:1: file:///etc/passwd: scheme 'file' is not http or https"
[ -z "$(ls -A "$TMP/o")" ] || fail "file:// URL saved something"; ok
expect_status 2 "$rp" -n 51 --url ftp://127.0.0.1:9/x --out "$TMP/never"
[ "$(cat "$TMP/last.err")" = "randompix: --url ftp://127.0.0.1:9/x: scheme 'ftp' is not http or https" ] ||
  fail "not one line for a bad --url: $(head -c 600 "$TMP/last.err")"; ok
[ ! -e "$TMP/never" ] || fail "a bad --url made the output folder"; ok
for bad in 'example.com/x' 'http://' 'http://a b/' 'mailto:a@b'; do
  expect_status 2 "$rp" -n 3 --url "$bad" --out "$TMP/never"
  expect_stderr "^randompix: --url $bad: (not a URL|scheme)"
done
# In a list: every bad line named (up to 20, then a count), control bytes
# escaped, and nothing fetched even where other lines are good.
{
  echo "$u"
  printf 'http://127.0.0.1:9/\033]0;owned\007\n'
  echo '# a comment'
  for i in $(seq 25); do echo "gopher://127.0.0.1:9/$i"; done
} >"$TMP/bad.txt"
expect_status 2 "$rp" --list "$TMP/bad.txt" --out "$TMP/never"
expect_stderr '^randompix: .*bad.txt:2: http://127.0.0.1:9/\\x1b\]0;owned\\x07: not a URL'
expect_stderr '^randompix: .*bad.txt:4: gopher://127.0.0.1:9/1: scheme .gopher. is not http or https$'
expect_stderr '^randompix: 6 more "bad URL" messages not shown$'
[ "$(wc -l <"$TMP/last.err")" = 21 ] || fail "$(wc -l <"$TMP/last.err") lines for 26 bad URLs"; ok
LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]' "$TMP/last.err" && fail "raw control bytes printed"; ok
# A list line that cannot be a URL (a NUL byte, over 1 MiB) is a bad URL too:
# exit 2, the line named, nothing fetched, not even the good lines.
printf 'http://127.0.0.1:9/ok\0junk\n' >"$TMP/nul.txt"
expect_status 2 "$rp" --list "$TMP/nul.txt" --out "$TMP/o" -q
expect_stderr '^randompix: .*nul.txt:1: NUL byte at column 22: not a URL$'
grep -q 'ok 0' "$TMP/last.err" && fail "a refused list was run"; ok
{ echo "$u"; head -c $(((1 << 20) + 1)) /dev/zero | tr '\0' a; echo; } >"$TMP/long.txt"
expect_status 2 "$rp" --list "$TMP/long.txt" --out "$TMP/o" -q
expect_stderr 'long.txt:2: line longer than 1048576 bytes: not a URL'
# An empty standard input is an empty list.
expect_status 0 "$rp" --list - --out "$TMP/o" </dev/null
expect_stderr 'ok 0, failed 0'
# Nothing listens on port 9 (discard): a connection failure, not retried.
expect_status 1 "$rp" -n 2 --url "$u" --out "$TMP/o" --retry-delay 0.01
expect_stderr 'ok 0, failed 2, retried 0'
# 500 failures of one kind print 20 lines and a count, not 500 lines, in
# each engine (threads: from several threads at once); the summary still
# counts them all.
for mode in serial threads async; do
  expect_status 1 "$rp" -n 500 --url "$u" --retries 0 --mode "$mode" --jobs 4 --out "$TMP/o"
  [ "$(grep -c '127.0.0.1:9/x: ' "$TMP/last.err")" = 20 ] || fail "$mode: not 20 failure lines"; ok
  expect_stderr '^randompix: 480 more "Couldn.t connect to server" messages not shown$'
  expect_stderr 'ok 0, failed 500, retried 0'
  [ "$(wc -l <"$TMP/last.err")" = 22 ] || fail "$mode: $(wc -l <"$TMP/last.err") lines on stderr"; ok
done
pass
