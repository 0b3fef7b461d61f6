#!/usr/bin/env bash
# msort with 8 ranks oversubscribed on few cores: the default run (smaller n
# under the sanitizers) verifies, and more ranks than elements works.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
need_mpi
M=$CONCUR_BIN/msort
n=10M
[ "${CONCUR_SANITIZE:-0}" = 1 ] && n=1M
expect_status 0 mpi 8 "$M" -n "$n" --threads 1
expect_stderr "msort sample: n=[0-9]+ threads=1 ranks=8 .*verify=PASS"
"$CONCUR_BIN/msort-omp" -n 5 --type f32 --dist few -o "$TMP/want" 2>/dev/null || fail "reference"
expect_status 0 mpi 8 "$M" -n 5 --type f32 --dist few --algo gather -o "$TMP/got"
same_file "$TMP/want" "$TMP/got"
pass
