#!/usr/bin/env bash
# jobs.plot: jobs/json2csv.py and jobs/plot.sh on records of the real programs
# and on bad input. json2csv: the common columns first, options.* and mpi.* as
# columns, every time in one cell; one line (never a traceback) for a missing
# file, a line that is not JSON or not UTF-8, no record at all, a closed pipe.
# plot.sh: error bars of one standard deviation of each point's times, ticks
# at whole worker counts (the plot drawn again as text to read them), and one
# line "plot.sh: FILE: reason" for input that is not a results CSV.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "python3 is not installed"
j2c=$CONCUR_SRC/jobs/json2csv.py
plot=$CONCUR_SRC/jobs/plot.sh
omp=$CONCUR_BIN/msort-omp
[ -x "$omp" ] || skip "msort-omp is not built yet"
cd "$TMP" || fail "no scratch folder"

# no_trace: the last command's stderr is short and holds no Python traceback
no_trace() {
  grep -q Traceback "$TMP/last.err" && fail "a traceback: $(cat "$TMP/last.err")"
  [ "$(wc -l <"$TMP/last.err")" -le 3 ] || fail "more than a few lines: $(cat "$TMP/last.err")"
  ok
}
# col CSV NAME: one column of a CSV, by header name (python's csv: quoted commas are fine)
col() { python3 -c 'import csv,sys; print("\n".join(r[sys.argv[2]] for r in csv.DictReader(open(sys.argv[1]))))' "$1" "$2"; }

# --- json2csv.py ---------------------------------------------------------------
"$omp" -n 20k -r 3 -t 1 --json >runs.jsonl 2>/dev/null || fail "msort-omp failed"
"$omp" -n 20k -r 3 -t 2 --json >>runs.jsonl 2>/dev/null || fail "msort-omp failed"
echo "a line of program output" >>runs.jsonl
expect_status 0 python3 "$j2c" runs.jsonl
cp "$TMP/last.out" runs.csv
head -1 runs.csv | grep -q '^program,variant,ranks,threads,n,seconds,min_seconds,stddev,repeat,rate,rate_unit,verified,' ||
  fail "json2csv: the common columns do not come first: $(head -1 runs.csv)"
[ "$(col runs.csv options.algo | sort -u)" = tasks ] || fail "json2csv: no options.algo column: $(head -1 runs.csv)"
[ "$(col runs.csv times | awk '{print NF}' | sort -u)" = 3 ] || fail "json2csv: times is not 3 numbers: $(col runs.csv times)"
ok
expect_status 1 python3 "$j2c" no-such.jsonl
expect_stderr '^json2csv: no-such.jsonl: cannot read: No such file'
no_trace
printf '{"program":"x","seconds":1}\n{not json\n[1,2]\n' >bad.jsonl
printf '{"program":"\xff"}\n' >>bad.jsonl
expect_status 1 python3 "$j2c" bad.jsonl
expect_stderr '^json2csv: bad.jsonl:2: not JSON'
expect_stderr '^json2csv: bad.jsonl:4: not UTF-8'
[ "$(wc -l <"$TMP/last.out")" = 2 ] || fail "json2csv: the good record was not kept: $(cat "$TMP/last.out")"
no_trace
expect_status 1 python3 "$j2c" /dev/null
expect_stderr '^json2csv: no --json records in /dev/null'
no_trace
awk 'NR == 1 { for (i = 0; i < 2000; i++) print }' runs.jsonl >big.jsonl
python3 "$j2c" big.jsonl 2>pipe.err | head -1 >/dev/null
[ ! -s pipe.err ] || fail "json2csv | head: $(cat pipe.err)"
ok

# --- plot.sh -------------------------------------------------------------------
command -v gnuplot >/dev/null || pass "json2csv only (gnuplot is not installed)"
# a sweep of 1, 2 and 3 workers whose times are known: bars are one standard
# deviation of each point's times
cat >known.csv <<'CSV'
study,axis,p,program,variant,ranks,threads,n,seconds,min_seconds,stddev,repeat,times
strong,threads,1,msort-omp,tasks,1,1,1000,4,3,1,3,3 4 5
strong,threads,2,msort-omp,tasks,1,2,1000,2,1.5,0.5,3,1.5 2 2.5
strong,threads,3,msort-omp,tasks,1,3,1000,1.5,1.5,0,1,1.5
CSV
PLOT_KEEP=1 expect_status 0 bash "$plot" -o known known.csv
[ "$(head -c 8 known-strong.png | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "no PNG"
# p, time with its ends, speedup with its ends (4/3 .. 4/1.5 at p=2), efficiency with its ends
grep -qx '2 2 1.5 2.5 2 1.6 2.66667 1 0.8 1.33333' known-strong.gp || fail "p=2 is not 2 +- 0.5 s: $(sed -n '/EOD/q;p' known-strong.gp)"
grep -qx '1 4 3 5 1 0.8 1.33333 1 0.8 1.33333' known-strong.gp || fail "p=1 is not 4 +- 1 s: $(sed -n '/EOD/q;p' known-strong.gp)"
grep -q 'using 1:2:3:4 with yerrorlines' known-strong.gp || fail "no error bars on the time panel"
ok
# drawn as text: the x axis of 1..3 workers has the ticks 1 2 3 and nothing between
sed -e 's/^set terminal .*/set terminal dumb size 150,30/' -e '/^set output/d' known-strong.gp | gnuplot >known.txt 2>&1 ||
  fail "the kept script does not run: $(cat known.txt)"
ticks=$(grep -E '^ +1 +2 +3( |$)' known.txt | head -1)
[ -n "$ticks" ] || fail "no x axis with ticks 1 2 3: $(cat known.txt)"
grep -E '^[ 0-9.]+$' known.txt | grep -qE '[0-9]\.[0-9]' &&
  fail "fractional worker counts on an x axis: $(cat known.txt)"
ok
# from a sweep of the real program, through json2csv
expect_status 0 bash "$plot" -o runs runs.csv
[ -s runs-strong.png ] || fail "no plot from json2csv's CSV"
ok
# bad input: one line each, exit 1
expect_status 1 bash "$plot" runs.jsonl
expect_stderr '^plot.sh: runs.jsonl: JSON records, not a CSV: make the CSV first'
no_trace
printf 'a,b\n1,2\n' >other.csv
expect_status 1 bash "$plot" other.csv
expect_stderr "^plot.sh: other.csv: no 'seconds' column"
no_trace
printf 'program,seconds\n\xff\xfe,1\n' >latin.csv
expect_status 1 bash "$plot" latin.csv
expect_stderr '^plot.sh: latin.csv: not UTF-8'
no_trace
printf 'program,seconds,p\nx,abc,1\nx,-1,2\n' >nums.csv
expect_status 1 bash "$plot" nums.csv
expect_stderr "^plot.sh: nums.csv: no row with a positive 'seconds'"
no_trace
: >empty.csv
expect_status 1 bash "$plot" empty.csv
expect_stderr '^plot.sh: empty.csv: no result rows'
no_trace
expect_status 1 bash "$plot" no-such.csv
expect_stderr '^plot.sh: no-such.csv: cannot read'
pass "json2csv columns and errors; plot error bars, whole ticks and errors"
