#!/usr/bin/env bash
# Every program's --json record validates against docs/concur-result.schema.json
# and agrees with itself (tests/json_check.py): provenance (commit = git's
# HEAD), every timed run, the spread, one binding per rank and thread. File
# names with bytes that are not UTF-8 and with control characters come out as
# strict UTF-8 JSON (\ufffd per bad byte, \u00XX for controls), never raw.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/randompix_servers.sh
. "$(dirname "$0")/randompix_servers.sh"
command -v python3 >/dev/null || skip "python3 is not installed"
python3 -c 'import jsonschema' 2>/dev/null || skip "python3-jsonschema is not installed (jobs/deps/base.txt)"
export ASAN_OPTIONS=detect_leaks=0 # singleton MPI runs keep Open MPI's plugins to the end
cd "$TMP" || fail "no scratch folder"
schema=$CONCUR_SRC/docs/concur-result.schema.json
bin=$CONCUR_BIN
head=""
if command -v git >/dev/null && [ "$(git -C "$CONCUR_SRC" rev-parse --show-toplevel 2>/dev/null)" = "$(cd "$CONCUR_SRC" && pwd -P)" ]; then
  head=$(git -C "$CONCUR_SRC" rev-parse --short HEAD)
fi
# A file name with a byte that is not UTF-8 (\xff), a cut sequence (\xc3 then
# '('), an ESC sequence, a tab, a newline and a C1 control (U+009B).
weird=$'bad\xff\xc3(\x1b[31m\tx\ny\xc2\x9bz'
n=0
# run OUT PROG ARGS...: PROG's output and errors into OUT.rec (the record is on one of them).
run() {
  local out=$1; shift
  "$@" >"$out.o" 2>"$out.e" || fail "$* exited $? : $(head -c 600 "$out.e")"
  cat "$out.o" "$out.e" >"$out.rec"
  n=$((n + 1))
  ok
}

# msort-omp and msort: generated, repeated; from a file with the weird name; -o - (JSON on stderr)
printf '3\n1\n2\n' >"$weird"
run ms1 "$bin/msort-omp" -n 20k -r 3 -t 2 --json
run ms2 "$bin/msort-omp" -n 5k -T rec100 --algo refk --json -o -
run ms3 "$bin/msort-omp" -T u64 --format text -i "$weird" --json
if [ "$CONCUR_WITH_MPI" = 1 ]; then
  run mm1 mpi 2 "$bin/msort" -n 20k -r 2 -t 1 --json
  run mm2 mpi 3 "$bin/msort" -T u64 --format text -i "$weird" --algo gather --json
fi
# sudoku-omp and sudoku: the bundled set, repeated; a file with the weird name
cp "$CONCUR_SRC/tests/data/sudoku/textbook/sudoku-top95.txt" "$weird"
run so1 "$bin/sudoku-omp" -r 3 -t 2 --json -o /dev/null
run so2 "$bin/sudoku-omp" --json --count --algo norvig "$weird"
if [ "$CONCUR_WITH_MPI" = 1 ]; then
  run sm1 mpi 2 "$bin/sudoku" --dist dynamic -r 2 --json -o /dev/null
  run sm2 mpi 2 "$bin/sudoku" --json "$weird"
fi
# randompix and randompix-mpi, from the fault server; a list with the weird name
if [ "$CONCUR_WITH_CURL" = 1 ]; then
  python3 "$CONCUR_TESTS/randompix_images.py" "$TMP/img" 1 3000 5 || fail "cannot make an image"
  start_faults "$TMP/img/img00000.png"
  base=http://127.0.0.1:$FAULT_PORT
  printf '%s\n' "$base/ok/1" "$base/ok/2" "$base/ok/3" >"$weird"
  run rp1 "$bin/randompix" -q --url "$base/ok/a" -n 3 --out "$TMP/out1" --json
  run rp2 "$bin/randompix" -q --mode threads -j 2 --list "$weird" --out "$TMP/$weird.d" --json
  if [ "$CONCUR_WITH_MPI" = 1 ]; then
    run rm1 mpi 2 "$bin/randompix-mpi" -q --list "$weird" --out "$TMP/out3" --json
  fi
fi

cat ./*.rec | grep -a '^{"program"' >all.jsonl
python3 "$CONCUR_TESTS/json_check.py" ${head:+--commit "$head"} --count "$n" "$schema" all.jsonl ||
  fail "records do not match the schema (above)"
ok
# No raw control character (C0, DEL, C1) and no byte that is not UTF-8, anywhere.
python3 - all.jsonl <<'PY' || fail "a record holds raw control characters or bytes that are not UTF-8"
import re, sys
for i, line in enumerate(open(sys.argv[1], "rb").read().split(b"\n")[:-1], 1):
    text = line.decode("utf-8")  # strict
    bad = re.search("[\x00-\x1f\x7f-\x9f]", text)
    assert bad is None, f"line {i}: raw {bad.group()!r}"
PY
ok
# The weird name, decoded: every bad byte one U+FFFD, the controls as they were.
python3 - "$weird" all.jsonl <<'PY' || fail "the weird file name did not survive"
import json, os, sys
want = os.fsencode(sys.argv[1]).decode("utf-8", "replace")
assert want.count("\ufffd") == 2, ascii(want)
seen = 0
for line in open(sys.argv[2], encoding="utf-8"):
    r = json.loads(line)
    o = r["options"]
    names = [o.get("input"), o.get("list")] + (o["input"] if isinstance(o.get("input"), list) else [])
    if r.get("slowest"):
        names.append(r["slowest"]["file"])
    names = [x for x in names if isinstance(x, str) and x.startswith("bad")]
    for x in names:
        assert x == want, (ascii(x), ascii(want))
        seen += 1
assert seen >= 3, seen
PY
ok
# A record that breaks the schema is caught: the checker is not a rubber stamp.
sed -n 1p all.jsonl | sed 's/"stddev":[^,]*/"stddev":-1/' >broken.jsonl
sed -n 1p all.jsonl | sed 's/"times":\[[^]]*\]/"times":[]/' >>broken.jsonl
expect_status 1 python3 "$CONCUR_TESTS/json_check.py" "$schema" broken.jsonl
[ "$(grep -c 'broken.jsonl:[12]:' "$TMP/last.err")" -ge 2 ] || fail "broken records passed: $(cat "$TMP/last.err")"
ok
pass "$n records valid"
