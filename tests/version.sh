#!/usr/bin/env bash
# --version names what was built and what runs (common/buildinfo.c): the
# version, the commit (the one git has now; "-dirty" with uncommitted changes;
# "unknown" from a tarball), build type, compiler, flags, the MPI library of
# the MPI programs, libcurl for randompix and the SIMD level the kernels chose.
# Then cmake/commit.cmake itself: git, dirty, tarball, rewritten only on change.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$TMP" || fail "no scratch folder"

progs=(msort-omp sudoku-omp hostres primer)
[ "$CONCUR_WITH_MPI" = 1 ] && progs+=(msort sudoku)
[ "$CONCUR_WITH_CURL" = 1 ] && progs+=(randompix)
[ "$CONCUR_WITH_MPI" = 1 ] && [ "$CONCUR_WITH_CURL" = 1 ] && progs+=(randompix-mpi)
version=$(sed -n 's/^project(concur VERSION \([0-9.]*\).*/\1/p' "$CONCUR_SRC/CMakeLists.txt")
[ -n "$version" ] || fail "no version in CMakeLists.txt"
head=""
if command -v git >/dev/null && [ "$(git -C "$CONCUR_SRC" rev-parse --show-toplevel 2>/dev/null)" = "$(cd "$CONCUR_SRC" && pwd -P)" ]; then
  head=$(git -C "$CONCUR_SRC" rev-parse --short HEAD)
fi
curl_v=$(curl-config --version 2>/dev/null | awk '{print $2}')

# field NAME: the value of the "NAME: value" line of the last --version
field() { sed -n "s/^$1: //p" "$TMP/last.out"; }

for p in "${progs[@]}"; do
  expect_status 0 env ASAN_OPTIONS=detect_leaks=0 "$CONCUR_BIN/$p" --version
  grep -qx "$p (concur) $version" <(head -1 "$TMP/last.out") || fail "$p: first line: $(head -1 "$TMP/last.out")"
  for f in commit "build type" compiler flags mpi libcurl simd; do
    [ -n "$(field "$f")" ] || fail "$p --version has no '$f:' line: $(cat "$TMP/last.out")"
  done
  ok
  c=$(field commit)
  if [ -n "$head" ]; then
    [ "${c%-dirty}" = "$head" ] || fail "$p: commit '$c', git says $head (built before the last commit? rebuild)"
  else
    [ "$c" = unknown ] || fail "$p: commit '$c' outside git"
  fi
  field compiler | grep -qE '^[A-Za-z]+ [0-9]+\.' || fail "$p: compiler: $(field compiler)"
  case $p in
    msort|sudoku|randompix-mpi|primer)
      if [ "$CONCUR_WITH_MPI" = 1 ]; then
        field mpi | grep -qE '^(Open MPI|MPICH|Intel).* \(MPI [0-9]+\.[0-9]+\)$' || fail "$p: mpi: $(field mpi)"
      fi ;;
    *) field mpi | grep -q '^none' || fail "$p: mpi: $(field mpi)" ;;
  esac
  case $p in
    randompix|randompix-mpi)
      [ -z "$curl_v" ] || field libcurl | grep -q "^$curl_v" || fail "$p: libcurl '$(field libcurl)', curl-config says $curl_v" ;;
    *) field libcurl | grep -q '^none' || fail "$p: libcurl: $(field libcurl)" ;;
  esac
  case $p in
    sudoku|sudoku-omp)
      if [ "$(uname -m)" = x86_64 ]; then
        if grep -qw avx2 /proc/cpuinfo && grep -qw bmi2 /proc/cpuinfo; then want=x86-64-v3; else want=baseline; fi
        field simd | grep -q "$want" || fail "$p: simd '$(field simd)' on a CPU for $want"
      fi ;;
    msort|msort-omp) [ -n "$(field simd)" ] || fail "$p: no simd" ;;
    *) field simd | grep -q '^none' || fail "$p: simd: $(field simd)" ;;
  esac
  ok
done

# cmake/commit.cmake on a repository of its own
command -v git >/dev/null || pass "(git missing: commit.cmake not tried)"
commit() { # commit SRC: what the script writes for SRC
  cmake -DSRC="$1" -DOUT="$TMP/commit.c" -DGIT="$(command -v git)" -P "$CONCUR_SRC/cmake/commit.cmake" ||
    fail "commit.cmake failed on $1"
  sed -n 's/.*concur_build_commit\[\] = "\(.*\)";/\1/p' "$TMP/commit.c"
}
mkdir repo && cd repo || fail "mkdir"
git init -q . && git config user.email t@t && git config user.name t
echo a >file && git add file && git commit -qm one
h=$(git rev-parse --short HEAD)
[ "$(commit "$TMP/repo")" = "$h" ] || fail "clean repository: $(cat "$TMP/commit.c")"; ok
t0=$(stat -c %Y "$TMP/commit.c"); touch -d '2001-01-01' "$TMP/commit.c"
commit "$TMP/repo" >/dev/null
[ "$(stat -c %Y "$TMP/commit.c")" != "$t0" ] && [ "$(date -r "$TMP/commit.c" +%Y)" = 2001 ] ||
  fail "commit.cmake rewrote an unchanged file (builds would not be incremental)"; ok
echo b >file
[ "$(commit "$TMP/repo")" = "$h-dirty" ] || fail "changed file: $(cat "$TMP/commit.c")"; ok
git commit -qam two
h2=$(git rev-parse --short HEAD)
[ "$h2" != "$h" ] && [ "$(commit "$TMP/repo")" = "$h2" ] || fail "after a commit: $(cat "$TMP/commit.c")"; ok
echo c >untracked
[ "$(commit "$TMP/repo")" = "$h2" ] || fail "an untracked file made it dirty"; ok
# a tarball: no .git, alone or unpacked inside another repository
mkdir "$TMP/tarball" && git archive HEAD | tar -x -C "$TMP/tarball"
[ "$(commit "$TMP/tarball")" = unknown ] || fail "tarball: $(cat "$TMP/commit.c")"; ok
mkdir sub && git archive HEAD | tar -x -C sub
[ "$(commit "$TMP/repo/sub")" = unknown ] || fail "tarball inside a repository: $(cat "$TMP/commit.c")"; ok
cmake -DSRC="$TMP/tarball" -DOUT="$TMP/commit.c" -DCOMMIT=v1.2-rc1 -P "$CONCUR_SRC/cmake/commit.cmake"
grep -q '"v1.2-rc1"' "$TMP/commit.c" || fail "CONCUR_COMMIT not used: $(cat "$TMP/commit.c")"; ok
pass
