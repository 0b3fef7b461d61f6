#!/usr/bin/env bash
# plot.sh: scaling plots from results CSVs (jobs/sweep.sh, jobs/json2csv.py).
#
#   jobs/plot.sh [-o PREFIX] RESULTS.csv [MORE.csv ...]
#
# Writes PREFIX-strong.png and/or PREFIX-weak.png (PREFIX defaults to the first
# CSV's name without .csv), one per study found in the CSVs, each with three panels
# against the worker count p (ranks, threads or ranks x threads):
#   time        median seconds of each run
#   speedup     strong: T(p0) p0 / T(p); weak: scaled speedup p T(p0) / T(p),
#               where T(p0) is the one-worker time of the same program, variant
#               and size if the CSVs have it (else the series' first point)
#   efficiency  speedup / p
# with the ideal line (speedup = p, efficiency = 1) dashed, and error bars of
# one standard deviation of each point's times (the CSV's times column: every
# timed run of every row at that point; else its stddev), the baseline taken
# as exact. Ticks are whole worker counts. One line per series (program,
# variant, size); several rows of one series at one p (repeated sweeps) are
# reduced to their median. Rows without study or p columns count as strong
# scaling over p = ranks x threads. Needs python3 and gnuplot (Debian:
# gnuplot-nox). Environment: PLOT_TITLE overrides the title's start,
# PLOT_SIZE the image size in pixels (default 1500,500), PLOT_KEEP=1 also
# keeps PREFIX-STUDY.gp, the gnuplot script with its data, to restyle a plot.
# Bad input (not a CSV of results, JSON records, no usable row) is one line
# "plot.sh: FILE: reason" on stderr.
# Exit status: 0 plots written, 1 failure, 2 bad usage.
set -euo pipefail

