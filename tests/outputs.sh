#!/usr/bin/env bash
# toolkit.outputs: output files never damage anything, for every program with
# an output (msort-omp, sudoku-omp; msort and sudoku under mpirun): -o
# through symbolic links (relative, absolute, chains, dangling, into another
# folder on another file system) writes their target; standard output ("-",
# /dev/stdout) and FIFOs are written in place; a replaced file keeps its mode
# and owner, a new one gets 0666 & ~umask; a read-only file, a folder and a
# missing folder are refused before the work (fast) and never with a PASS; a
# 250-byte name works; SIGKILL while writing leaves nothing (O_TMPFILE, on
# tmpfs and on the disk); -q never changes what -o gets; --json never takes
# the place of the results.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$TMP" || fail "no scratch folder"
B=$CONCUR_BIN
puzzles=$CONCUR_TESTS/data/sudoku/norvig/easy50.txt
hard=$CONCUR_TESTS/data/sudoku/norvig/hardest.txt
progs=(msort-omp sudoku-omp)
[ "$CONCUR_WITH_MPI" = 1 ] && progs+=(msort sudoku)
# mpirun as a command (lib.sh's mpi is a function, which timeout cannot run)
read -r -a mpirun <<<"$CONCUR_MPIRUN"
mpirun=(env ASAN_OPTIONS=detect_leaks=0 "${mpirun[@]}" -np 2)

# the references: what each program writes
"$B/msort-omp" -n 1000 -T u32 -f text -t 1 -o ref.msort 2>/dev/null || fail "msort-omp reference"
"$B/sudoku-omp" -t 1 "$puzzles" >ref.sudoku 2>/dev/null || fail "sudoku-omp reference"
[ "$(wc -l <ref.msort)" = 1000 ] || fail "bad msort reference"
[ "$(wc -l <ref.sudoku)" = 50 ] || fail "bad sudoku reference"

