#!/usr/bin/env bash
# msort's kernel paths through the programs: CONCUR_SIMD=scalar|avx2|avx512
# forces each path this CPU runs (a path it lacks is refused with one line
# and left out here), and every type and distribution gives the output of the
# comparator reference byte for byte, with msort-omp (tasks, 1 and 2 threads)
# and with the MPI sample sort; --json names the path; a bad value is a usage
# error.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
M=$CONCUR_BIN/msort-omp
[ -x "$M" ] || fail "msort-omp not built"

CONCUR_SIMD=bogus expect_status 2 "$M" -n 10
expect_stderr "CONCUR_SIMD=bogus: expected auto, scalar, avx2 or avx512"

paths=()
for p in scalar avx2 avx512; do
  if CONCUR_SIMD=$p "$M" -n 10 --json >"$TMP/j" 2>"$TMP/e"; then
    grep -q "\"simd\":\"$p\"" "$TMP/j" || fail "--json does not name path $p: $(cat "$TMP/j")"
    paths+=("$p")
  else
    grep -q "CONCUR_SIMD=$p: this .* cannot run it" "$TMP/e" || fail "path $p refused badly: $(cat "$TMP/e")"
    echo "path $p: not on this CPU or build, left out"
  fi
  ok
done
[ "${#paths[@]}" -ge 1 ] || fail "no path runs"

types=(u32 i32 u64 i64 f32 f64)
dists=(uniform sorted reverse nearly few equal)
k=0
for t in "${types[@]}"; do
  for d in "${dists[@]}"; do
    k=$((k + 1))
    n=$((20000 + k * 37)) # odd sizes, none a multiple of a vector block
    gen=(-n "$n" --dist "$d" --type "$t" --seed "$k")
    CONCUR_SIMD=scalar "$M" "${gen[@]}" --algo ref2 -o "$TMP/want" 2>/dev/null || fail "ref2 $t $d"
    for p in "${paths[@]}"; do
      CONCUR_SIMD=$p "$M" "${gen[@]}" --threads $((k % 2 + 1)) -o "$TMP/got" 2>"$TMP/err" ||
        fail "$p $t $d: $(cat "$TMP/err")"
      same_file "$TMP/want" "$TMP/got"
    done
  done
done

# sorts of 32 MiB and more merge four runs at a time (msort_simd_merge4.h):
# sizes over that, one thread, against the scalar core
for c in "u64 uniform 4200007" "f64 few 4200007" "u32 uniform 8400011" "i32 nearly 8400011"; do
  read -r t d n <<<"$c"
  gen=(-n "$n" --dist "$d" --type "$t" --algo serial --threads 1)
  CONCUR_SIMD=scalar "$M" "${gen[@]}" -o "$TMP/want" 2>/dev/null || fail "scalar $t $d"
  for p in "${paths[@]}"; do
    CONCUR_SIMD=$p "$M" "${gen[@]}" -o "$TMP/got" 2>"$TMP/err" || fail "$p $t $d $n: $(cat "$TMP/err")"
    same_file "$TMP/want" "$TMP/got"
  done
done
rm -f "$TMP/want" "$TMP/got"
ok

if [ "$CONCUR_WITH_MPI" = 1 ]; then
  for t in u32 f64; do
    gen=(-n 30011 --dist few --type "$t")
    "$M" "${gen[@]}" --algo ref2 -o "$TMP/want" 2>/dev/null || fail "ref2 $t"
    for p in "${paths[@]}"; do
      CONCUR_SIMD=$p expect_status 0 mpi 2 "$CONCUR_BIN/msort" "${gen[@]}" -o "$TMP/got"
      same_file "$TMP/want" "$TMP/got"
    done
  done
fi
pass "paths: ${paths[*]}"
