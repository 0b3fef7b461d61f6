#!/usr/bin/env bash
# concur set-up: install what is missing, build, then run the demo or the tests.
#
#   jobs/setup.sh demo   install what the demo needs (jobs/deps/base.txt: compiler,
#                        CMake, Open MPI, libcurl) + build, then `mpirun -np 8
#                        build/bin/msort` and `build/bin/sudoku` (verified)
#   jobs/setup.sh test   install the test tools too (every jobs/deps/*.txt: nginx,
#                        SLURM, munge, ...) + build, then the whole ctest suite
#
# Options: --sanitize (build in build-asan with AddressSanitizer+UBSan),
#          --mpich (test: the MPI programs built against MPICH in build-mpich,
#          and only their single-host MPI tests), --no-install (never call
#          apt-get). Environment: CONCUR_WERROR=ON makes warnings errors (CI),
# JOBS=N sets build/test parallelism. The other builds use Open MPI (pinned
# where Debian installs both, whatever mpicc points to).
# Idempotent: installed packages and an up-to-date build are left as they are.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mode=""
sanitize=0
mpich=0
install=1
for arg in "$@"; do
  case $arg in
    demo|test) mode=$arg ;;
    --sanitize) sanitize=1 ;;
    --mpich) mpich=1 ;;
    --no-install) install=0 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done
[ -n "$mode" ] || { echo "setup.sh: say 'demo' or 'test' (try --help)" >&2; exit 2; }
if [ "$mpich" = 1 ] && { [ "$mode" != test ] || [ "$sanitize" = 1 ]; }; then
  echo "setup.sh: --mpich goes with 'test' alone" >&2; exit 2
fi
jobs=${JOBS:-$(nproc)}

say() { printf '\n== %s\n' "$*" >&2; }

# --- 1. packages ---------------------------------------------------------------
install_packages() {
  local wanted missing=()
  local lists=("$top"/jobs/deps/*.txt)
  [ "$mode" = demo ] && lists=("$top/jobs/deps/base.txt")
  mapfile -t wanted < <(cat "${lists[@]}" | sed 's/#.*//' | tr -s ' \t' '\n' | grep -v '^$' | sort -u)
  if ! command -v dpkg-query >/dev/null; then
    echo "setup.sh: not a Debian system; make sure these are installed: ${wanted[*]}" >&2
    return 0
  fi
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing: ${missing[*]}"
  local sudo=()
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
[ "$install" = 1 ] && install_packages

# --- 2. build --------------------------------------------------------------------
build=$top/build
cmake_args=(-DCONCUR_WERROR="${CONCUR_WERROR:-OFF}")
if [ "$sanitize" = 1 ]; then
  build=$top/build-asan
  cmake_args+=(-DCONCUR_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo)
fi
# The MPI programs and what their single-host MPI tests run.
mpi_targets=(test_mpi_util msort msort-omp sudoku sudoku-omp randompix-mpi)
mpi_tests='^(toolkit\.mpi\.|msort\.mpi|randompix\.mpi$|sudoku\.(same|threads)$)'
if [ "$mpich" = 1 ]; then
  build=$top/build-mpich
  for b in mpicc.mpich mpiexec.mpich; do
    command -v "$b" >/dev/null || { echo "setup.sh: $b not found (Debian: libmpich-dev, jobs/deps/mpich.txt)" >&2; exit 1; }
  done
  # MPICH's MPI_STATUSES_IGNORE is (MPI_Status *)1, which GCC 11+ takes for an
  # empty array (pmodels/mpich#5687, not to be fixed there): that warning is off.
  cmake_args+=(-DMPI_C_COMPILER="$(command -v mpicc.mpich)" -DMPIEXEC_EXECUTABLE="$(command -v mpiexec.mpich)"
    -DCMAKE_C_FLAGS=-Wno-stringop-overflow)
elif command -v mpicc.openmpi >/dev/null && command -v mpiexec.openmpi >/dev/null; then
  cmake_args+=(-DMPI_C_COMPILER="$(command -v mpicc.openmpi)" -DMPIEXEC_EXECUTABLE="$(command -v mpiexec.openmpi)")
fi
say "building in ${build#"$top"/}"
cmake -S "$top" -B "$build" "${cmake_args[@]}" >/dev/null
if [ "$mpich" = 1 ]; then
  cmake --build "$build" -j "$jobs" --target "${mpi_targets[@]}"
else
  cmake --build "$build" -j "$jobs"
fi

# --- 3. run -----------------------------------------------------------------------
mpirun_cmd() { # mpirun with the flags this machine needs for N ranks
  local n=$1 flags=()
  [ "$(id -u)" = 0 ] && flags+=(--allow-run-as-root)
  [ "$n" -gt "$(nproc)" ] && flags+=(--map-by :OVERSUBSCRIBE)
  echo mpirun "${flags[@]}" -np "$n"
}

if [ "$mode" = demo ]; then
  bin=$build/bin
  ran=0
  if [ -x "$bin/msort" ]; then
    say "$(mpirun_cmd 8) build/bin/msort"
    $(mpirun_cmd 8) "$bin/msort"
    ran=1
  fi
  if [ -x "$bin/sudoku" ]; then
    say "build/bin/sudoku (bundled puzzle set)"
    "$bin/sudoku" >/dev/null
    ran=1
  fi
  [ "$ran" = 1 ] || echo "setup.sh: msort and sudoku are not built yet (MPI missing?)" >&2
elif [ "$mpich" = 1 ]; then
  # One at a time: MPICH's ranks spin while they wait, and 8 of them on a few
  # cores starve a test beside them (randompix.mpi's timed interrupt).
  say "ctest in ${build#"$top"/}: the single-host MPI tests, against MPICH"
  ctest --test-dir "$build" --output-on-failure -j 1 -R "$mpi_tests"
else
  say "ctest in ${build#"$top"/}"
  ctest --test-dir "$build" --output-on-failure -j "$jobs"
fi
