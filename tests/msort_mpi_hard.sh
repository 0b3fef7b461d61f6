#!/usr/bin/env bash
# msort's sample sort on the hard inputs of Helman, Bader and JaJa (--dist
# zero, bucket, ggroup, staggered, dups, twokeys) and on few and equal, at 4
# and 8 ranks (8 oversubscribed on few cores, small n): the largest rank's
# share of the result (max_rank_share in --json) stays <= 1.10, and the output
# is byte-identical to msort-omp's stable sort of the same input: at 8 ranks
# rec100 for every distribution (records carry their input index, so equal
# keys out of input order would differ), at 4 ranks the types in turn.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
need_mpi
M=$CONCUR_BIN/msort
O=$CONCUR_BIN/msort-omp

types=(u32 i32 u64 i64 f32 f64 rec100)
k=0
for d in zero bucket ggroup staggered dups twokeys few equal; do
  for np in 4 8; do
    t=rec100
    [ "$np" = 4 ] && t=${types[$((k % 7))]}
    k=$((k + 1))
    n=$((np == 8 ? 24011 : 50021))
    [ "${CONCUR_SANITIZE:-0}" = 1 ] && n=$((n / 4))
    gen=(-n "$n" --dist "$d" --type "$t" --seed "$k")
    "$O" "${gen[@]}" --algo ref2 -o "$TMP/want" 2>/dev/null || fail "reference $t $d"
    expect_status 0 mpi "$np" "$M" "${gen[@]}" --algo sample --threads 1 -o "$TMP/got" --json
    share=$(grep -o '"max_rank_share":[0-9.]*' "$TMP/last.out" | cut -d: -f2)
    [ -n "$share" ] || fail "np=$np $d $t: no max_rank_share in $(cat "$TMP/last.out")"
    awk -v s="$share" 'BEGIN { exit !(s <= 1.10) }' ||
      fail "np=$np --dist $d --type $t: max_rank_share $share > 1.10"
    ok
    same_file "$TMP/want" "$TMP/got"
  done
done
pass
