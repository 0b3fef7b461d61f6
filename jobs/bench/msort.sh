#!/usr/bin/env bash
# msort benchmark: msort-omp and msort against the C++ library sorts, random
# u64 keys (and u32, and msort on its other distributions), in interleaved
# rounds (every contender once per round, so machine noise hits all alike),
# medians over the rounds, then the goals as ratios within the run.
#
#   jobs/bench/msort.sh [-n N]... [--rounds R] [--bin DIR] [--quick]
#   e.g. flock /tmp/concur-bench.lock jobs/bench/msort.sh -n 10M -n 100M --rounds 3
#
# Peers: std::sort, std::stable_sort, pdqsort (Boost and Debian's pdqsort-dev,
# branchless), Highway's vqsort, IS4o (1 thread) and IPS4o (2 threads),
# tbb::parallel_sort, the GNU parallel sorts, Boost's parallel_stable_sort.
# --quick: only the peers of the vector goals (vqsort, IS4o, IPS4o, branchless
# pdqsort), so that more rounds fit in the same time.
# Peak memory: the maximum resident size of one msort-omp run (/usr/bin/time)
# over the bytes of the data.
#
# Times never include first touch of the buffers (both programs touch their
# memory before the timer starts) nor input generation. msort times run from
# a barrier to the slowest rank (the sample sort's data are generated on the
# ranks; --algo gather includes the scatter and the merge tree to rank 0).
# Needs build/bin/msort-baseline (built when the packages of
# jobs/deps/bench-msort.txt are installed). CI does not run this.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=$top/build/bin
sizes=()
rounds=3
quick=0
while [ $# -gt 0 ]; do
  case $1 in
    -n) sizes+=("$2"); shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    --quick) quick=1; shift ;;
    -h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "msort.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[ ${#sizes[@]} -gt 0 ] || sizes=(10M)
for p in msort-omp msort-baseline; do
  [ -x "$bin/$p" ] || { echo "msort.sh: $bin/$p not built" >&2; exit 1; }
done
mpirun=(mpirun --bind-to none) # like the OpenMP threads it is compared with: free to move off a busy core
[ "$(id -u)" = 0 ] && mpirun+=(--allow-run-as-root)
have_mpi=0
[ -x "$bin/msort" ] && command -v mpirun >/dev/null && have_mpi=1

