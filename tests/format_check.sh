#!/usr/bin/env bash
# Every C/C++ source follows .clang-format (clang-format --dry-run -Werror).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
command -v clang-format >/dev/null || skip "clang-format is not installed"
cd "$CONCUR_SRC" || fail "no source tree"
mapfile -t files < <(git ls-files -co --exclude-standard '*.c' '*.h' '*.cc' '*.cpp' 2>/dev/null ||
                     find common omp mpi tests jobs -name '*.[ch]')
[ ${#files[@]} -gt 0 ] || fail "no sources found"
clang-format --dry-run -Werror "${files[@]}" || fail "run: clang-format -i on the files above"
pass "${#files[@]} files formatted"
