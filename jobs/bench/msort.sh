#!/usr/bin/env bash
# msort benchmark: msort-omp and msort against the C++ library sorts, random
# u64 keys, in interleaved rounds (every contender once per round, so machine
# noise hits all alike), medians over the rounds.
#
#   jobs/bench/msort.sh [-n N]... [--rounds R] [--bin DIR]
#   e.g. jobs/bench/msort.sh -n 10M -n 100M --rounds 3
#
# Times never include first touch of the buffers (both programs touch their
# memory before the timer starts) nor input generation. msort times run from
# a barrier to the slowest rank (the sample sort's data are generated on the
# ranks; --algo gather includes the scatter and the merge tree to rank 0).
# Needs build/bin/msort-baseline (built when libtbb-dev and libboost-dev are
# installed). CI does not run this.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=$top/build/bin
sizes=()
rounds=3
while [ $# -gt 0 ]; do
  case $1 in
    -n) sizes+=("$2"); shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
      set -- std_sort std_stable pdqsort
      [ "$t" = 2 ] && set -- tbb gnu_par gnu_par_stable par_stable
      "$bin/msort-baseline" -n "$n" --threads "$t" --repeat 1 "$@" |
        while read -r name _ th med _; do echo "$med" >> "$tmp/$name.t$th"; done
      for a in serial tasks; do
        [ "$a" = serial ] && [ "$t" = 2 ] && continue
        "$bin/msort-omp" -n "$n" --algo "$a" --threads "$t" --json 2>/dev/null | secs >> "$tmp/msort-omp_$a.t$t"
      done
    done
    if [ "$have_mpi" = 1 ]; then
      for a in sample gather; do
        "${mpirun[@]}" -np 2 "$bin/msort" -n "$n" --algo "$a" --threads 1 --json 2>/dev/null | secs >> "$tmp/msort_np2_$a.t1"
      done
    fi
  done
  echo "## n=$n random u64, median of $rounds interleaved rounds (seconds)"
  for f in "$tmp"/*.t*; do
    printf '%-26s %s\n' "$(basename "$f" | sed 's/\.t\([0-9]\)$/ (\1 thr)/')" "$(med < "$f")"
  done | tee "$tmp/table"
  v() { grep "^$1 " "$tmp/table" | awk '{print $NF}'; }
  awk -v s="$(v 'msort-omp_serial (1')" -v ss="$(v 'std_stable (1')" -v so="$(v 'std_sort (1')" \
      -v t1="$(v 'msort-omp_tasks (1')" -v t2="$(v 'msort-omp_tasks (2')" \
      -v tbb="$(v 'tbb (2')" -v gp="$(v 'gnu_par (2')" \
      -v m2="$(v 'msort_np2_sample (1')" -v g2="$(v 'msort_np2_gather (1')" 'BEGIN {
    printf "goal 1t: serial/std::stable_sort = %.2f (<= 0.5), serial/std::sort = %.2f (<= 1)\n", s/ss, s/so
    printf "goal 2t: tasks 1t/2t speed-up = %.2f (>= 1.7); tasks/tbb = %.2f, tasks/gnu_par = %.2f (< 1)\n", t1/t2, t2/tbb, t2/gp
    if (m2 > 0) printf "goal mpi: np2 sample/omp 2t = %.2f, np2 gather/omp 2t = %.2f (<= 1.25)\n", m2/t2, g2/t2
  }'
  rm -f "$tmp"/*.t* "$tmp/table"
done
