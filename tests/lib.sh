# shellcheck shell=bash
# Shared helpers for the bash tests. Source it first:  . "$(dirname "$0")/lib.sh"
# ctest sets CONCUR_BIN, CONCUR_SRC, CONCUR_TESTS, CONCUR_MPIRUN, CONCUR_WITH_MPI,
# CONCUR_WITH_CURL; defaults below let a script also run by hand from the repo.
set -u
CONCUR_SRC=${CONCUR_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
CONCUR_TESTS=${CONCUR_TESTS:-$CONCUR_SRC/tests}
CONCUR_BIN=${CONCUR_BIN:-$CONCUR_SRC/build/bin}
CONCUR_MPIRUN=${CONCUR_MPIRUN:-mpirun --map-by :OVERSUBSCRIBE $([ "$(id -u)" = 0 ] && echo --allow-run-as-root)}
CONCUR_WITH_MPI=${CONCUR_WITH_MPI:-1}
CONCUR_WITH_CURL=${CONCUR_WITH_CURL:-1}
TEST_NAME=$(basename "$0" .sh)
_checks_passed=0

# A private scratch folder, removed on exit whatever happens.
TMP=$(mktemp -d "${TMPDIR:-/tmp}/concur-$TEST_NAME.XXXXXX")
_cleanup_hooks=()
_on_exit() {
  local h
  for h in "${_cleanup_hooks[@]}"; do eval "$h" || true; done
  rm -rf "$TMP"
}
trap _on_exit EXIT
# Run a command at exit (stop servers, daemons): at_exit 'kill $pid'
at_exit() { _cleanup_hooks+=("$1"); }

fail() { echo "FAIL: $TEST_NAME: $*" >&2; echo "$_checks_passed passed, 1 failed"; exit 1; }
skip() { echo "SKIP: $TEST_NAME: $*"; exit 77; }
ok()   { _checks_passed=$((_checks_passed + 1)); }
pass() { echo "PASS: $TEST_NAME${1:+: $1}"; echo "$((_checks_passed + 1)) passed, 0 failed"; exit 0; }

# mpirun with N ranks, with the flags this machine needs: mpi N prog args...
# Under the sanitizers leak checking is off for MPI runs: Open MPI's plugins
# keep allocations until exit (see tests/CMakeLists.txt).
mpi() {
  local n=$1; shift
  ASAN_OPTIONS=detect_leaks=0 $CONCUR_MPIRUN -np "$n" "$@"
}
need_mpi()  { [ "$CONCUR_WITH_MPI" = 1 ]  || skip "built without MPI"; }
need_curl() { [ "$CONCUR_WITH_CURL" = 1 ] || skip "built without libcurl"; }

# expect_status CODE cmd...: run cmd, fail unless it exits with CODE.
expect_status() {
  local want=$1; shift
  local got=0
  "$@" >"$TMP/last.out" 2>"$TMP/last.err" || got=$?
  [ "$got" = "$want" ] || fail "'$*' exited $got, expected $want; stderr: $(head -c 600 "$TMP/last.err")"
  ok
}
# expect_stderr PATTERN: the last expect_status command's stderr matches PATTERN (grep -E).
expect_stderr() { grep -qE -- "$1" "$TMP/last.err" || fail "stderr lacks /$1/: $(head -c 600 "$TMP/last.err")"; ok; }
# same_file A B: byte-identical.
same_file() { cmp -s "$1" "$2" || fail "$1 and $2 differ"; ok; }
