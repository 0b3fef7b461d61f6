#!/usr/bin/env bash
# msort under mpirun at 1-4 ranks, both algorithms: output files are
# byte-identical to msort-omp's reference output, over all types and
# distributions (rotated across runs to keep the number of launches small),
# sizes 0..2^16+3 including fewer elements than ranks and counts that do not
# divide; MPI-IO input (binary and text) and text output.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
need_mpi
M=$CONCUR_BIN/msort
O=$CONCUR_BIN/msort-omp

types=(u32 i32 u64 i64 f32 f64 rec100)
dists=(uniform sorted reverse nearly few equal)
sizes=(0 1 2 7 1000 65539)
k=0
for np in 1 2 3 4; do
  for algo in gather sample; do
    for rep in $((np % 2 + 1)); do
      t=${types[$((k % 7))]}
      d=${dists[$((k % 6))]}
      s=${sizes[$(((k * 5 + np) % 6))]}
      k=$((k + 1))
      gen=(-n "$s" --dist "$d" --type "$t" --seed "$k")
      "$O" "${gen[@]}" --algo ref2 -o "$TMP/want" 2>/dev/null || fail "reference $t $d $s"
      expect_status 0 mpi "$np" "$M" "${gen[@]}" --algo "$algo" --threads $((rep)) -o "$TMP/got" --json
      grep -q '"verified":true' "$TMP/last.out" || fail "np=$np $algo $t $d n=$s not verified"
      same_file "$TMP/want" "$TMP/got"
    done
  done
done

# every distribution at a size that splits unevenly, with heavy duplicates
for d in few equal; do
  "$O" -n 65539 --dist "$d" --type rec100 --algo ref2 -o "$TMP/want" --fsync 2>/dev/null || fail "ref"
  expect_status 0 mpi 3 "$M" -n 65539 --dist "$d" --type rec100 -o "$TMP/got" --fsync
  same_file "$TMP/want" "$TMP/got"
done

# MPI-IO input: binary read by all ranks, text parsed by rank 0; text output
"$O" -n 20000 --type i64 --dist reverse --algo serial -o "$TMP/sorted.bin" 2>/dev/null || fail "gen"
"$O" -n 20000 --type i64 --dist uniform -f text -o "$TMP/sorted.txt" 2>/dev/null || fail "gen"
shuf "$TMP/sorted.txt" > "$TMP/in.txt"
for algo in gather sample; do
  expect_status 0 mpi 3 "$M" --type i64 -i "$TMP/sorted.bin" --algo "$algo" -o "$TMP/out.bin" --repeat 2
  same_file "$TMP/sorted.bin" "$TMP/out.bin"
  expect_status 0 mpi 2 "$M" --type i64 -f text -i "$TMP/in.txt" --algo "$algo" -o "$TMP/out.txt"
  same_file "$TMP/sorted.txt" "$TMP/out.txt"
done
pass
