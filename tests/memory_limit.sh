#!/usr/bin/env bash
# The memory check counts the real limits: a run too big for its memory
# cgroup (as under SLURM or in a container) or for its ulimit -v is refused
# at once, with a line naming the limit, instead of being OOM-killed (137).
# The cgroups are real ones, made here (root only) and removed at exit.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip "not root: cannot create a memory cgroup"

# A memory cgroup below this shell's own: cgroup v2 where its memory
# controller is enabled for children, else the v1 memory hierarchy.
v2_mnt=$(findmnt -n -t cgroup2 -o TARGET | head -1)
v2_path=$(sed -n 's/^0:://p' /proc/self/cgroup)
v1_mnt=$(findmnt -n -t cgroup -O memory -o TARGET | head -1)
v1_path=$(sed -n 's/^[0-9]*:\([^:]*,\)\{0,1\}memory\(,[^:]*\)\{0,1\}://p' /proc/self/cgroup)
if [ -n "$v2_mnt" ] && grep -qw memory "$v2_mnt$v2_path/cgroup.subtree_control" 2>/dev/null; then
  base=$v2_mnt$v2_path path=$v2_path limit_file=memory.max peak_file=memory.peak
elif [ -n "$v1_mnt" ] && [ -n "$v1_path" ] && [ -w "$v1_mnt$v1_path" ]; then
  base=$v1_mnt$v1_path path=$v1_path limit_file=memory.limit_in_bytes peak_file=memory.max_usage_in_bytes
else
  skip "no memory cgroup controller to use (v2: not in $v2_mnt$v2_path/cgroup.subtree_control; v1: not mounted)"
fi
base=${base%/} path=${path%/}
name=concur-test-$$
cg=$base/$name
mkdir "$cg" || skip "cannot create $cg"
# the limit on the outer cgroup, the process in an inner one without a
# limit of its own: the check must walk up the path
mkdir "$cg/inner" || { rmdir "$cg"; skip "cannot create $cg/inner"; }
at_exit "rmdir '$cg/inner' '$cg'"
echo 1500M >"$cg/$limit_file" || skip "cannot set $cg/$limit_file"

# in_cgroup CMD...: run CMD inside the inner cgroup.
# shellcheck disable=SC2317 # called through expect_status
in_cgroup() { (echo "$BASHPID" >"$cg/inner/cgroup.procs" && "$@"); }
# begin: start the clock and the cgroup's peak usage (where it can be reset).
begin() {
  start=$(date +%s.%N)
  echo 0 >"$cg/$peak_file" 2>/dev/null || true
}
# quick_refusal: it took under 10 s (touching and sorting the 200M keys refused
# takes longer; a loaded machine can take seconds to start mpirun) and (where
# the kernel keeps a peak) the
# cgroup never held 200 MB: refused before allocating.
quick_refusal() {
  local took peak
  took=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%d", (e - s) * 1000}')
  [ "$took" -lt 10000 ] || fail "the refusal took $took ms"
  if [ -r "$cg/$peak_file" ]; then
    peak=$(cat "$cg/$peak_file")
    [ "$peak" -lt $((200 << 20)) ] || fail "the cgroup peaked at $peak bytes: the run allocated before refusing"
  fi
  ok
}

begin
expect_status 1 in_cgroup "$CONCUR_BIN/msort-omp" -n 200M
expect_stderr "^msort-omp: 200000000 u64 elements need 3\.0 GiB of memory \(data and scratch\); the memory cgroup $path/$name allows 1\.[345] GiB \($limit_file 1\.5 GiB, "
quick_refusal
# what fits still runs
expect_status 0 in_cgroup "$CONCUR_BIN/msort-omp" -n 1M

if [ "$CONCUR_WITH_MPI" = 1 ]; then
  # two ranks on one node share its cgroup: their sum counts
  begin
  expect_status 1 in_cgroup mpi 2 "$CONCUR_BIN/msort" -n 200M
  expect_stderr "msort(\[0\])?: 200000000 u64 elements need 3\.[0-9] GiB of memory on this node \(2 ranks, data and scratch\); the memory cgroup $path/$name allows"
  quick_refusal
  expect_status 0 in_cgroup mpi 2 "$CONCUR_BIN/msort" -n 1M
fi

# RLIMIT_AS (ulimit -v). AddressSanitizer reserves terabytes of address
# space at start, so sanitized builds cannot run under it at all.
# shellcheck disable=SC2317
with_ulimit_v() { (ulimit -v "$1" && shift && exec "$@"); }
if [ "${CONCUR_SANITIZE:-0}" != 1 ]; then
  expect_status 1 with_ulimit_v 1000000 "$CONCUR_BIN/msort-omp" -n 200M
  expect_stderr '^msort-omp: 200000000 u64 elements need 3\.0 GiB of memory \(data and scratch\); RLIMIT_AS \(ulimit -v\) allows [0-9.]+ MiB \(limit 976\.6 MiB, '
  if [ "$CONCUR_WITH_MPI" = 1 ]; then
    expect_status 1 with_ulimit_v 1000000 "$CONCUR_BIN/msort" -n 200M
    expect_stderr '^msort: 200000000 u64 elements need 3\.[0-9] GiB of memory on this rank \(data and scratch\); RLIMIT_AS \(ulimit -v\)'
  fi
  expect_status 0 with_ulimit_v 1000000 "$CONCUR_BIN/msort-omp" -n 1M
fi
pass
