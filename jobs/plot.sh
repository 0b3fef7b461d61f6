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
# with the ideal line (speedup = p, efficiency = 1) dashed. One line per series
# (program, variant, size); several rows of one series at one p (repeated
# sweeps) are reduced to their median. Rows without study or p columns count
# as strong scaling over p = ranks x threads. Needs python3 and gnuplot
# (Debian: gnuplot-nox). Environment: PLOT_TITLE overrides the title's start,
# PLOT_SIZE the image size in pixels (default 1500,500).
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

# 1. The CSV becomes one gnuplot data file per study: a block per series,
#    headed by the series title, columns p, seconds, speedup, efficiency.
python3 - "$work" "$@" <<'PY'
import csv, statistics, sys
from collections import defaultdict

work, sources = sys.argv[1], sys.argv[2:]
rows = []
for src in sources:
    with open(src, newline="", encoding="utf-8") as fp:
        rows += list(csv.DictReader(fp))
if not rows:
    sys.exit(f"plot.sh: {' '.join(sources)}: no result rows")

def num(r, k, default=None):
    try:
        return float(r[k])
    except (KeyError, TypeError, ValueError):
        return default

def human(n):
    for div, unit in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")):
        if n >= div and n % (div / 100) == 0:
            return f"{n / div:g}{unit}"
    return f"{n:g}"

series = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
ones = defaultdict(list)  # single-worker times, the common baseline
family = {}               # series -> its baseline key (without threads/rank)
axes = defaultdict(set)
for r in rows:
    ranks, threads = num(r, "ranks", 1), num(r, "threads", 1)
    p = num(r, "p") or ranks * threads
    t = num(r, "seconds")
    if t is None or t <= 0:
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
    series[study][key][p].append(t)
    family[(study, key)] = (study, base, key[1])
    if p == 1:
        ones[(study, base, key[1])].append(t)

for study, groups in series.items():
    with open(f"{work}/{study}.dat", "w") as out:
        for (name, size), points in sorted(groups.items()):
            ps = sorted(points)
            # Baseline: the one-worker run of the same program, variant and
            # size (also for the 2-threads-per-rank line of a ranks x threads
            # sweep); without one, the series' first point, taken as ideal.
            one = ones.get(family[(study, (name, size))])
            p0, t0 = (1, statistics.median(one)) if one else (ps[0], statistics.median(points[ps[0]]))
            title = f"{name} ({size})" if size else name
            out.write(f'"{title}"\n')
            for p in ps:
                t = statistics.median(points[p])
                speedup = (t0 * p0 / t) if study == "strong" else (p * t0 / t)
                out.write(f"{p:g} {t:.6g} {speedup:.6g} {speedup / p:.6g}\n")
            out.write("\n\n")
    with open(f"{work}/{study}.meta", "w") as out:
        out.write(" ".join(sorted(axes[study])) + "\n")
        out.write(f"{len(groups)} {max(max(g) for g in groups.values()):g}\n")
PY

# 2. One PNG per study.
host=$(hostname -s 2>/dev/null || hostname)
for dat in "$work"/*.dat; do
  study=$(basename "$dat" .dat)
  { read -r axis; read -r nseries pmax; } <"$work/$study.meta"
  case $axis in ranks) xlabel="MPI ranks" ;; threads) xlabel="OpenMP threads" ;; *) xlabel="workers (ranks x threads)" ;; esac
  png=$prefix-$study.png
  title="${PLOT_TITLE:-concur} - $study scaling over $xlabel ($host, $(date +%Y-%m-%d))"
  # Powers of two read best on a log2 axis; one or two points on a plain one.
  logx=$(awk -v m="$pmax" 'BEGIN { print (m >= 4) ? "set logscale x 2" : "unset logscale x" }')
  gnuplot <<GP
set terminal pngcairo size ${PLOT_SIZE:-1500,500} font "sans,11" linewidth 1.5
set output "$png"
set datafile missing "?"
set multiplot layout 1,3 title "$title" font "sans,13"
set grid
$logx
set xrange [0.8:$pmax*1.25]
set xlabel "$xlabel"
set key below
set style line 100 dashtype 2 linecolor rgb "#777777"
set title "time (median of repeats)"
set ylabel "seconds"
set yrange [0:*]
plot for [i=0:$((nseries - 1))] "$dat" index i using 1:2 with linespoints linetype i+1 pointtype 7 title columnheader(1)
set title "speedup"
set ylabel "$([ "$study" = weak ] && echo "scaled speedup" || echo "speedup") over one worker"
${logx/ x/ xy}
set yrange [$(awk -v m="$pmax" 'BEGIN { print (m >= 4) ? "*<0.8:" m * 1.25 "<*" : "0:" m * 1.1 "<*" }')]
plot x with lines linestyle 100 title "ideal", \\
     for [i=0:$((nseries - 1))] "$dat" index i using 1:3 with linespoints linetype i+1 pointtype 7 title columnheader(1)
$logx
unset logscale y
set title "parallel efficiency"
set ylabel "efficiency"
set yrange [0:1.25<*]
plot 1 with lines linestyle 100 title "ideal", \\
     for [i=0:$((nseries - 1))] "$dat" index i using 1:4 with linespoints linetype i+1 pointtype 7 title columnheader(1)
unset multiplot
GP
  echo "$me: wrote $png"
done
