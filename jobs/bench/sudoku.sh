#!/usr/bin/env bash
# Benchmark of sudoku / sudoku-omp against the issue's speed goals, in one run:
#   1. fast solver vs the Norvig reference port, counting mode, one thread, on
#      the same puzzles (17-clue, magictour top1465, forum-hardest: the reference
#      runs on every K-th line, the fast solver on those lines and on the full
#      set), interleaved, median of R runs;
#   2. the slowest puzzle of every shared set (fast), hard1 and the empty grid;
#   3. end-to-end parallel efficiency (read + solve + ordered write) at 1 vs 2
#      threads per schedule and 1 vs 2 ranks per distribution, interleaved,
#      median of R runs (also the median of each round's own ratio, and the
#      best of R, for the structure without the host's noise), on the whole 17-clue and forum-hardest sets (forum
#      thinned with --quick), side by side; mpirun with --bind-to none, so that
#      a rank is not stuck on a core another process is using. Each round
#      of part 3 starts with a host check: one 17-clue solve (1 thread)
#      pinned to each CPU alone, then on both at once; the report prints
#      them, since the shared host's slow spells decide these figures, and
#      the rounds' ratios again over the quiet rounds only (the four solves
#      within 10% of each other).
#
#   jobs/bench/sudoku.sh [--quick] [--build DIR] [--repeat R] [--part 1|2|3]
#   jobs/bench/sudoku.sh --report FILE.jsonl   (the tables of an earlier run)
#
# To stay within a few minutes parts 1-2 thin the forum-hardest set to every
# 4th line (every 8th with --quick). JSON lines of every run go to
# jobs/results/sudoku-<date>.jsonl; the tables to stdout. The machine is
# shared: compare within one run, and read the load average printed at the
# start and the end.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=$top/build
R=5
K=10
forum_k=4
parts=123
quick=0
report=
while [ $# -gt 0 ]; do
  case $1 in
    --quick) R=1; K=50; forum_k=8; quick=1 ;;
    --build) build=$2; shift ;;
    --repeat) R=$2; shift ;;
    --part) parts=$2; shift ;;
    --report) report=$2; shift ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "sudoku.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift
done
bin=$build/bin
data=$top/tests/data/sudoku
[ -x "$bin/sudoku-omp" ] || { echo "sudoku.sh: build first ($bin/sudoku-omp missing)" >&2; exit 1; }
mkdir -p "$top/jobs/results"
out=$top/jobs/results/sudoku-$(date -u +%Y%m%dT%H%M%S).jsonl
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mpirun=(mpirun --map-by :OVERSUBSCRIBE --bind-to none)
[ "$(id -u)" = 0 ] && mpirun+=(--allow-run-as-root)
have_mpi=0
[ -x "$bin/sudoku" ] && command -v mpirun >/dev/null && have_mpi=1

if [ -n "$report" ]; then # no runs: the tables of $report
  [ -r "$report" ] || { echo "sudoku.sh: cannot read $report" >&2; exit 1; }
  out=$report
  parts=
  echo "# sudoku benchmark tables of ${report#"$top"/}"
else
  echo "# sudoku benchmark $(date -u +%FT%TZ), $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# R=$R runs per figure (median), reference on every ${K}th line, forum-hardest thinned to every ${forum_k}th line; JSON: ${out#"$top"/}"
fi

# run TAG cmd...: run with --json, append the JSON line (with tag) to $out, print it.
# The output file of the previous run is removed first (untimed): replacing it
# would make the rename free its blocks, a cost of the last run, not this one.
run() {
  local tag=$1; shift
  local line
  rm -f "$work/out"
  line=$("$@" --json 2>/dev/null | tail -1) || { echo "sudoku.sh: failed: $*" >&2; exit 1; }
  printf '{"tag":"%s","result":%s}\n' "$tag" "$line" >>"$out"
}

c17=$data/tdoku/puzzles2_17_clue
t1465=$data/tdoku/puzzles3_magictour_top1465
forum=$data/tdoku/puzzles5_forum_hardest_1905_11+_minus_holdout
if [ "$forum_k" != 1 ]; then
  awk -v k="$forum_k" 'NR % k == 1' "$forum" >"$work/forum"
  forum=$work/forum
fi
declare -A setfile=([17clue]=$c17 [top1465]=$t1465 [forum]=$forum)
declare -A efffile=([17clue]=$c17 [forum]=$data/tdoku/puzzles5_forum_hardest_1905_11+_minus_holdout)
[ "$quick" = 1 ] && efffile[forum]=$forum

# --- 1. fast vs reference ---------------------------------------------------------
[[ $parts == *1* ]] && for s in 17clue top1465 forum; do
  awk -v k="$K" '!/^#/ && NF && ++n % k == 1' "${setfile[$s]}" >"$work/$s.sub"
