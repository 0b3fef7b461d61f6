#!/usr/bin/env bash
# sweep.sh: the laptop runner. Runs one program over a range of OpenMP thread
# counts (OMP_NUM_THREADS) and, for the MPI programs, of mpirun -np rank
# counts, collects each run's --json line into a CSV, and optionally plots it.
#
#   jobs/sweep.sh [options] -- PROGRAM [PROGRAM OPTIONS...]
#
#   jobs/sweep.sh -t "1 2" -n 10M -o omp.csv --plot -- build/bin/msort-omp
#   jobs/sweep.sh -p "1 2 4" -t 1 -n 10M -- build/bin/msort --algo sample
#   jobs/sweep.sh -s weak -p "1 2 4" -t 1 -n 2M -- build/bin/msort
#   jobs/sweep.sh -t "1 2" -- build/bin/sudoku-omp puzzles.txt
#
# Options:
#   -t, --threads LIST  OMP_NUM_THREADS values     default: 1 2 4 ... up to nproc, and nproc
#   -p, --np LIST       MPI rank counts; each run goes through mpirun
#                       default: no mpirun (one process)
#   -s, --study S       strong (fixed total size) or weak (size per worker)
#                       default: strong
#   -n, --size N        strong: the total -n; weak: -n per worker, the run gets
#                       N x ranks x threads. Suffixes k M G T Ki Mi Gi Ti.
#                       default: none (the program's own input, e.g. files)
#   -r, --repeat R      --repeat given to the program (median time) default: 3
#   -R, --rounds K      go over all the points K times, interleaved, so that a
#                       load change hits every point alike (plot.sh takes the
#                       median of a point's rounds)     default: 1
#   -o, --out FILE      the CSV                    default: sweep-<date>-<time>.csv
#   --plot              also run jobs/plot.sh on the CSV (PNG files beside it)
#   -h, --help          this text
# Environment: MPIRUN is the launcher prefix (default: mpirun --bind-to none,
# plus --map-by :OVERSUBSCRIBE above nproc ranks and --allow-run-as-root as root).
# Every run must exit 0 (the programs verify their results) and report the
# ranks and threads asked for; otherwise the sweep stops with exit 1 (the CSV
# keeps the runs before). Exit status: 0 done, 1 a run failed, 2 bad usage.
set -euo pipefail

me=sweep.sh
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
usage() { sed -n '2,33p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
bad() { echo "$me: $*" >&2; echo "$me: try --help" >&2; exit 2; }

ncpu=$(nproc)
threads_list="" np_list="" study=strong size="" repeat=3 rounds=1 out="" plot=0
while [ $# -gt 0 ]; do
  case $1 in
    -t | --threads) [ $# -ge 2 ] || bad "$1 needs a value"; threads_list=$2; shift 2 ;;
    -p | --np) [ $# -ge 2 ] || bad "$1 needs a value"; np_list=$2; shift 2 ;;
    -s | --study) [ $# -ge 2 ] || bad "$1 needs a value"; study=$2; shift 2 ;;
    -n | --size) [ $# -ge 2 ] || bad "$1 needs a value"; size=$2; shift 2 ;;
    -r | --repeat) [ $# -ge 2 ] || bad "$1 needs a value"; repeat=$2; shift 2 ;;
    -R | --rounds) [ $# -ge 2 ] || bad "$1 needs a value"; rounds=$2; shift 2 ;;
    -o | --out) [ $# -ge 2 ] || bad "$1 needs a value"; out=$2; shift 2 ;;
    --plot) plot=1; shift ;;
    -h | --help) usage; exit 0 ;;
    --) shift; break ;;
    -*) bad "unknown option '$1'" ;;
    *) break ;;
  esac
