#!/usr/bin/env bash
# Multi-host benchmark: msort and sudoku on 1 host x 2 ranks (shared memory)
# against 2 hosts x 1 rank (TCP over a veth pair and a bridge), and the same
# 2 hosts with each host's link shaped to 1 Gbit/s (tc tbf on its eth0). The
# hosts are the test hosts of tests/multihost.sh (network namespaces on this
# machine: they share its cores, memory and clock). Interleaved rounds (every
# layout once per round, so machine noise hits all alike), medians.
#
#   flock /tmp/concur-bench.lock jobs/bench/multihost.sh [-n KEYS] [--rounds R] [--bin DIR]
#
# Per run: the program's own time (msort: barrier to the slowest rank, the
# all-to-all exchange included; sudoku: the solve, and end to end from reading
# the input to the written output), mpirun's wall time, and the bytes each
# host sent on its eth0 (/proc/net/dev of its namespace; on 1 host the ranks
# talk through shared memory and send nothing). msort sorts generated u64 keys
# (-n, default 100M, --algo sample); sudoku counts the solutions of the 49,151
# 17-clue puzzles of tests/data/sudoku/tdoku/puzzles2_17_clue (--dist dynamic,
# 1 thread per rank). Needs root. CI does not run this.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=$top/build/bin
keys=100M
rounds=3
while [ $# -gt 0 ]; do
  case $1 in
    -n) keys=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    -h | --help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "multihost.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
for p in msort sudoku; do
  [ -x "$bin/$p" ] || { echo "multihost.sh: $bin/$p not built" >&2; exit 1; }
done
CONCUR_BIN=$bin CONCUR_TESTS=$top/tests
# shellcheck source=tests/lib.sh
. "$top/tests/lib.sh"
# shellcheck source=tests/multihost.sh
. "$top/tests/multihost.sh"
set +u
mh_up 2 7200
set -u
puzzles=$top/tests/data/sudoku/tdoku/puzzles2_17_clue

# shellcheck disable=SC2016 # (awk's fields)
tx() { ip netns exec "${MH_HOST[$1]}" awk '$1 == "eth0:" { print $10 }' /proc/net/dev; }
shape() { # shape on|off: 1 Gbit/s on both hosts' eth0 (what each host sends)
  local i
  for i in 1 2; do
    if [ "$1" = on ]; then
      tc -n "${MH_HOST[i]}" qdisc replace dev eth0 root tbf rate 1gbit burst 256kb latency 50ms
    else
      tc -n "${MH_HOST[i]}" qdisc del dev eth0 root 2>/dev/null || true
    fi
  done
}
field() { { grep -o "\"$1\":[0-9.e+-]*" || true; } | awk -F: 'NR == 1 { print $2 }'; }
med() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# one LAYOUT PROG: one run; appends "seconds e2e wall tx1 tx2" to $TMP/PROG.LAYOUT
one() {
  local lay=$1 prog=$2 hosts a1 a2 t0 t1 out
  case $lay in
    1x2) hosts=${MH_HOST[1]}:2 ;;
    *) hosts=${MH_HOST[1]},${MH_HOST[2]} ;;
  esac
  shape "$([ "$lay" = 2x1-1G ] && echo on || echo off)"
  a1=$(tx 1) a2=$(tx 2)
  t0=$EPOCHREALTIME
  case $prog in
    msort) out=$(mh_mpirun -np 2 --host "$hosts" "$bin/msort" -n "$keys" --algo sample --json 2>/dev/null) ;;
    sudoku) out=$(mh_mpirun -np 2 --host "$hosts" "$bin/sudoku" --count --dist dynamic --threads 1 --json \
      -o /dev/null "$puzzles" 2>&1 | grep '^{') ;;
  esac
  t1=$EPOCHREALTIME
  grep -q '"verified":true' <<<"$out" || { echo "multihost.sh: $prog on $lay not verified: $out" >&2; exit 1; }
  local e2e
  e2e=$(field e2e_seconds <<<"$out")
  echo "$(field seconds <<<"$out") ${e2e:--} $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" \
    "$(($(tx 1) - a1)) $(($(tx 2) - a2))" >>"$TMP/$prog.$lay"
}

layouts=(1x2 2x1 2x1-1G)
echo "# multihost benchmark: $(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), msort -n $keys, $rounds rounds"
for ((r = 1; r <= rounds; r++)); do
  for prog in msort sudoku; do
    for lay in "${layouts[@]}"; do one "$lay" "$prog"; done
  done
  echo "# round $r done, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
done
shape off

col() { awk -v c="$2" '{ print $c }' "$1" | med; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }
echo
echo "| program | layout | time (s) | end to end (s) | mpirun wall (s) | MB sent by host 1 | MB sent by host 2 | time / 1 host |"
echo "|---|---|---|---|---|---|---|---|"
for prog in msort sudoku; do
  base=$(col "$TMP/$prog.1x2" 1)
  for lay in "${layouts[@]}"; do
    f=$TMP/$prog.$lay
    t=$(col "$f" 1)
    e2e=-
    [ "$prog" = msort ] || e2e=$(col "$f" 2)
    printf '| %s | %s | %.3f | %s | %.2f | %s | %s | %.2f |\n' "$prog" "$lay" "$t" \
      "$([ "$e2e" = - ] && echo - || printf '%.3f' "$e2e")" "$(col "$f" 3)" \
      "$(mb "$(col "$f" 4)")" "$(mb "$(col "$f" 5)")" "$(awk -v a="$t" -v b="$base" 'BEGIN { print a / b }')"
  done
done