done
[[ $parts == *1* ]] && for _ in $(seq "$R"); do
  for s in 17clue top1465 forum; do
    run "ratio/$s/norvig" "$bin/sudoku-omp" --count --threads 1 --quiet --algo norvig "$work/$s.sub"
    run "ratio/$s/fast" "$bin/sudoku-omp" --count --threads 1 --quiet --algo fast "$work/$s.sub"
    run "full/$s/fast" "$bin/sudoku-omp" --count --threads 1 --quiet "${setfile[$s]}"
  done
done

# --- 2. slowest puzzles -------------------------------------------------------------
echo '.....6....59.....82....8....45........3........6..3.54...325..6..................' >"$work/hard1"
printf '%081d\n' 0 >"$work/empty"
[[ $parts == *2* ]] && for _ in $(seq "$R"); do
  run "one/hard1" "$bin/sudoku-omp" --count --threads 1 --quiet "$work/hard1"
  run "one/empty" "$bin/sudoku-omp" --count --threads 1 --quiet "$work/empty"
done
# the slowest line of each set, then that line alone, 5 times: on a loaded
# machine one puzzle's wall time can include a preemption; the minimum of 5
# solo runs is its solve time
[[ $parts == *2* ]] && for f in "$data"/textbook/*.txt "$data"/norvig/*.txt "$data"/tdoku/* "$data"/derived/*.txt; do
  b=$(basename "$f")
  run "max/$b" "$bin/sudoku-omp" --count --threads 1 --quiet "$f"
  ln=$(tail -1 "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["result"]["slowest"]["line"])')
  sed -n "${ln}p" "$f" >"$work/slow"
  run "solo/$b" "$bin/sudoku-omp" --count --threads 1 --quiet --repeat 5 "$work/slow"
done

# --- 3. parallel efficiency, end to end -------------------------------------------------
# host check: how fast each CPU solves alone, and both at once (taskset pins)
ncpu=$(nproc)
host_check() {
  command -v taskset >/dev/null && [ "$ncpu" -ge 2 ] || return 0
  local c
  for c in 0 1; do
    run "host/alone/$c" taskset -c "$c" "$bin/sudoku-omp" --count --threads 1 --quiet "$c17"
  done
  for c in 0 1; do
    taskset -c "$c" "$bin/sudoku-omp" --count --threads 1 --quiet --json "$c17" 2>/dev/null |
      tail -1 >"$work/both$c" &
  done
  wait
  for c in 0 1; do
    printf '{"tag":"host/both/%s","result":%s}\n' "$c" "$(cat "$work/both$c")" >>"$out"
  done
}
[[ $parts == *3* ]] && for _ in $(seq "$R"); do
  host_check
  for s in 17clue forum; do
    for sch in puzzle chunk; do
      for t in 1 2; do
        run "eff/$s/omp-$sch/$t" "$bin/sudoku-omp" --count --threads "$t" --schedule "$sch" \
          -o "$work/out" "${efffile[$s]}"
      done
    done
    if [ "$have_mpi" = 1 ]; then
      for d in static cyclic dynamic; do
        for np in 1 2; do
          run "eff/$s/mpi-$d/$np" "${mpirun[@]}" -np "$np" "$bin/sudoku" --count --threads 1 \
            --dist "$d" -o "$work/out" "${efffile[$s]}"
        done
      done
    fi
  done
done

[ -z "$report" ] && echo "# load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$out" <<'PY'
import json, sys, statistics as st
from collections import defaultdict
runs = defaultdict(list)
for line in open(sys.argv[1]):
    d = json.loads(line)
    runs[d["tag"]].append(d["result"])
med = lambda tag, key: st.median(r[key] for r in runs[tag])

if "ratio/forum/fast" in runs:
    print("\n## 1. fast solver vs Norvig reference (counting mode, 1 thread, same puzzles)")
    print("wall: solve-phase wall time; cpu: its process CPU time (immune to preemption)")
    print(f"{'set':8} {'puzzles':>8} {'norvig/s':>10} {'fast/s':>10} {'ratio':>7} {'cpu ratio':>9}"
          f"   {'fast/s full set (cpu)':>22} {'full n':>7}")
    for s in ("17clue", "top1465", "forum"):
        n = runs[f"ratio/{s}/fast"][0]["n"]
        nv, fa = med(f"ratio/{s}/norvig", "seconds"), med(f"ratio/{s}/fast", "seconds")
        nvc = med(f"ratio/{s}/norvig", "solve_cpu_seconds")
        fac = med(f"ratio/{s}/fast", "solve_cpu_seconds")
        fn = runs[f"full/{s}/fast"][0]["n"]
        print(f"{s:8} {n:8d} {n/nv:10.0f} {n/fa:10.0f} {nv/fa:6.1f}x {nvc/fac:8.1f}x   "
              f"{fn/med(f'full/{s}/fast','seconds'):10.0f} "
              f"({fn/med(f'full/{s}/fast','solve_cpu_seconds'):8.0f}) {fn:7d}")

if "one/hard1" in runs:
    print("\n## 2. slowest single puzzles (fast, counting mode)")
    for t in ("one/hard1", "one/empty"):
        best = min(r["puzzle_max_seconds"] for r in runs[t])
        print(f"{t[4:]:10} {best*1e3:8.3f} ms (best of {len(runs[t])})")
    print(f"{'set':48} {'puzzles':>8} {'median us':>9} {'max ms':>8} {'solo ms':>8}  slowest line")
    for tag in sorted(t for t in runs if t.startswith("max/")):
        r = runs[tag][0]
        solo = runs["solo/" + tag[4:]][0]["min_seconds"]
        print(f"{tag[4:]:48} {r['n']:8d} {r['puzzle_median_seconds']*1e6:9.1f} "
              f"{r['puzzle_max_seconds']*1e3:8.3f} {solo*1e3:8.3f}  {r['slowest'].split('/')[-1]}")
    print("(max: wall time of the slowest puzzle in the batch run, preemptions included;")
    print(" solo: that puzzle alone, best of 5)")

kinds = sorted({t.split("/")[2] for t in runs if t.startswith("eff/")},
               key=lambda k: (k.startswith("mpi"), k))
if kinds:
    print("\n## 3. end-to-end parallel efficiency: T(1) / (2 T(2)), read + solve + ordered write")
    print(f"{'set':8} " + " ".join(f"{k:>15}" for k in kinds))
    best = lambda tag, key: min(r[key] for r in runs[tag])
    # each round runs T(1) and T(2) back to back: the median of the rounds'
    # own ratios is immune to slow spells that last a few rounds
    def pairs(s, k, key):
        effs = [a[key] / (2 * b[key]) for a, b in zip(runs[f"eff/{s}/{k}/1"], runs[f"eff/{s}/{k}/2"])]
        return st.median(effs)
    for key, agg, title in (("e2e_seconds", med, None),
                            ("e2e_seconds", None, "median of each round's own ratio "
                             "(T(1) and T(2) run back to back):"),
                            ("seconds", med, "solve phase only:"),
                            ("e2e_seconds", best, "best of R (end to end: the structure, "
                             "without the shared host's slow spells):")):
        if title:
            print(title)
        for s in ("17clue", "forum"):
            cells = []
            for k in kinds:
                if agg is None:
                    e = pairs(s, k, key)
                    cells.append(f"{e*100:5.1f}% ({2*e:.2f}x)")
                    continue
                t1, t2 = agg(f"eff/{s}/{k}/1", key), agg(f"eff/{s}/{k}/2", key)
                cells.append(f"{t1/(2*t2)*100:5.1f}% ({t1/t2:.2f}x)")
            print(f"{s:8} " + " ".join(f"{c:>15}" for c in cells))
    if "host/both/1" in runs:
        # per round: the solve alone on each CPU, then on both at once; a round
        # is quiet when the slowest of the four is within 10% of the fastest
        h = [[runs[t][i]["seconds"] for t in ("host/alone/0", "host/alone/1", "host/both/0", "host/both/1")]
             for i in range(len(runs["host/both/1"]))]
        spread = [max(x) / min(x) for x in h]
        quiet = [i for i, x in enumerate(spread) if x <= 1.10]
        ms = lambda k: st.median(x[k] for x in h) * 1e3
        print(f"host check, each round (17-clue solve, 1 thread, medians): alone on CPU 0 {ms(0):.0f} ms, "
              f"on CPU 1 {ms(1):.0f} ms; both at once {ms(2):.0f} and {ms(3):.0f} ms; "
              f"{len(quiet)} of {len(h)} rounds quiet (the four within 10%)")
        if quiet and len(quiet) < len(h):
            print(f"median of the rounds' own ratios, the {len(quiet)} quiet rounds only:")
            for s in ("17clue", "forum"):
                cells = []
                for k in kinds:
                    e = st.median(runs[f"eff/{s}/{k}/1"][i]["e2e_seconds"] /
                                  (2 * runs[f"eff/{s}/{k}/2"][i]["e2e_seconds"]) for i in quiet)
                    cells.append(f"{e*100:5.1f}% ({2*e:.2f}x)")
                print(f"{s:8} " + " ".join(f"{c:>15}" for c in cells))
    for s in ("17clue", "forum"):
        k = kinds[0]
        r = runs[f"eff/{s}/{k}/1"]
        print(f"# {s}, {k}, 1 thread: end to end {med(f'eff/{s}/{k}/1', 'e2e_seconds'):.3f} s "
              f"(read {med(f'eff/{s}/{k}/1', 'read_seconds'):.3f} s, "
              f"write {med(f'eff/{s}/{k}/1', 'write_seconds'):.3f} s)")
PY
