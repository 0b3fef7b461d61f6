#!/usr/bin/env bash
# msort-omp end to end: byte-identical output files from every algorithm and
# thread count, for every type and distribution; text and binary round trips;
# special floats; --json, --repeat, help and version.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
M=$CONCUR_BIN/msort-omp
[ -x "$M" ] || fail "msort-omp not built"

expect_status 0 "$M" --help
grep -q "Example" "$TMP/last.out" || fail "--help has no example"
ok
expect_status 0 "$M" --version
grep -q "msort-omp (concur)" "$TMP/last.out" || fail "--version"
ok

# 1. every type (distributions and sizes rotate; the full matrix runs in
# process in msort.unit): all algorithms and 1-4 threads agree
types=(u32 i32 u64 i64 f32 f64 rec100)
dists=(uniform sorted reverse nearly few equal)
k=0
for t in "${types[@]}" u64 u64; do
  d=${dists[$((k % 6))]}
  s=$([ $k -lt 7 ] && echo 65539 || echo $((k - 7)))  # then sizes 0 and 1
  k=$((k + 1))
  gen=(-n "$s" --dist "$d" --type "$t" --seed "$k")
  "$M" "${gen[@]}" --algo ref2 -o "$TMP/want" 2>/dev/null || fail "ref2 $t $d $s"
  for run in "refk --parts 3" "tasks --threads $((k % 4 + 1))" "chunks --threads 3"; do
    # shellcheck disable=SC2086
    "$M" "${gen[@]}" --algo $run -o "$TMP/got" 2>"$TMP/err" || fail "$run $t $d $s: $(cat "$TMP/err")"
    same_file "$TMP/want" "$TMP/got"
  done
  sz=$(stat -c %s "$TMP/want")
  esz=$([ "$t" = rec100 ] && echo 100 || { [[ $t == *32 ]] && echo 4 || echo 8; })
  [ "$sz" = $((s * esz)) ] || fail "$t n=$s: output has $sz bytes"
  ok
done

# 2. binary round trip: sorting sorted output changes nothing; --repeat on files
"$M" -n 5000 --dist reverse -o "$TMP/a.bin" 2>/dev/null || fail "gen"
expect_status 0 "$M" -i "$TMP/a.bin" -o "$TMP/b.bin" --repeat 3
same_file "$TMP/a.bin" "$TMP/b.bin"

# 3. text: write text, read it back as text, same bytes
for t in i32 u64 f32 f64; do
  "$M" -n 3000 --type "$t" --format text -o "$TMP/a.txt" 2>/dev/null || fail "text out $t"
  [ "$(wc -l < "$TMP/a.txt")" = 3000 ] || fail "text lines $t"
  shuf "$TMP/a.txt" > "$TMP/shuf.txt"
  expect_status 0 "$M" --type "$t" -f text -i "$TMP/shuf.txt" -o "$TMP/b.txt" --algo tasks --threads 3
  same_file "$TMP/a.txt" "$TMP/b.txt"
done

# 4. special floats: IEEE total order, NaNs last (negative NaNs after positive)
printf '%s\n' nan 1 -inf -0 0 inf -nan -1e-320 2.5 > "$TMP/f.txt"
expect_status 0 "$M" --type f64 -f text -i "$TMP/f.txt" -o "$TMP/f.out"
printf '%s\n' -inf -9.9998886718268301e-321 -0 0 1 2.5 inf nan -nan > "$TMP/f.want"
same_file "$TMP/f.want" "$TMP/f.out"
expect_status 0 "$M" --type f32 -f text -i "$TMP/f.txt" -o "$TMP/f32.out" --algo refk
printf '%s\n' -inf -0 -0 0 1 2.5 inf nan -nan > "$TMP/f32.want"
same_file "$TMP/f32.want" "$TMP/f32.out"

# 5. --json: one object, verified
expect_status 0 "$M" -n 1000 --json --type rec100 --dist few
grep -q '"program":"msort-omp".*"options":{"algo":"tasks","type":"rec100".*"verified":true' "$TMP/last.out" || fail "json: $(cat "$TMP/last.out")"
ok
expect_status 0 "$M" -n 1000 --no-verify --json
grep -q '"verified":null' "$TMP/last.out" || fail "--no-verify json"
ok
pass