done
[ $# -ge 1 ] || bad "name the program to sweep (after --)"
prog=$1
shift
case $prog in */*) ;; *) prog=$(command -v "$prog" || echo "$prog") ;; esac
[ -x "$prog" ] || bad "'$prog' is not an executable program"
case $study in strong | weak) ;; *) bad "--study must be strong or weak, not '$study'" ;; esac
[[ $repeat =~ ^[1-9][0-9]*$ ]] || bad "--repeat must be a positive integer, not '$repeat'"
[[ $rounds =~ ^[1-9][0-9]*$ ]] || bad "--rounds must be a positive integer, not '$rounds'"
[ "$study" = strong ] || [ -n "$size" ] || bad "a weak study needs --size (the size per worker)"

# A size with an optional suffix (k M G T = 10^3.., Ki Mi Gi Ti = 2^10..) as a
# plain integer, so that weak scaling can multiply it.
to_count() {
  local v=$1 num unit mult
  [[ $v =~ ^([0-9]+)(k|M|G|T|Ki|Mi|Gi|Ti)?$ ]] || bad "'$v' is not a size (digits, then k M G T Ki Mi Gi Ti)"
  num=${BASH_REMATCH[1]} unit=${BASH_REMATCH[2]}
  case $unit in
    '') mult=1 ;; k) mult=1000 ;; M) mult=1000000 ;; G) mult=1000000000 ;;
    T) mult=1000000000000 ;; Ki) mult=1024 ;; Mi) mult=1048576 ;;
    Gi) mult=1073741824 ;; Ti) mult=1099511627776 ;;
  esac
  echo $((10#$num * mult))
}
[ -z "$size" ] || size=$(to_count "$size")

counts() { # counts NAME LIST: check a list of positive integers
  local c
  for c in $2; do [[ $c =~ ^[1-9][0-9]*$ ]] || bad "$1: '$c' is not a positive integer"; done
  [ -n "$2" ] || bad "$1: empty list"
}
if [ -z "$threads_list" ]; then
  for ((c = 1; c < ncpu; c *= 2)); do threads_list+="$c "; done
  threads_list+=$ncpu
fi
counts --threads "$threads_list"
use_mpi=0
if [ -n "$np_list" ]; then
  counts --np "$np_list"
  use_mpi=1
else
  np_list=1
fi
read -r -a tl <<<"$threads_list"
read -r -a nl <<<"$np_list"
# The swept axis names the plots: ranks, threads, or both at once.
if [ ${#nl[@]} -gt 1 ] && [ ${#tl[@]} -gt 1 ]; then
  axis=workers
elif [ ${#nl[@]} -gt 1 ]; then
  axis=ranks
else
  axis=threads
fi

out=${out:-sweep-$(date +%Y%m%d-%H%M%S).csv}
jsonl=$(mktemp "${TMPDIR:-/tmp}/concur-sweep.XXXXXX")
runout=$(mktemp "${TMPDIR:-/tmp}/concur-sweep.XXXXXX")
runerr=$(mktemp "${TMPDIR:-/tmp}/concur-sweep.XXXXXX")
trap 'rm -f "$jsonl" "$runout" "$runerr"' EXIT

# The JSON member NAME of a one-line object (numbers only).
member() { sed -n "s/.*\"$1\":\([0-9.eE+-]*\).*/\1/p" <<<"$2"; }

for ((round = 1; round <= rounds; round++)); do
  for np in "${nl[@]}"; do
    for nt in "${tl[@]}"; do
      p=$((np * nt))
      cmd=()
      if [ "$use_mpi" = 1 ]; then
        if [ -n "${MPIRUN:-}" ]; then
          read -r -a cmd <<<"$MPIRUN"
        else
          cmd=(mpirun --bind-to none)
          [ "$np" -le "$ncpu" ] || cmd+=(--map-by :OVERSUBSCRIBE)
          [ "$(id -u)" != 0 ] || cmd+=(--allow-run-as-root)
        fi
        cmd+=(-np "$np")
      fi
      cmd+=("$prog" "$@")
      if [ -n "$size" ]; then
        if [ "$study" = weak ]; then cmd+=(-n $((size * p))); else cmd+=(-n "$size"); fi
      fi
      cmd+=(--repeat "$repeat" --json)
      echo "$me: OMP_NUM_THREADS=$nt ${cmd[*]}" >&2
      status=0
      OMP_NUM_THREADS=$nt "${cmd[@]}" >"$runout" 2>"$runerr" || status=$?
      grep -v '^{"program"' "$runerr" >&2 || true
      [ "$status" = 0 ] || { echo "$me: the run above failed with exit status $status" >&2; exit 1; }
      # --json is on stdout, or the last line of stderr when the program's
      # results are on stdout (it never takes their place)
      line=$(grep -h -m1 '^{"program"' "$runout" "$runerr" | awk 'NR == 1' || true)
      [ -n "$line" ] || { echo "$me: the run above printed no --json line" >&2; exit 1; }
      # The program must see what was asked: catches a launcher or an
      # OMP_NUM_THREADS that does not reach it.
      got_t=$(member threads "$line") got_r=$(member ranks "$line")
      if [ "$got_t" != "$nt" ] || [ "$got_r" != "$np" ]; then
        echo "$me: asked for $np ranks x $nt threads, the program reports ${got_r:-?} x ${got_t:-?}" >&2
        exit 1
      fi
      echo "{\"study\":\"$study\",\"axis\":\"$axis\",\"p\":$p,${line#\{}" >>"$jsonl"
      python3 "$here/json2csv.py" "$jsonl" >"$out.tmp" && mv "$out.tmp" "$out"
    done
  done
done
echo "$me: wrote $out ($(($(wc -l <"$out") - 1)) runs)" >&2
if [ "$plot" = 1 ]; then
  bash "$here/plot.sh" "$out"
fi