# cmd_of PROG OUT [big]: in CMD, the command that writes PROG's small result
# to OUT (with "big": a run that takes many seconds when it does the work)
cmd_of() {
  local n=1000 r=1 in=$puzzles
  [ "${3:-}" = big ] && n=200M r=100000 in=$hard
  case $1 in
    msort-omp) CMD=("$B/msort-omp" -n "$n" -T u32 -f text -t 2 -o "$2") ;;
    msort) CMD=("${mpirun[@]}" "$B/msort" -n "$n" -T u32 -f text -t 1 -o "$2") ;;
    sudoku-omp) CMD=("$B/sudoku-omp" -t 2 -r "$r" -o "$2" "$in") ;;
    sudoku) CMD=("${mpirun[@]}" "$B/sudoku" -t 1 -r "$r" -o "$2" "$in") ;;
  esac
}
ref_of() { case $1 in msort*) echo "$TMP/ref.msort" ;; *) echo "$TMP/ref.sudoku" ;; esac; }
# writes PROG OUT: run PROG with -o OUT, which must then hold the reference
writes() {
  cmd_of "$1" "$2"
  expect_status 0 "${CMD[@]}"
  same_file "$(ref_of "$1")" "$3"
}
is_link() { [ -L "$1" ] || fail "$2: $1 is no longer a symbolic link: $(ls -l "$1")"; ok; }
# nothing but the names given in folder DIR (no temporary left)
only() {
  local dir=$1; shift
  local got want
  got=$(find "$dir" -mindepth 1 -maxdepth 1 -printf '%f\n' | sort | tr '\n' ' ')
  want=""
  [ $# = 0 ] || want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
  [ "$got" = "$want" ] || fail "$dir holds '$got', expected '$want'"
  ok
}
# refused CODE PROG OUT WHAT: PROG -o OUT fails with CODE before the work
# (under a second, plus MPI's start-up), with a message naming OUT, no PASS
refused() {
  local code=$1 p=$2 out=$3 what=$4 limit=1
  [[ $p == msort || $p == sudoku ]] && limit=4
  cmd_of "$p" "$out" big
  local t0 t1
  t0=$(date +%s%N)
  expect_status "$code" timeout 30 "${CMD[@]}"
  t1=$(date +%s%N)
  (((t1 - t0) / 1000000 < limit * 1000)) ||
    fail "$p -o $out ($what): refused after $(((t1 - t0) / 1000000)) ms: after the work"
  expect_stderr "$(basename "$out")"
  grep -q 'verify=PASS' "$TMP/last.err" && fail "$p -o $out ($what): a PASS printed"
  grep -q '"verified":true' "$TMP/last.out" "$TMP/last.err" && fail "$p -o $out ($what): verified"
  ok
}

shm=$(mktemp -d /dev/shm/concur-outputs.XXXXXX) || fail "no /dev/shm"
at_exit "rm -rf '$shm'"

for p in "${progs[@]}"; do
  mkdir "$p" || fail "mkdir $p"
  cd "$p" || fail "cd $p"
  # 1. links: relative, absolute, a chain; the target gets the contents
  echo old >real
  ln -s real rel && writes "$p" rel real && is_link rel "$p"
  ln -s "$PWD/real" abs && writes "$p" abs real && is_link abs "$p"
  ln -s rel chain && writes "$p" chain real && is_link chain "$p" && is_link rel "$p"
  ln -s made dangling && writes "$p" dangling made && is_link dangling "$p"
  only . real rel abs chain made dangling
  # into another folder on another file system (tmpfs): the temporary must
  # be made next to the target, a rename cannot cross file systems
  mkdir "$shm/$p"
  ln -s "$shm/$p/target" far && writes "$p" far "$shm/$p/target" && is_link far "$p"
  only "$shm/$p" target
  # 2. mode and owner of a replaced file, the mode of a new one
  chmod 600 real
  writes "$p" rel real
  [ "$(stat -c %a real)" = 600 ] || fail "$p: the mode of the replaced file became $(stat -c %a real)"
  if [ "$(id -u)" = 0 ]; then
    chown 1000:1000 real
    writes "$p" rel real
    [ "$(stat -c %u:%g:%a real)" = 1000:1000:600 ] ||
      fail "$p: owner and mode of the replaced file became $(stat -c %u:%g:%a real)"
  fi
  (umask 027 && writes "$p" new new) || exit 1
  [ "$(stat -c %a new)" = 640 ] || fail "$p: a new file under umask 027 is $(stat -c %a new), not 640"
  # 3. refused before the work, never with a PASS: a read-only file (also
  # through a link), a folder, a missing folder
  chmod 444 real
  refused 1 "$p" real "read-only file"
  refused 1 "$p" rel "link to a read-only file"
  [ "$(cat real)" = "$(cat "$(ref_of "$p")")" ] || fail "$p: the read-only file was changed"
  mkdir folder
  refused 1 "$p" folder "a folder"
  refused 1 "$p" folder/ "a folder name"
  refused 1 "$p" missing/x "a missing folder"
  [ ! -e missing ] || fail "$p: a refused run created a folder"
  only folder
  # 4. a 250-byte name (and 255, the most a name can have)
  for len in 250 255; do
    long=$(printf "%${len}s" "" | tr ' ' L)
    writes "$p" "$long" "$long"
    rm -f "$long"
  done
  # 5. a FIFO is written in place
  mkfifo fifo
  timeout 60 cat fifo >fifo.got &
  writes "$p" fifo fifo.got
  wait
  [ -p fifo ] || fail "$p: the FIFO was replaced"
  # 6. - and /dev/stdout are standard output: in a pipe, and (through a
  # link of our own: never the system's /dev/stdout) a file
  cmd_of "$p" -
  "${CMD[@]}" 2>/dev/null | cmp -s - "$(ref_of "$p")" || fail "$p -o -: not the results on stdout"
  cmd_of "$p" /dev/stdout
  "${CMD[@]}" 2>/dev/null | cmp -s - "$(ref_of "$p")" || fail "$p -o /dev/stdout in a pipe"
  ln -s /dev/stdout so
  cmd_of "$p" so
  "${CMD[@]}" >so.got 2>/dev/null || fail "$p -o so (a link to /dev/stdout) failed"
  is_link so "$p"
  same_file "$(ref_of "$p")" so.got
  # 7. a write that fails after the work (a full device) is no PASS
  cmd_of "$p" /dev/full
  expect_status 1 "${CMD[@]}"
  grep -q 'verify=PASS' "$TMP/last.err" && fail "$p -o /dev/full: a PASS printed"
  ok
  cd "$TMP" || exit 1
done

# 8. in a pipe, as the issue has it
"$B/msort-omp" -n 1000 -T u32 -f text -o - 2>/dev/null | sort -c -n || fail "msort-omp -o - | sort -c -n"

# 9. -q silences, it never changes what -o gets; --json never takes the
# place of the results (results on stdout: the JSON object is the last line
# of stderr; else it is stdout)
for p in sudoku-omp sudoku; do
  [[ " ${progs[*]} " == *" $p "* ]] || continue
  cmd_of "$p" "q-$p.txt"
  expect_status 0 "${CMD[@]}" -q
  same_file ref.sudoku "q-$p.txt"
  cmd_of "$p" missing/q.txt
  expect_status 1 "${CMD[@]}" -q
  expect_stderr 'missing'
  cmd_of "$p" -
  expect_status 0 "${CMD[@]}" --json
  same_file ref.sudoku "$TMP/last.out"
  tail -n 1 "$TMP/last.err" | grep -q "^{\"program\":\"$p\".*\"verified\":true" ||
    fail "$p --json, results on stdout: no JSON at the end of stderr: $(tail -n 2 "$TMP/last.err")"
  ok
  cmd_of "$p" "j-$p.txt"
  expect_status 0 "${CMD[@]}" --json
  grep -q "^{\"program\":\"$p\"" "$TMP/last.out" || fail "$p --json -o FILE: no JSON on stdout"
  same_file ref.sudoku "j-$p.txt"
done
for p in msort-omp msort; do
  [[ " ${progs[*]} " == *" $p "* ]] || continue
  cmd_of "$p" -
  expect_status 0 "${CMD[@]}" --json
  same_file ref.msort "$TMP/last.out"
  tail -n 1 "$TMP/last.err" | grep -q "^{\"program\":\"$p\".*\"verified\":true" ||
    fail "$p -o - --json: no JSON at the end of stderr: $(tail -n 2 "$TMP/last.err")"
  ok
done

# 10. SIGKILL while writing leaves nothing visible, on tmpfs and on the disk
# (O_TMPFILE; the MPI programs keep a named temporary: see README)
# killed_while_writing DIR cmd...: start cmd, wait until the file it writes
# in DIR has data, kill -9 it
killed_while_writing() {
  local dir=$1; shift
  "$@" 2>/dev/null &
  local pid=$! fd size i
  for ((i = 0; i < 3000; i++)); do
    for fd in /proc/"$pid"/fd/*; do
      [[ $(readlink "$fd" 2>/dev/null) == "$dir"/* ]] || continue
      size=$(stat -L -c %s "$fd" 2>/dev/null) || continue
      if [ "${size:-0}" -gt 0 ]; then
        kill -9 "$pid"
        wait "$pid" 2>/dev/null
        return 0
      fi
    done
    sleep 0.01
  done
  kill -9 "$pid" 2>/dev/null
  fail "$*: never seen writing into $dir"
}
for dir in "$shm/kill" "$TMP/kill"; do
  mkdir "$dir"
  killed_while_writing "$dir" "$B/msort-omp" -n 20M -T u64 -f text -t 2 -o "$dir/sorted.txt"
  only "$dir"
  echo keep >"$dir/sorted.txt"
  killed_while_writing "$dir" "$B/msort-omp" -n 20M -T u64 -f text -t 2 -o "$dir/sorted.txt"
  only "$dir" sorted.txt
  [ "$(cat "$dir/sorted.txt")" = keep ] || fail "a killed run changed the file it was replacing"
done
pass
