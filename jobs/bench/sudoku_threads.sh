#!/usr/bin/env bash
# The MPI sudoku's default threads per rank against an explicit --threads 1,
# on the 17-clue set, every distribution, in interleaved rounds: one rank
# (default threads), then two ranks with the default and with --threads 1.
# Prints the median end-to-end and solve times of each configuration and
# the threads each run used (from --json).
#
#   jobs/bench/sudoku_threads.sh [--build DIR] [--rounds R]
#
# mpirun runs with --bind-to none, as the efficiency benchmark does, so that
# the default is what the program picks, not what Open MPI's binding allows.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=$top/build
rounds=9
while [ $# -gt 0 ]; do
  case $1 in
    --build) build=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "sudoku_threads.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift
done
bin=$build/bin
[ -x "$bin/sudoku" ] || { echo "sudoku_threads.sh: build first ($bin/sudoku missing)" >&2; exit 1; }
set17=$top/tests/data/sudoku/tdoku/puzzles2_17_clue
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mpirun=(mpirun --bind-to none --map-by :OVERSUBSCRIBE)
[ "$(id -u)" = 0 ] && mpirun+=(--allow-run-as-root)
unset OMP_NUM_THREADS

echo "# sudoku threads per rank $(date -u +%FT%TZ), $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for _ in $(seq "$rounds"); do
  for cfg in "1 default static" "2 default static" "2 t1 static" "2 default cyclic" \
             "2 t1 cyclic" "2 default dynamic" "2 t1 dynamic"; do
    read -r np how dist <<<"$cfg"
    extra=()
    [ "$how" = t1 ] && extra=(--threads 1)
    rm -f "$work/out"
    line=$("${mpirun[@]}" -np "$np" "$bin/sudoku" --count --dist "$dist" "${extra[@]}" \
             -o "$work/out" --json "$set17" 2>/dev/null | tail -1)
    echo "$np $how $dist $line" >>"$work/runs"
  done
done
python3 - "$work/runs" <<'EOF'
import json, statistics, sys, collections
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    np, how, dist, js = line.split(" ", 3)
    j = json.loads(js)
    runs[(int(np), how, dist)].append((j["e2e_seconds"], j["seconds"], j["threads"]))
print("| ranks | threads option | dist | threads used | end to end (median) | solve (median) |")
print("|---:|---|---|---:|---:|---:|")
for (np, how, dist), v in sorted(runs.items()):
    print(f"| {np} | {'--threads 1' if how == 't1' else '(default)'} | {dist} | "
          f"{','.join(sorted({str(x[2]) for x in v}))} | "
          f"{1e3 * statistics.median(x[0] for x in v):.1f} ms | "
          f"{1e3 * statistics.median(x[1] for x in v):.1f} ms |")
EOF
echo "# end: load average $(cut -d' ' -f1-3 /proc/loadavg)"
