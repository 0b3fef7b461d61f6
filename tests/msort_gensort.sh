#!/usr/bin/env bash
# rec100 --dist gensort and the valsort summary: the records are the sort
# benchmark's gensort records (checked against an independent Python
# implementation of the published generator and record layout, sorted by key:
# byte-identical output), whatever the ranks; the valsort line and --json
# members (records, duplicate keys, order, checksum = sum of zlib CRC-32s)
# match Python's count and zlib's sums; MPI-IO file sorting reports read and
# write MB/s; --dist gensort with a number type is a usage error. The known
# record values (from rand16.c's table of generator powers) are checked in
# process by msort.unit.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
O=$CONCUR_BIN/msort-omp
M=$CONCUR_BIN/msort
command -v python3 >/dev/null || skip "python3 missing"
n=20011

cat > "$TMP/ref.py" <<'PY'
import sys, zlib
def gensort(n):  # gensort's binary records 0..n-1, from the published definition
    a = 0x2360ED051FC65DA44385DF649FCCF645
    c = 0x4A696D47726179524950202020202001
    x, out = 0, []
    for i in range(n):
        x = (a * x + c) % (1 << 128)
        h = "%032X" % x
        out.append(x.to_bytes(16, "big")[:10] + b"\x00\x11" + ("%032X" % i).encode()
                   + b"\x88\x99\xaa\xbb" + b"".join(d.encode() * 4 for d in h[20:])
                   + b"\xcc\xdd\xee\xff")
    return out
def summary(data):  # records, duplicate keys, sum of CRC-32 (hex)
    recs = [data[i:i + 100] for i in range(0, len(data), 100)]
    dups = sum(1 for i in range(1, len(recs)) if recs[i][:10] == recs[i - 1][:10])
    return "records %d, duplicate keys %d, checksum %x" % (len(recs), dups, sum(zlib.crc32(r) for r in recs))
if sys.argv[1] == "gen":
    sys.stdout.buffer.write(b"".join(sorted(gensort(int(sys.argv[2])), key=lambda r: r[:10])))
else:
    print(summary(open(sys.argv[2], "rb").read()))
PY

python3 "$TMP/ref.py" gen "$n" > "$TMP/want" || fail "python reference"
expect_status 0 "$O" -n "$n" --type rec100 --dist gensort -o "$TMP/got" --json
same_file "$TMP/want" "$TMP/got"
want=$(python3 "$TMP/ref.py" sum "$TMP/got")
expect_stderr "msort-omp: valsort: ${want/, checksum/, order verified, checksum}\$"
ck=${want##* }
grep -q "\"records\":$n,\"duplicate_keys\":0,\"order_verified\":true,\"checksum\":\"$ck\"" "$TMP/last.out" ||
  fail "--json lacks the valsort members: $(cat "$TMP/last.out")"
ok

# duplicates: few distinct keys
expect_status 0 "$O" -n 5003 --type rec100 --dist few -o "$TMP/few"
want=$(python3 "$TMP/ref.py" sum "$TMP/few")
expect_stderr "valsort: ${want/, checksum/, order verified, checksum}\$"

expect_status 2 "$O" -n 10 --type u64 --dist gensort
expect_stderr "--dist gensort makes sort benchmark records: it needs --type rec100"

if [ "$CONCUR_WITH_MPI" = 1 ]; then
  # every rank generates its own slice: the same records, the same summary
  for algo in sample gather; do
    expect_status 0 mpi 3 "$M" -n "$n" --type rec100 --dist gensort --algo "$algo" -o "$TMP/got3"
    same_file "$TMP/want" "$TMP/got3"
    want=$(python3 "$TMP/ref.py" sum "$TMP/got3")
    expect_stderr "msort: valsort: ${want/, checksum/, order verified, checksum}\$"
  done
  # MPI-IO file sorting: read and write rates
  python3 -c "import random,sys; r=open(sys.argv[1],'rb').read(); l=[r[i:i+100] for i in range(0,len(r),100)]; random.seed(3); random.shuffle(l); sys.stdout.buffer.write(b''.join(l))" "$TMP/want" > "$TMP/shuf"
  expect_status 0 mpi 2 "$M" --type rec100 -i "$TMP/shuf" -o "$TMP/fromfile" --json
  same_file "$TMP/want" "$TMP/fromfile"
  grep -qE '"read_MBps":[0-9.]+,"write_MBps":[0-9.]+' "$TMP/last.out" || fail "no MB/s: $(cat "$TMP/last.out")"
  ok
  expect_stderr "msort: I/O: 2.0 MB, read [0-9.]+ MB/s \([0-9.]+ s\), write [0-9.]+ MB/s"
fi
pass
