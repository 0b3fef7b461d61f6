#!/usr/bin/env bash
# Names and text from outside reach the terminal escaped: a host name, a
# file name or an argument holding ESC, BEL or a newline is printed as
# \x1b, \x07, \n in messages and in hostres's HOST<TAB>ADDRESS lines, never
# raw (a raw ESC lets the text clear the screen or retitle the window, a raw
# newline breaks the one-line-per-item outputs). randompix's server text and
# list URLs are checked in randompix_faults.sh and randompix_usage.sh.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
evil=$'a\e[2J\e]0;owned\ab\ncd'
shown='a\\x1b\[2J\\x1b\]0;owned\\x07b\\ncd'

# no_controls FILE [ALSO]: FILE holds no control byte but newlines (and the
# characters in ALSO, e.g. a tab).
no_controls() {
  local left
  left=$(LC_ALL=C tr -d "\n\040-\176\200-\377${2:-}" <"$1" | od -An -c | head -3)
  [ -z "$left" ] || fail "$1 holds raw control bytes: $left"
  ok
}

# hostres: the name on stdout (both columns) and in the message
expect_status 1 "$CONCUR_BIN/hostres" -w 2 "$evil" localhost
no_controls "$TMP/last.out" '\t'
no_controls "$TMP/last.err"
[ "$(wc -l <"$TMP/last.out")" = 2 ] || fail "not one line per host: $(cat -A "$TMP/last.out")"; ok
grep -qE "^$shown	$shown\$" "$TMP/last.out" || fail "bad line for the name: $(cat -A "$TMP/last.out")"; ok
expect_stderr "^hostres: $shown: .*; using the name itself\$"

# a usage error quoting the argument (cli_answer), a message quoting a file
# name (err_at), in a program of each kind
expect_status 2 "$CONCUR_BIN/hostres" "--x$evil"
no_controls "$TMP/last.err"
expect_stderr "unknown option '--x$shown'"
expect_status 1 "$CONCUR_BIN/msort-omp" -i "$TMP/$evil" -o "$TMP/out"
no_controls "$TMP/last.err"
expect_stderr "$shown: cannot open input"
expect_status 1 "$CONCUR_BIN/sudoku-omp" "$TMP/$evil"
no_controls "$TMP/last.err"
expect_stderr "$shown"
# a file that exists: its name in the summary's "slowest:" line
head -2 "$CONCUR_SRC/tests/data/sudoku/norvig/easy50.txt" >"$TMP/$evil"
expect_status 0 "$CONCUR_BIN/sudoku-omp" -q "$TMP/$evil"
no_controls "$TMP/last.err"
expect_stderr "slowest: .*$shown:"
pass
