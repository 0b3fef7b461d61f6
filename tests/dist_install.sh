#!/usr/bin/env bash
# `cmake --install` into a fresh prefix: the programs run from there (bundled
# data compiled in, no path into the source tree), every program has a man
# page that renders without warnings and names every option of its --help,
# and a completion that bash-completion finds from PATH and that answers
# options, fixed value sets (each one accepted by the program) and files.
. "$(dirname "$0")/lib.sh"
build=$(cd "$CONCUR_BIN/.." && pwd)
command -v man >/dev/null || skip "man (man-db) is not installed"
prefix=$TMP/prefix
cmake --install "$build" --prefix "$prefix" >"$TMP/install.log" 2>&1 || fail "cmake --install: $(tail -3 "$TMP/install.log")"
ok
mapfile -t progs < <(cd "$prefix/bin" && ls)
[ ${#progs[@]} -ge 5 ] || fail "only ${#progs[*]} programs installed: ${progs[*]}"
ok

# Run from the prefix, with the source and build trees out of reach.
cd "$TMP" || fail "cd $TMP"
"$prefix/bin/sudoku-omp" -q >/dev/null 2>"$TMP/s.err" || fail "installed sudoku-omp failed: $(head -3 "$TMP/s.err")"
grep -q '95 solved' "$TMP/s.err" || fail "installed sudoku-omp did not solve the bundled set"
ok
"$prefix/bin/msort-omp" -n 100k >/dev/null 2>"$TMP/m.err" || fail "installed msort-omp failed: $(cat "$TMP/m.err")"
ok
# the installed example job script, run outside SLURM (mpirun) from a folder
# with no build/: it finds the installed msort on PATH
if [ -x "$prefix/bin/msort" ]; then
  mkdir -p "$TMP/job" && cd "$TMP/job" || fail "cd $TMP/job"
  PATH="$prefix/bin:$PATH" OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 ASAN_OPTIONS=detect_leaks=0 \
    MSORT_N=100k bash "$prefix/share/doc/concur/examples/jobs/slurm/msort.sbatch" >"$TMP/job.out" 2>&1 ||
    fail "the installed msort.sbatch failed: $(tail -3 "$TMP/job.out")"
  grep -q '^# verdict: PASS' "$TMP/job.out" || fail "the installed msort.sbatch gave no PASS: $(tail -3 "$TMP/job.out")"
  ok
  cd "$TMP" || fail "cd $TMP"
fi
for p in "${progs[@]}"; do
  strings "$prefix/bin/$p" | grep -qF "$CONCUR_SRC/tests" && fail "$p names a path in the source tree"
done
ok

for p in "${progs[@]}"; do
  page=$prefix/share/man/man1/$p.1
  [ -s "$page" ] || fail "no man page for $p"
  warn=$(MANWIDTH=100 man -l --warnings "$page" 2>&1 >/dev/null)
  [ -z "$warn" ] || fail "man -l $p.1 warns: $warn"
  MANWIDTH=250 man -l "$page" 2>/dev/null >"$TMP/$p.txt"
  # every option --help lists (primer: the demos' options come from the demo table)
  "$prefix/bin/$p" --help | grep -oE '^ +(-[A-Za-z0-9], )?--[a-z0-9-]+' | grep -oE -- '--[a-z0-9-]+' |
    while read -r opt; do
      grep -qE -- "(^|[ ,])$opt( |,|$)" "$TMP/$p.txt" || { echo "$opt"; }
    done >"$TMP/missing"
  [ ! -s "$TMP/missing" ] || fail "$p.1 lacks options of --help: $(tr '\n' ' ' <"$TMP/missing")"
  ok
done
if ! grep -q 'race' "$TMP/primer.txt" || ! grep -q -- '--lock' "$TMP/primer.txt"; then
  fail "primer.1 lacks its demos or their options"
fi
ok

# Completion: after PREFIX/share/concur/env.sh, bash-completion loads
# PROGRAM's file on first use; then drive the function as bash would.
[ -f /usr/share/bash-completion/bash_completion ] || fail "bash-completion is not installed (jobs/deps/dist.txt)"
complete_words() { # complete_words PROG WORD... : the answers for the last word
  env -u XDG_DATA_DIRS bash -c '
    . "$0/share/concur/env.sh" && . /usr/share/bash-completion/bash_completion
    _completion_loader "$1"
    complete -p "$1" | grep -q _concur_complete || { echo "no completion for $1"; exit 1; }
    COMP_WORDS=("${@}"); COMP_CWORD=$(($# - 1))
    _concur_complete "$1" "${COMP_WORDS[COMP_CWORD]}"
    printf "%s\n" "${COMPREPLY[@]}"' "$prefix" "$@"
}
expect_words() { # expect_words "WANT..." PROG WORD...
  local want=$1 got; shift
  got=$(complete_words "$@" | sort | tr '\n' ' ')
  [ "$got" = "$want " ] || fail "completing '$*': got '$got', want '$want'"
  ok
}
expect_words "--type" msort-omp --ty
expect_words "rec100" msort-omp --type r
expect_words "chunk puzzle" sudoku-omp --schedule ""
expect_words "async" randompix --mode a
expect_words "race" primer ra
expect_words "--lock" primer race --lo
expect_words "$TMP/prefix" msort-omp -o "$TMP/pre"
[ -x "$prefix/bin/sudoku" ] && expect_words "cyclic" sudoku --dist c

# Every value a completion offers is one the program accepts, and the
# program accepts no other (its error names the values it knows). The MPI
# programs parse after MPI_Init, whose plugins keep memory until exit: no
# leak checks for them (tests/CMakeLists.txt).
for p in "${progs[@]}"; do
  leaks=${ASAN_OPTIONS:-}
  case $p in msort | sudoku | randompix-mpi) leaks=detect_leaks=0 ;; esac
  file=$prefix/share/bash-completion/completions/$p
  grep -oE "^  \[--[a-z-]+\]='choice:[^']*'" "$file" | sed -E "s/^  \[(--[a-z-]+)\]='choice:(.*)'/\1 \2/" |
    while read -r opt values; do
      for v in $values; do
        ASAN_OPTIONS=$leaks "$prefix/bin/$p" "$opt" "$v" --help >/dev/null 2>&1 || { echo "$p $opt $v refused"; continue; }
      done
      said=$(ASAN_OPTIONS=$leaks "$prefix/bin/$p" "$opt" no-such-value 2>&1 >/dev/null | grep -oE 'one of:[^)]*' | sed 's/one of://; s/,/ /g' | xargs)
      [ "$said" = "$(echo "$values" | xargs)" ] || echo "$p $opt: completion offers '$values', program knows '$said'"
    done
done >"$TMP/choices"
[ ! -s "$TMP/choices" ] || fail "$(cat "$TMP/choices")"
ok
pass "installed ${#progs[@]} programs with man pages and completions"
