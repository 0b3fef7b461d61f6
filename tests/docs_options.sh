#!/usr/bin/env bash
# docs.options: the suite's option table in README.md matches every program's --help.
#
# The table is the one whose header is "| letter | long option | programs |".
# Each row gives one or more short letters, as many long options (paired in
# order: "-4, -6 | --ipv4, --ipv6"), and the programs ("all", or names split by
# commas). For every program that is built:
#   - every "-x, --long" pair its --help prints is in the table for that program,
#   - every table entry for that program is printed by its --help as "-x, --long".
# primer's help is its own plus that of each demo (primer DEMO --help).
# The table itself: a letter is in one row only (it means the same everywhere).
# Usage: docs_options.sh [README.md]
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

readme=${1:-$CONCUR_SRC/README.md}
[ -r "$readme" ] || fail "cannot read $readme"
programs=(msort msort-omp sudoku sudoku-omp randompix randompix-mpi hostres primer)

# --- the table: one "PROGRAM -x --long" line per entry -------------------------
awk -v all="${programs[*]}" '
  function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
  function bad(msg) { print "README.md:" NR ": " msg > "/dev/stderr"; err = 1 }
  /^\|[ \t]*letter[ \t]*\|[ \t]*long option[ \t]*\|[ \t]*programs[ \t]*\|/ { found++; intable = 1; next }
  intable && /^\|[-:| \t]+$/ { next }
  intable && !/^\|/ { intable = 0 }
  intable {
    n = split($0, cell, "|")
    if (n < 5) { bad("a row needs three cells"); next }
    letters = cell[2]; longs = cell[3]; progs = trim(cell[4])
    gsub(/`/, "", letters); gsub(/`/, "", longs); gsub(/`/, "", progs)
    nl = 0; s = letters
    while (match(s, /(^|[ ,])-[A-Za-z0-9]([ ,]|$)/)) {
      t = substr(s, RSTART, RLENGTH); gsub(/[ ,]/, "", t); L[++nl] = t
      s = substr(s, RSTART + RLENGTH - 1)
    }
    ng = 0; s = longs
    while (match(s, /--[a-z0-9][a-z0-9-]*/)) {
      G[++ng] = substr(s, RSTART, RLENGTH); s = substr(s, RSTART + RLENGTH)
    }
    if (nl == 0 || nl != ng) { bad("letters (" trim(letters) ") and long options (" trim(longs) ") do not pair up"); next }
    if (progs == "all") progs = all
    gsub(/,/, " ", progs)
    np = split(progs, P, /[ \t]+/)
    for (i = 1; i <= nl; i++) {
      if (L[i] in row) bad(L[i] " is in two rows (lines " row[L[i]] " and " NR ")")
      row[L[i]] = NR
      for (j = 1; j <= np; j++) if (P[j] != "") print P[j], L[i], G[i]
    }
  }
  END { if (!found) { print "no option table (| letter | long option | programs |)" > "/dev/stderr"; err = 1 }
        exit err }
' "$readme" >"$TMP/table" 2>"$TMP/err" || fail "$(cat "$TMP/err")"
sort -u -o "$TMP/table" "$TMP/table"
ok

# Names in the table must be programs of the suite.
while read -r prog _; do
  [[ " ${programs[*]} " == *" $prog "* ]] || fail "the table names '$prog', which is not a program of the suite (${programs[*]})"
done <"$TMP/table"
ok

# --- each program's help: one "PROGRAM -x --long" line per pair it prints -----
# A pair is "-x, --long" at the start of a help line or after spaces (the
# "-h, --help  ...;  -V, --version" lines hold two).
help_pairs() {
  local prog=$1
  grep -oE '(^|[[:space:]])-[A-Za-z0-9], --[a-z0-9][a-z0-9-]*' |
    sed -E "s/^[[:space:]]*//; s/^(-[A-Za-z0-9]), /$prog \\1 /"
}
checked=() missing=()
: >"$TMP/help"
for prog in "${programs[@]}"; do
  bin=$CONCUR_BIN/$prog
  if [ ! -x "$bin" ]; then
    missing+=("$prog")
    continue
  fi
  ASAN_OPTIONS=detect_leaks=0 "$bin" --help >"$TMP/h" 2>&1 || fail "$prog --help exited $?"
  if [ "$prog" = primer ]; then
    "$bin" list >"$TMP/demos" 2>&1 || fail "primer list exited $?"
    while read -r demo _; do
      [ -n "$demo" ] || continue
      "$bin" "$demo" --help >>"$TMP/h" 2>&1 || fail "primer $demo --help exited $?"
    done <"$TMP/demos"
  fi
  help_pairs "$prog" <"$TMP/h" >>"$TMP/help"
  checked+=("$prog")
done
[ ${#checked[@]} -gt 0 ] || skip "no program is built in $CONCUR_BIN"
sort -u -o "$TMP/help" "$TMP/help"

# --- compare, for the programs that are built ----------------------------------
problems=0
for prog in "${checked[@]}"; do
  while read -r _ short long; do
    echo "  $prog --help prints '$short, $long', which the table does not list for $prog" >&2
    problems=$((problems + 1))
  done < <(grep "^$prog " "$TMP/help" | grep -vxF -f <(grep "^$prog " "$TMP/table") || true)
  while read -r _ short long; do
    echo "  the table lists '$short, $long' for $prog, which $prog --help does not print" >&2
    problems=$((problems + 1))
  done < <(grep "^$prog " "$TMP/table" | grep -vxF -f <(grep "^$prog " "$TMP/help") || true)
done
[ "$problems" = 0 ] || fail "$problems differences between the option table of $readme and the programs' --help (above)"
ok
note=""
[ ${#missing[@]} -eq 0 ] || note=" (not built, not checked: ${missing[*]})"
pass "$(wc -l <"$TMP/table") table entries match the --help of ${checked[*]}$note"