me=plot.sh
prefix=""
if [ "${1:-}" = -o ]; then
  [ $# -ge 2 ] || { echo "$me: -o needs a prefix" >&2; exit 2; }
  prefix=$2
  shift 2
fi
if [ $# -lt 1 ] || [ "${1#-}" != "$1" ]; then
  echo "usage: $me [-o PREFIX] RESULTS.csv [MORE.csv ...]" >&2
  exit 2
fi
prefix=${prefix:-${1%.csv}}
for csv in "$@"; do
  [ -r "$csv" ] || { echo "$me: $csv: cannot read" >&2; exit 1; }
done
for t in python3 gnuplot; do
  command -v "$t" >/dev/null || { echo "$me: $t is not installed (Debian: python3, gnuplot-nox)" >&2; exit 1; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/concur-plot.XXXXXX")
trap 'rm -rf "$work"' EXIT

# 1. The CSVs become one gnuplot data block per study: a block per series,
#    headed by the series title; columns p, then seconds, speedup and
#    efficiency, each with its low and high end (one standard deviation of the
#    point's times); and the worker counts, for the ticks.
if ! python3 - "$work" "$@" 2>"$work/py.err" <<'PY'; then
import csv, math, statistics, sys
from collections import defaultdict

work, sources = sys.argv[1], sys.argv[2:]

def die(msg):
    print(f"plot.sh: {msg}", file=sys.stderr)
    sys.exit(1)

rows = []
for src in sources:
    try:
        with open(src, newline="", encoding="utf-8") as fp:
            head = fp.read(1)
            fp.seek(0)
            if head == "{":
                die(f"{src}: JSON records, not a CSV: make the CSV first (jobs/json2csv.py {src} > results.csv)")
            got = list(csv.DictReader(fp))
    except UnicodeDecodeError as e:
        die(f"{src}: not UTF-8 text (byte {e.start + 1}): not a results CSV")
    except (OSError, csv.Error) as e:
        die(f"{src}: {getattr(e, 'strerror', None) or e}")
    if got and "seconds" not in got[0]:
        die(f"{src}: no 'seconds' column: not a results CSV (jobs/sweep.sh, jobs/json2csv.py write them)")
    rows += got
if not rows:
    die(f"{' '.join(sources)}: no result rows")

def num(r, k, default=None):
    try:
        v = float(r[k])
        return v if math.isfinite(v) else default
    except (KeyError, TypeError, ValueError):
        return default

def times_of(r):
    try:
        ts = [float(x) for x in (r.get("times") or "").split()]
    except ValueError:
        ts = []
    return [t for t in ts if t > 0 and math.isfinite(t)]

def human(n):
    for div, unit in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")):
        if n >= div and n % (div / 100) == 0:
            return f"{n / div:g}{unit}"
    return f"{n:g}"

series = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
ones = defaultdict(list)  # single-worker times, the common baseline
family = {}               # series -> its baseline key (without threads/rank)
axes = defaultdict(set)
skipped = 0
for r in rows:
    ranks, threads = num(r, "ranks", 1), num(r, "threads", 1)
    p = num(r, "p") or ranks * threads
    t = num(r, "seconds")
    if t is None or t <= 0 or p <= 0 or p != int(p):
        skipped += 1
        continue
    study = r.get("study") or "strong"
    axis = r.get("axis") or "workers"
    axes[study].add(axis)
    n = num(r, "n", 0)
    size = f"n={human(n)}" if study == "strong" else f"{human(n / p)} per {axis.rstrip('s') if axis != 'workers' else 'worker'}"
    name = base = " ".join(x for x in (r.get("program"), r.get("variant")) if x)
    if axis == "workers":  # ranks x threads: one line per threads-per-rank
        name += f", {threads:g} thread{'s' if threads != 1 else ''}/rank"
    key = (name, size if n else "")
    series[study][key][int(p)].append((t, times_of(r), num(r, "stddev")))
    family[(study, key)] = (study, base, key[1])
    if p == 1:
        ones[(study, base, key[1])].append(t)
if not series:
    die(f"{' '.join(sources)}: no row with a positive 'seconds' and a whole worker count")
if skipped:
    print(f"plot.sh: {skipped} row(s) without a positive 'seconds' or a whole worker count left out",
          file=sys.stderr)

def spread(runs):
    """One standard deviation of a point's times: of every timed run of its
    rows (the CSV's times), else its row's stddev, else of its rows' medians."""
    pooled = [x for _, ts, _ in runs for x in ts]
    if len(pooled) > 1:
        return statistics.stdev(pooled)
    if len(runs) == 1:
        return runs[0][2] or 0.0
    return statistics.stdev([t for t, _, _ in runs])

for study, groups in series.items():
    with open(f"{work}/{study}.dat", "w") as out:
        for (name, size), points in sorted(groups.items()):
            ps = sorted(points)
            # Baseline: the one-worker run of the same program, variant and
            # size (also for the 2-threads-per-rank line of a ranks x threads
            # sweep); without one, the series' first point, taken as ideal.
            one = ones.get(family[(study, (name, size))])
            p0, t0 = (1, statistics.median(one)) if one else (ps[0], statistics.median(t for t, _, _ in points[ps[0]]))
            title = f"{name} ({size})" if size else name
            out.write('"' + title.replace('"', "'") + '"\n')
            for p in ps:
                t = statistics.median(x for x, _, _ in points[p])
                sd = spread(points[p])
                lo, hi = max(t - sd, t / 10), t + sd  # the time's ends; a bar never reaches 0
                f = (t0 * p0) if study == "strong" else (p * t0)
                out.write(f"{p} {t:.6g} {lo:.6g} {hi:.6g} {f / t:.6g} {f / hi:.6g} {f / lo:.6g} "
                          f"{f / t / p:.6g} {f / hi / p:.6g} {f / lo / p:.6g}\n")
            out.write("\n\n")
    every = sorted({p for g in groups.values() for p in g})
    with open(f"{work}/{study}.meta", "w") as out:
        out.write(" ".join(sorted(axes[study])) + "\n")
        out.write(f"{len(groups)} {every[-1]}\n")
        out.write(" ".join(map(str, every)) + "\n")
PY
  if grep -q '^plot.sh: ' "$work/py.err"; then
    grep '^plot.sh: ' "$work/py.err" >&2
  else # not one of ours: its last line, never a traceback
    echo "$me: cannot read the CSVs: $(tail -n 1 "$work/py.err")" >&2
  fi
  exit 1
fi
grep '^plot.sh: ' "$work/py.err" >&2 || true

# xtics P...: the worker counts as the x axis's ticks, whole numbers only:
# every count when there are few, else powers of two (log axis) or whole steps.
xtics() {
  local pmax=${*: -1}
  if [ $# -le 12 ]; then
    echo "set xtics ($(echo "$@" | tr ' ' ','))"
  elif [ "$pmax" -ge 4 ]; then
    echo 'set xtics 2 format "%.0f"'
  else
    echo 'set xtics 1 format "%.0f"'
  fi
}

# 2. One PNG per study (and with PLOT_KEEP=1 its gnuplot script, data inside).
host=$(hostname -s 2>/dev/null || hostname)
for dat in "$work"/*.dat; do
  study=$(basename "$dat" .dat)
  { read -r axis; read -r nseries pmax; read -r -a every; } <"$work/$study.meta"
  case $axis in ranks) xlabel="MPI ranks" ;; threads) xlabel="OpenMP threads" ;; *) xlabel="workers (ranks x threads)" ;; esac
  png=$prefix-$study.png
  title="${PLOT_TITLE:-concur} - $study scaling over $xlabel ($host, $(date +%Y-%m-%d))"
  # Powers of two read best on a log2 axis; a few points on a plain one.
  logx=$(awk -v m="$pmax" 'BEGIN { print (m >= 4) ? "set logscale x 2" : "unset logscale x" }')
  gp=$work/$study.gp
  {
    # shellcheck disable=SC2016 # a gnuplot data block, not a shell variable
    echo '$DATA << EOD'
    cat "$dat"
    echo 'EOD'
    cat <<GP
set terminal pngcairo size ${PLOT_SIZE:-1500,500} font "sans,11" linewidth 1.5
set output "$png"
set datafile missing "?"
set multiplot layout 1,3 title "$title" font "sans,13"
set grid
$logx
set xrange [0.8:$pmax*1.25]
$(xtics "${every[@]}")
unset mxtics
set xlabel "$xlabel"
set key below
set style line 100 dashtype 2 linecolor rgb "#777777"
set bars small
set title "time (median of repeats; bars: one standard deviation)"
set ylabel "seconds"
set yrange [0:*]
plot for [i=0:$((nseries - 1))] \$DATA index i using 1:2:3:4 with yerrorlines linetype i+1 pointtype 7 title columnheader(1)
set title "speedup"
set ylabel "$([ "$study" = weak ] && echo "scaled speedup" || echo "speedup") over one worker"
${logx/ x/ xy}
set yrange [$(awk -v m="$pmax" 'BEGIN { print (m >= 4) ? "*<0.8:" m * 1.25 "<*" : "0:" m * 1.1 "<*" }')]
plot x with lines linestyle 100 title "ideal", \\
     for [i=0:$((nseries - 1))] \$DATA index i using 1:5:6:7 with yerrorlines linetype i+1 pointtype 7 title columnheader(1)
$logx
unset logscale y
set title "parallel efficiency"
set ylabel "efficiency"
set yrange [0:1.25<*]
plot 1 with lines linestyle 100 title "ideal", \\
     for [i=0:$((nseries - 1))] \$DATA index i using 1:8:9:10 with yerrorlines linetype i+1 pointtype 7 title columnheader(1)
unset multiplot
GP
  } >"$gp"
  if ! gnuplot "$gp" 2>"$work/gnuplot.err"; then
    echo "$me: gnuplot could not draw $png: $(grep -m1 -v '^ *$' "$work/gnuplot.err")" >&2
    exit 1
  fi
  [ "${PLOT_KEEP:-0}" != 1 ] || cp "$gp" "$prefix-$study.gp"
  echo "$me: wrote $png"
done
