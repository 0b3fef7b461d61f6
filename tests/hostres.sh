#!/usr/bin/env bash
# hostres: localhost and an /etc/hosts name resolve to the right address, a
# name that cannot resolve falls back to itself with the reason on stderr,
# order and exit status with several hosts, names from standard input, usage
# errors.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
hostres=$CONCUR_BIN/hostres
tab=$'\t'

expect_status 0 "$hostres" localhost
grep -qxE "localhost${tab}(127\.[0-9.]+|::1)" "$TMP/last.out" || fail "localhost: $(cat "$TMP/last.out")"
ok

# A name from /etc/hosts (other than localhost when there is one) must give
# one of the IPv4 addresses listed for it there.
name=$(awk '$1 ~ /^[0-9]+\.[0-9.]+$/ { for (i = 2; i <= NF; i++) if ($i !~ /^#/ && $i != "localhost") { print $i; exit } }' /etc/hosts)
[ -n "$name" ] || name=localhost
want=$(awk -v n="$name" '$1 ~ /^[0-9]+\.[0-9.]+$/ { for (i = 2; i <= NF; i++) if ($i == n) print $1 }' /etc/hosts)
expect_status 0 "$hostres" -4 -w 5 "$name"
got=$(cut -f2 "$TMP/last.out")
printf '%s\n' "$want" | grep -qxF "$got" || fail "/etc/hosts name $name gave '$got', want one of: $want"
ok

# .invalid never resolves (RFC 6761): the name itself, the reason on stderr.
expect_status 1 "$hostres" -w 2 no-such-host.invalid
grep -qxF "no-such-host.invalid${tab}no-such-host.invalid" "$TMP/last.out" || fail "fallback line: $(cat "$TMP/last.out")"
ok
expect_stderr '^hostres: no-such-host\.invalid: .*using the name itself'

# Several hosts: one line each, in the order given; one fallback makes it 1.
expect_status 1 "$hostres" -w 2 localhost no-such-host.invalid localhost
[ "$(cut -f1 "$TMP/last.out" | tr '\n' ' ')" = "localhost no-such-host.invalid localhost " ] ||
  fail "order: $(cat "$TMP/last.out")"
ok

# "-": names from standard input, one a line, mixed with names given; any
# line end; blank lines and comments skipped; a bad line reported (exit 3).
expect_status 0 "$hostres" -w 5 - localhost < <(printf 'localhost\r\n\n# a comment\r  localhost  \rlocalhost')
[ "$(cut -f1 "$TMP/last.out" | tr '\n' ' ')" = "localhost localhost localhost localhost " ] ||
  fail "hostres -: $(cat "$TMP/last.out")"
grep -qE "^localhost${tab}(127\.|::1)" "$TMP/last.out" || fail "hostres -: not resolved"
ok
expect_status 3 "$hostres" -w 5 - < <(printf 'a\0b\nlocalhost\n')
expect_stderr '^hostres: <stdin>:1: NUL byte at column 2: not a host name$'
[ "$(wc -l <"$TMP/last.out")" = 1 ] || fail "hostres: the good line after the bad one"
ok
expect_status 1 "$hostres" - <"$TMP"
expect_stderr '<stdin>:1: read failed: Is a directory'
expect_status 2 "$hostres"
expect_stderr 'no HOST given'
expect_status 2 "$hostres" -4 -6 localhost
expect_status 2 "$hostres" -w abc localhost
expect_status 2 "$hostres" -w -1 localhost
expect_status 2 "$hostres" --bogus localhost
expect_status 0 "$hostres" --help
grep -q 'Usage: hostres' "$TMP/last.out" || fail "--help"
ok
expect_status 0 "$hostres" -V
pass
