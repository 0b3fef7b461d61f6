#!/usr/bin/env bash
# Every program reads its options the one way of the suite (common/cli_opts.c):
# --help and --version on stdout with exit 0; a usage error on stderr, one
# reason and "Try 'PROG --help'.", exit 2, nothing on stdout; an abbreviated
# long option is refused with the options it could mean (never taken for one
# of them: `randompix --retry 3` once set --retry-delay); "missing value" and
# "unknown option" are different messages; the suite's short letters.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$TMP" || fail "no scratch folder"

progs=(msort-omp sudoku-omp hostres primer)
[ "$CONCUR_WITH_MPI" = 1 ] && progs+=(msort sudoku)
[ "$CONCUR_WITH_CURL" = 1 ] && progs+=(randompix)
[ "$CONCUR_WITH_MPI" = 1 ] && [ "$CONCUR_WITH_CURL" = 1 ] && progs+=(randompix-mpi)

# prog P: how to run P; an MPI program run alone is a singleton MPI job,
# whose Open MPI plugins keep memory to the end (no leak check for those).
prog() {
  case $1 in
    msort|sudoku|randompix-mpi) echo env ASAN_OPTIONS=detect_leaks=0 "$CONCUR_BIN/$1" ;;
    *) echo "$CONCUR_BIN/$1" ;;
  esac
}

# usage_error PROG PATTERN ARGS...: exit 2, nothing on stdout, the reason on
# the first line of stderr and the hint on the second.
usage_error() {
  local p=$1 pat=$2; shift 2
  # shellcheck disable=SC2046 # prog's words are meant to split
  expect_status 2 $(prog "$p") "$@"
  [ ! -s "$TMP/last.out" ] || fail "$p $*: a usage error printed on stdout"
  [ "$(wc -l <"$TMP/last.err")" -eq 2 ] || fail "$p $*: stderr is not 2 lines: $(cat "$TMP/last.err")"
  head -1 "$TMP/last.err" | grep -qE -- "^$p: $pat" || fail "$p $*: first line lacks /$pat/: $(cat "$TMP/last.err")"
  sed -n 2p "$TMP/last.err" | grep -qx "Try '$p --help'." || fail "$p $*: no hint: $(cat "$TMP/last.err")"
  ok
}

for p in "${progs[@]}"; do
  for h in --help -h; do
    # shellcheck disable=SC2046
    expect_status 0 $(prog "$p") "$h"
    grep -q '^Usage: ' "$TMP/last.out" || fail "$p $h: no usage line"
    [ ! -s "$TMP/last.err" ] || fail "$p $h wrote to stderr"
    ok
  done
  # shellcheck disable=SC2046
  expect_status 0 $(prog "$p") --version
  grep -qE "^$p \(concur\) [0-9]" "$TMP/last.out" || fail "$p --version: $(cat "$TMP/last.out")"; ok
  # shellcheck disable=SC2046
  expect_status 0 $(prog "$p") -V
done

# unknown options, long and short, and a value for an option that takes none
for p in msort-omp sudoku-omp hostres; do
  usage_error "$p" "unknown option '--frobnicate'$" --frobnicate
  usage_error "$p" "unknown option -Z$" -Z
  usage_error "$p" "--help takes no value$" --help=yes
done
# a missing value names the option, long or short
usage_error msort-omp "missing value for --count$" --count
usage_error msort-omp "missing value for -n$" -n
usage_error sudoku-omp "missing value for --threads$" --threads
usage_error hostres "missing value for -w$" -w
# abbreviations are refused, with the candidates
usage_error msort-omp "unknown option '--rep' \(did you mean --repeat\?\)$" --rep 2
usage_error sudoku-omp "unknown option '--max' \(did you mean --max-nodes\?\)$" --max 5 /dev/null
usage_error hostres "unknown option '--time' \(did you mean --timeout\?\)$" --time 1 localhost
# an option of the other variant of a program is named as such
usage_error sudoku-omp "--dist does not apply to sudoku-omp$" --dist static
usage_error msort-omp "--algo: unknown value 'sample'" --algo sample
usage_error primer "say which demo" 
expect_status 2 "$CONCUR_BIN/primer" stop --lock
expect_stderr "^primer stop: --lock does not apply to primer stop$"

if [ "$CONCUR_WITH_CURL" = 1 ]; then
  # the abbreviation that used to land on --retry-delay
  usage_error randompix "unknown option '--retry' \(did you mean --retries, --retry-delay\?\)$" \
    --retry 3 -n 1 --url http://127.0.0.1:9/
  usage_error randompix "missing value for --retries$" -n 1 --url http://127.0.0.1:9/ --retries
fi

# the suite's letters: -T is msort's type, -t threads everywhere, -w a timeout,
# -P randompix's folder, -s the seed
expect_status 0 "$CONCUR_BIN/msort-omp" -n 1000 -T u32 -t 1 -s 5 --json
grep -q '"threads":1' "$TMP/last.out" || fail "msort-omp -t 1: $(cat "$TMP/last.out")"; ok
usage_error msort-omp "--threads: 'u32' is not a number" -t u32
expect_status 0 "$CONCUR_BIN/sudoku-omp" -t 1 -c -q
for gone in -n -s -d -j; do # sudoku's letters that meant other things than in the suite
  usage_error sudoku-omp "unknown option $gone$" "$gone" 1
done
expect_status 0 "$CONCUR_BIN/hostres" -w 2 localhost
pass
