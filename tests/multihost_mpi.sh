#!/usr/bin/env bash
# msort and sudoku across test hosts (tests/multihost.sh: namespaces wired by a
# bridge, Open MPI over TCP through an ssh stand-in), each output compared
# byte for byte with the single-host program's on the same input:
# - the ranks really are on different nodes (--display-map), and with only
#   the shared-memory BTLs (vader,self) they cannot reach each other;
# - msort, 2 hosts x 2 ranks and 3 hosts x 1, sample and gather (the four
#   pairs rotated over every key type, rec100 included): binary files in and
#   out through MPI-IO, plus text in and out (both algorithms); equal to
#   msort-omp's output;
# - sudoku, both layouts, static, cyclic and dynamic: output and per-line
#   messages equal to sudoku-omp's (the edge cases' rejected lines once).
# Skips (77) where network namespaces cannot be made (not root, no ip netns).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/multihost.sh
. "$(dirname "$0")/multihost.sh"
need_mpi
mh_need
mh_up 3 200
M=$CONCUR_BIN/msort
O=$CONCUR_BIN/msort-omp
cd "$TMP" || fail "no scratch folder"

# layout NAME: the mpirun flags of a layout (2x2: 2 hosts, 2 ranks each).
layout() {
  case $1 in
    2x2) echo "-np 4 --host ${MH_HOST[1]}:2,${MH_HOST[2]}:2" ;;
    3x1) echo "-np 3 --host ${MH_HOST[1]},${MH_HOST[2]},${MH_HOST[3]}" ;;
  esac
}
# on_nodes FILE WANT: --display-map in FILE shows WANT ("H:K H:K ..."), one
# entry per node with its number of ranks (Open MPI prints the map twice).
on_nodes() {
  local got
  got=$(awk '/Data for node:/ { for (i = 1; i <= NF; i++) if ($i == "node:") h = $(i + 1);
                                 n = $NF; print h ":" n }' "$1" | sort -u | tr '\n' ' ')
  [ "$got" = "$2 " ] || fail "ranks not placed as asked: want '$2', map says '$got': $(head -c 800 "$1")"
  ok
}

# --- the ranks are on separate nodes, and only TCP joins them ---------------------------
# shellcheck disable=SC2046
expect_status 0 mh_mpirun $(layout 2x2) --display-map "$M" -n 1000 -o map.out
on_nodes "$TMP/last.out" "${MH_HOST[1]}:2 ${MH_HOST[2]}:2"
# shellcheck disable=SC2046
expect_status 0 mh_mpirun $(layout 3x1) --display-map "$M" -n 1000 -o map.out
on_nodes "$TMP/last.out" "${MH_HOST[1]}:1 ${MH_HOST[2]}:1 ${MH_HOST[3]}:1"
rc=0
MH_BTL=vader,self mh_mpirun -np 2 --host "${MH_HOST[1]},${MH_HOST[2]}" "$M" -n 1000 >vader.out 2>vader.err || rc=$?
[ "$rc" != 0 ] || fail "vader,self joined ranks on different hosts (exit 0): shared memory across hosts?"
grep -q 'unable to reach each other' vader.err || fail "vader,self: not the unreachable error: $(head -c 600 vader.err)"
ok
mh_wait_clean 5

