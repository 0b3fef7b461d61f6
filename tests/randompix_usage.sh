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
printf 'file:///etc/passwd\n' >"$TMP/file.txt"
expect_status 1 "$rp" --list "$TMP/file.txt" --out "$TMP/o" -q
expect_stderr 'file.txt:1: file:///etc/passwd: '
[ -z "$(ls -A "$TMP/o")" ] || fail "file:// URL saved something"; ok
# A list line that cannot be a URL (a NUL byte, over 1 MiB) refuses the
# whole list as bad data (exit 3): nothing is fetched, not even the good lines.
printf 'http://127.0.0.1:9/ok\0junk\n' >"$TMP/nul.txt"
expect_status 3 "$rp" --list "$TMP/nul.txt" --out "$TMP/o" -q
expect_stderr '^randompix: .*nul.txt:1: NUL byte at column 22: not a URL$'
expect_stderr 'nothing fetched'
grep -q 'ok 0' "$TMP/last.err" && fail "a refused list was run"; ok
{ echo "$u"; head -c $(((1 << 20) + 1)) /dev/zero | tr '\0' a; echo; } >"$TMP/long.txt"
expect_status 3 "$rp" --list "$TMP/long.txt" --out "$TMP/o" -q
expect_stderr 'long.txt:2: line longer than 1048576 bytes: not a URL'
# An empty standard input is an empty list.
expect_status 0 "$rp" --list - --out "$TMP/o" </dev/null
expect_stderr 'ok 0, failed 0'
# Nothing listens on port 9 (discard): a connection failure, not retried.
expect_status 1 "$rp" -n 2 --url "$u" --out "$TMP/o" --retry-delay 0.01
expect_stderr 'ok 0, failed 2, retried 0'
pass