# count N -> plain integer (10M -> 10000000, 1Gi -> 1073741824)
count() {
  local v=$1
  case $v in
    *Ki) echo $(( ${v%Ki} * 1024 )) ;; *Mi) echo $(( ${v%Mi} * 1048576 )) ;;
    *Gi) echo $(( ${v%Gi} * 1073741824 )) ;; *k) echo $(( ${v%k} * 1000 )) ;;
    *M) echo $(( ${v%M} * 1000000 )) ;; *G) echo $(( ${v%G} * 1000000000 )) ;; *) echo "$v" ;;
  esac
}
secs() { grep -o '"seconds":[0-9.e+-]*' | head -1 | cut -d: -f2; }
med() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "# msort benchmark: $(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for size in "${sizes[@]}"; do
  n=$(count "$size")
  for _ in $(seq "$rounds"); do
    for t in 1 2; do
      set -- std_sort std_stable pdqsort pdqsort_bl vqsort is4o
      [ "$t" = 2 ] && set -- tbb gnu_par gnu_par_stable par_stable ips4o
      [ "$quick" = 1 ] && { set -- pdqsort_bl vqsort is4o; [ "$t" = 2 ] && set -- ips4o; }
      "$bin/msort-baseline" -n "$n" --threads "$t" --repeat 1 "$@" |
        while read -r name _ th med _; do echo "$med" >> "$tmp/$name.t$th"; done
      for a in serial tasks; do
        [ "$a" = serial ] && [ "$t" = 2 ] && continue
        "$bin/msort-omp" -n "$n" --algo "$a" --threads "$t" --json 2>/dev/null | secs >> "$tmp/msort-omp_$a.t$t"
      done
    done
    # u32 keys, one thread
    "$bin/msort-baseline" -n "$n" --threads 1 --repeat 1 --type u32 vqsort is4o |
      while read -r name _ th med _; do echo "$med" >> "$tmp/u32_$name.t$th"; done
    "$bin/msort-omp" -n "$n" --type u32 --algo serial --threads 1 --json 2>/dev/null | secs >> "$tmp/u32_msort-omp_serial.t1"
    # the scalar core, and msort on the other distributions
    CONCUR_SIMD=scalar "$bin/msort-omp" -n "$n" --algo serial --threads 1 --json 2>/dev/null |
      secs >> "$tmp/msort-omp_serial_scalar.t1"
    for d in sorted reverse nearly few equal; do
      "$bin/msort-omp" -n "$n" --dist "$d" --algo serial --threads 1 --json 2>/dev/null | secs >> "$tmp/dist_$d.t1"
    done
    if [ "$have_mpi" = 1 ] && [ "$quick" = 0 ]; then
      for a in sample gather; do
        "${mpirun[@]}" -np 2 "$bin/msort" -n "$n" --algo "$a" --threads 1 --json 2>/dev/null | secs >> "$tmp/msort_np2_$a.t1"
      done
    fi
  done
  echo "## n=$n random u64 (u32_: u32; dist_: msort-omp serial on that --dist), median of $rounds interleaved rounds (seconds)"
  for f in "$tmp"/*.t*; do
    printf '%-30s %s\n' "$(basename "$f" | sed 's/\.t\([0-9]\)$/ (\1 thr)/')" "$(med < "$f")"
  done | tee "$tmp/table"
  v() { grep "^$1 " "$tmp/table" | awk '{print $NF}'; }
  # peak memory of one run, over the data (n u64 keys)
  rss=0
  if [ -x /usr/bin/time ]; then
    rss=$(/usr/bin/time -f '%M' "$bin/msort-omp" -n "$n" --threads 2 2>&1 >/dev/null | tail -1)
  fi
  [ "$quick" = 1 ] || awk -v s="$(v 'msort-omp_serial (1')" -v ss="$(v 'std_stable (1')" -v so="$(v 'std_sort (1')" \
      -v t1="$(v 'msort-omp_tasks (1')" -v t2="$(v 'msort-omp_tasks (2')" \
      -v tbb="$(v 'tbb (2')" -v gp="$(v 'gnu_par (2')" \
      -v m2="$(v 'msort_np2_sample (1')" -v g2="$(v 'msort_np2_gather (1')" 'BEGIN {
    printf "goal 1t: serial/std::stable_sort = %.2f (<= 0.5), serial/std::sort = %.2f (<= 1)\n", s/ss, s/so
    printf "goal 2t: tasks 1t/2t speed-up = %.2f (>= 1.7); tasks/tbb = %.2f, tasks/gnu_par = %.2f (< 1)\n", t1/t2, t2/tbb, t2/gp
    if (m2 > 0) printf "goal mpi: np2 sample/omp 2t = %.2f, np2 gather/omp 2t = %.2f (<= 1.25)\n", m2/t2, g2/t2
  }'
  awk -v s="$(v 'msort-omp_serial (1')" -v vq="$(v 'vqsort (1')" -v is="$(v 'is4o (1')" \
      -v pdq="$(v 'pdqsort_bl (1')" -v sc="$(v 'msort-omp_serial_scalar (1')" \
      -v s4="$(v 'u32_msort-omp_serial (1')" -v vq4="$(v 'u32_vqsort (1')" \
      -v t2="$(v 'msort-omp_tasks (2')" -v ip="$(v 'ips4o (2')" \
      -v rss="$rss" -v n="$n" -v dists="$(for d in sorted reverse nearly few equal; do printf '%s=%s ' "$d" "$(v "dist_$d (1")"; done)" 'BEGIN {
    printf "goal simd u64 1t: serial/vqsort = %.2f (<= 2.0); /is4o = %.2f, /pdqsort_bl = %.2f, vector/scalar core = %.2f\n", s/vq, s/is, s/pdq, s/sc
    printf "goal simd u32 1t: serial/vqsort = %.2f (<= 2.0)\n", s4/vq4
    printf "goal simd 2t: tasks 2t/ips4o 2t = %.2f (<= 0.6)\n", t2/ip
    split(dists, d, " "); line = ""; worst = 0
    for (i in d) { split(d[i], kv, "="); r = kv[2] / s; line = line sprintf(" %s %.2f", kv[1], r); if (r > worst) worst = r }
    printf "goal dists: serial on each dist / uniform:%s (all <= 1.0; worst %.2f)\n", line, worst
    if (rss > 0) printf "goal memory: peak RSS %.0f MB / data %.0f MB = %.2f (<= 2.1)\n", rss / 1024, n * 8 / 1e6, rss * 1024 / (n * 8)
  }'
  rm -f "$tmp"/*.t* "$tmp/table"
done