# --- msort: every type, both algorithms, both layouts, files in and out -------------------
# Unsorted binary input with many equal keys (stability shows in rec100's
# payload; floats include NaNs, infinities and both zeros).
make_input() { # make_input TYPE N FILE
  python3 - "$@" <<'PY'
import random, struct, sys
t, n, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rng = random.Random(t)
with open(path, "wb") as f:
    if t == "rec100":
        keys = [bytes(rng.randrange(256) for _ in range(10)) for _ in range(40)]
        for i in range(n):
            f.write(rng.choice(keys) + struct.pack("<Q", i) + bytes(82))
    elif t[0] == "f":
        size = 4 if t == "f32" else 8
        special = [0.0, -0.0, float("inf"), float("-inf"), float("nan"), -float("nan"), 1.5, -1.5]
        fmt = "<f" if size == 4 else "<d"
        for _ in range(n):
            if rng.random() < 0.2:
                f.write(struct.pack(fmt, rng.choice(special)))
            else:
                f.write(rng.getrandbits(size * 8).to_bytes(size, "little"))
    else:
        size = 4 if t.endswith("32") else 8
        vals = [rng.getrandbits(size * 8) for _ in range(1000)]
        for _ in range(n):
            f.write(rng.choice(vals).to_bytes(size, "little"))
PY
}
types=(u32 i32 u64 i64 f32 f64 rec100)
n=30011
k=0
for t in "${types[@]}"; do
  make_input "$t" "$n" "in-$t.bin" || fail "cannot make the $t input"
  "$O" -T "$t" -i "in-$t.bin" --algo serial -o "want-$t.bin" 2>/dev/null || fail "msort-omp $t"
  # layouts and algorithms rotate over the types: each of the four pairs
  # gets at least one type, rec100 among them
  lay=2x2
  [ $((k / 2 % 2)) = 0 ] || lay=3x1
  algo=sample
  [ $((k % 2)) = 0 ] || algo=gather
  # shellcheck disable=SC2046
  expect_status 0 mh_mpirun $(layout "$lay") "$M" -T "$t" -i "in-$t.bin" --algo "$algo" \
    -o "got-$t.bin" --json
  grep -q '"verified":true' "$TMP/last.out" || fail "$lay $algo $t: not verified: $(cat "$TMP/last.out")"
  same_file "want-$t.bin" "got-$t.bin"
  k=$((k + 1))
done
# text in and out (rank 0 parses and deals out, the result goes back through rank 0)
od -An -v -t d8 -w8 in-i64.bin | tr -d ' ' >in-i64.txt
"$O" -T i64 -f text -i in-i64.txt -o want-i64.txt 2>/dev/null || fail "msort-omp text"
for algo in sample gather; do
  # shellcheck disable=SC2046
  expect_status 0 mh_mpirun $(layout 3x1) "$M" -T i64 -f text -i in-i64.txt --algo "$algo" -o "got-$algo.txt"
  same_file want-i64.txt "got-$algo.txt"
done
mh_wait_clean 5

# --- sudoku: every distribution, both layouts ---------------------------------------
data=$CONCUR_TESTS/data/sudoku
awk 'NR % 8 == 1' "$data/tdoku/puzzles2_17_clue" >p17.txt
inputs=("$data/textbook/sudoku-top95.txt" p17.txt "$data/derived/unsat_from_topn1465.txt")
# sudoku_run NAME WANT cmd...: stdout NAME.out, per-line messages NAME.msg, exit WANT
sudoku_run() {
  local name=$1 want=$2 rc=0
  shift 2
  "$@" --count "${inputs[@]}" >"$name.out" 2>"$name.err" || rc=$?
  [ "$rc" = "$want" ] || fail "$name: exit $rc, expected $want: $(tail -3 "$name.err")"
  sed -E 's/^sudoku(-omp)?(\[[0-9]+\])?: //' "$name.err" | grep -E '^[^ ]+:[0-9]+: ' >"$name.msg"
  ok
}
sudoku_run want 0 "$CONCUR_BIN/sudoku-omp" --threads 1
[ "$(wc -l <want.out)" -gt 6000 ] || fail "the reference printed only $(wc -l <want.out) lines"
for lay in 2x2 3x1; do
  for d in static cyclic dynamic; do
    # shellcheck disable=SC2046
    sudoku_run "$d-$lay" 0 mh_mpirun $(layout "$lay") "$CONCUR_BIN/sudoku" --threads 1 --dist "$d"
    same_file want.out "$d-$lay.out"
    same_file want.msg "$d-$lay.msg"
  done
done
# Rejected lines (exit 3): the same messages, from whichever rank parsed them.
# (Once: a job whose ranks exit non-zero takes Open MPI a few seconds to end.)
inputs+=("$data/edge/edge_cases.txt")
sudoku_run want-edge 3 "$CONCUR_BIN/sudoku-omp" --threads 1
[ -s want-edge.msg ] || fail "no per-line messages for the edge cases"
# shellcheck disable=SC2046
sudoku_run edge-3x1 3 mh_mpirun $(layout 3x1) "$CONCUR_BIN/sudoku" --threads 1 --dist dynamic
same_file want-edge.out edge-3x1.out
same_file want-edge.msg edge-3x1.msg
mh_wait_clean 5
pass "msort (7 types) and sudoku (3 distributions) on 2x2 and 3x1 hosts"
