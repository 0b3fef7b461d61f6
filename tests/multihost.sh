# shellcheck shell=bash
# Test hosts on one machine: 2 or 3 "hosts", each a network namespace (and, for
# every command run on it, a UTS namespace with the host's own hostname), wired
# by veths to a bridge that lives in a switch namespace of its own: the
# machine's own namespace never joins. Private addresses 10.199.77.N/24 (IPv6
# off), a hosts file naming every host and a resolv.conf pointing at the
# host's own 127.0.0.1 (/etc/netns/NS/). Open MPI reaches the other hosts
# through tests/multihost_rsh.sh (an ssh stand-in) and TCP.
# Source after tests/lib.sh:
#
#   mh_need            skip (77) with the reason unless hosts can be made here
#   mh_up N [SECS]     N hosts (MH_HOST[1..N] names, MH_ADDR[1..N] addresses,
#                      MH_BRIDGE_ADDR the switch's own address, MH_HOSTFILE with
#                      slots=2 each); everything is torn down at exit, and after
#                      SECS (default 240) a watchdog kills every process on the
#                      hosts and ends the test
#   mh_on I CMD...     run CMD on host I (1..N) with the caller's environment
#   mh_mpirun ARGS...  mpirun on host 1 with MH_MPI_FLAGS (the flags below),
#                      the BTLs MH_BTL (default tcp,vader,self)
#   mh_procs           PIDs of the processes running on any of the hosts
#   mh_pid_of I EXE [JOB]  the PID of a process running EXE on host I (waits
#                      up to 10 s for one to appear, or until process JOB ends;
#                      status 1 if none does)
#   mh_wait_clean SECS until no process runs on the hosts; fails if one still does
#   mh_link I up|down  set host I's cable up or down
#   mh_track PID       a process of the test outside the hosts (a daemon on the
#                      machine, e.g. munged) that the teardown (or the next
#                      run's sweep) must stop too
#   mh_disk I          give host I a private disk: $MH_LOCAL (same path on every
#                      host) shows $TMP/disk/hI on host I (call before starting
#                      anything on it)
#
# Names carry the prefix cmh-PID- (PID: the test's shell), so a run killed
# before its teardown (SIGKILL, a ctest timeout) is cleaned up by the next one.
# The teardown goes by PID (every process whose network namespace is one of
# ours is killed) and by name (the namespaces and /etc/netns folders).
mh_prefix=cmh-$$
mh_state=/run/concur-multihost
mh_subnet=10.199.77.0/24
MH_BRIDGE_ADDR=10.199.77.254
MH_LOCAL=$TMP/local
MH_HOST=()
MH_ADDR=()
MH_N=0
_mh_rsh=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/multihost_rsh.sh

# The flags every cross-host mpirun gets: TCP between hosts on the test subnet
# only, no binding (each host's daemon would bind from core 0), ranks that wait
# yield the core (Open MPI counts 2 slots per host, not 2 cores in all), and
# OOB keepalives so that a dead link ends the job in about 10 s, not minutes.
MH_MPI_FLAGS=(--hostfile "$TMP/mh-hosts" --mca plm_rsh_agent "$_mh_rsh"
  --mca pml ob1
  --mca btl_tcp_if_include "$mh_subnet" --mca oob_tcp_if_include "$mh_subnet"
  --bind-to none --mca mpi_yield_when_idle 1
  --mca oob_tcp_keepalive_time 5 --mca oob_tcp_keepalive_intvl 2 --mca oob_tcp_keepalive_probes 3)
[ "$(id -u)" = 0 ] && MH_MPI_FLAGS+=(--allow-run-as-root)
MH_HOSTFILE=$TMP/mh-hosts

mh_need() {
  [ "$(id -u)" = 0 ] || skip "needs root for network namespaces (running as uid $(id -u))"
  command -v ip >/dev/null || skip "ip (iproute2) is not installed"
  command -v unshare >/dev/null || skip "unshare (util-linux) is not installed"
  # Claim the prefix first: a sweep by another test leaves claimed names alone.
  # ($mh_state stays: removing it could race with another test's claim.)
  if [ -z "${_mh_claimed:-}" ]; then
    mkdir -p "$mh_state" || fail "cannot make $mh_state"
    _mh_start $$ >"$mh_state/$mh_prefix.owner" || fail "cannot write $mh_state"
    at_exit mh_down
    _mh_claimed=1
  fi
  local probe=cmh-$$-probe
  ip netns add "$probe" 2>"$TMP/mh-probe.err" || skip "ip netns add is not permitted here: $(cat "$TMP/mh-probe.err")"
  if ! ip netns exec "$probe" unshare --uts -- hostname "$probe" 2>"$TMP/mh-probe.err" ||
    ! ip -n "$probe" link add mh-probe type bridge 2>"$TMP/mh-probe.err"; then
    ip netns delete "$probe"
    skip "network/UTS namespaces or bridges are not usable here: $(cat "$TMP/mh-probe.err")"
  fi
  ip netns delete "$probe"
}

# The inode of a named network namespace (what /proc/PID/ns/net links to).
_mh_ino() { stat -L -c %i "/run/netns/$1" 2>/dev/null; }

# PIDs of the processes whose network namespace is one of the named ones.
_mh_pids_in() { # NS...
  local ns inos=" " p link
  for ns in "$@"; do inos+="$(_mh_ino "$ns") "; done
  [ "$inos" != " " ] || return 0
  for p in /proc/[0-9]*; do
    link=$(readlink "$p/ns/net" 2>/dev/null) || continue
    link=${link#net:[}
    case $inos in *" ${link%]} "*) echo "${p#/proc/}" ;; esac
  done
}

# Kill every process in the named namespaces (a few rounds: a dying orted may
# still start something), then delete the namespaces and their /etc/netns.
_mh_remove() { # NS...
  local pids ns _
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    pids=$(_mh_pids_in "$@")
    [ -n "$pids" ] || break
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null
    sleep 0.1
  done
  for ns in "$@"; do
    ip netns delete "$ns" 2>/dev/null
    rm -rf "/etc/netns/$ns" "$mh_state/$ns".*
    rm -rf "${TMPDIR:-/tmp}/ompi.$ns."* # Open MPI's session folder of a killed daemon
  done
}

# The start time of a process (field 22 of /proc/PID/stat), to tell a live
# owner from a new process that got its PID.
_mh_start() { awk '{ sub(/^.*\) /, ""); print $20 }' "/proc/$1/stat" 2>/dev/null; }

# Leftovers of runs that are gone: namespaces cmh-PID-* whose PID is no longer
# the process that made them.
_mh_sweep() {
  local ns pid owners=() stale=()
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep '^cmh-'); do
    pid=${ns#cmh-}
    pid=${pid%%-*}
    if [ -n "$pid" ] && [ -r "$mh_state/cmh-$pid.owner" ] &&
      [ "$(cat "$mh_state/cmh-$pid.owner")" = "$(_mh_start "$pid")" ]; then
      continue # a run in progress
    fi
    stale+=("$ns")
    owners+=("$pid")
  done
  if [ ${#stale[@]} -gt 0 ]; then
    echo "multihost: removing leftovers of a killed run: ${stale[*]}" >&2
    _mh_remove "${stale[@]}"
  fi
  for pid in "${owners[@]}"; do
    _mh_kill_tracked "cmh-$pid"
    rm -f "$mh_state/cmh-$pid.owner"
  done
  for ns in /etc/netns/cmh-*; do
    [ -e "$ns" ] && [ ! -e "/run/netns/${ns##*/}" ] && rm -rf "$ns"
  done
  return 0
}

mh_track() { echo "$1 $(_mh_start "$1")" >>"$mh_state/$mh_prefix.procs"; }
# Stop the tracked processes of a prefix that are still the ones tracked.
_mh_kill_tracked() {
  local pid start
  [ -r "$mh_state/$1.procs" ] || return 0
  while read -r pid start; do
    [ "$(_mh_start "$pid")" = "$start" ] && kill -TERM "$pid" 2>/dev/null
  done <"$mh_state/$1.procs"
  rm -f "$mh_state/$1.procs"
}

mh_down() {
  [ -n "${_mh_watchdog:-}" ] && kill "$_mh_watchdog" 2>/dev/null
  _mh_watchdog=""
  local all=("$mh_prefix-sw" "$mh_prefix-probe") i
  for ((i = 1; i <= MH_N; i++)); do all+=("${MH_HOST[i]}"); done
  _mh_remove "${all[@]}"
  _mh_kill_tracked "$mh_prefix"
  rm -f "$mh_state/$mh_prefix.owner"
  rmdir /etc/netns 2>/dev/null
  return 0
}

_mh_ns() { # NS CMD...: a command in a namespace, failing the test if it fails
  local ns=$1
  shift
  ip netns exec "$ns" "$@" 2>"$TMP/mh-cmd.err" || fail "on $ns: '$*': $(cat "$TMP/mh-cmd.err")"
}

mh_up() {
  local n=$1 secs=${2:-240} i sw=$mh_prefix-sw h
  mh_need
  _mh_sweep
  trap 'exit 143' TERM
  trap 'exit 130' INT
  MH_N=$n
  ip netns add "$sw" || fail "ip netns add $sw"
  _mh_ns "$sw" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  ip -n "$sw" link add br0 type bridge || fail "no bridge in $sw"
  ip -n "$sw" addr add "$MH_BRIDGE_ADDR/24" dev br0
  ip -n "$sw" link set br0 up
  ip -n "$sw" link set lo up
  for ((i = 1; i <= n; i++)); do
    h=$mh_prefix-h$i
    MH_HOST[i]=$h
    MH_ADDR[i]=10.199.77.$i
    ip netns add "$h" || fail "ip netns add $h"
    _mh_ns "$h" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    # The cable: eth0 on the host, its other end (named after the host) on the bridge.
    ip link add eth0 netns "$h" type veth peer name "h$i" netns "$sw" ||
      fail "cannot wire $h to the switch"
    ip -n "$sw" link set "h$i" master br0 up
    ip -n "$h" addr add "${MH_ADDR[i]}/24" dev eth0
    ip -n "$h" link set eth0 up
    ip -n "$h" link set lo up
  done
  : >"$MH_HOSTFILE"
  for ((i = 1; i <= n; i++)); do
    mkdir -p "/etc/netns/${MH_HOST[i]}"
    {
      echo "127.0.0.1 localhost"
      for ((h = 1; h <= n; h++)); do echo "${MH_ADDR[h]} ${MH_HOST[h]}"; done
      echo "$MH_BRIDGE_ADDR $mh_prefix-sw"
    } >"/etc/netns/${MH_HOST[i]}/hosts"
    printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"/etc/netns/${MH_HOST[i]}/resolv.conf"
    echo "${MH_HOST[i]} slots=2" >>"$MH_HOSTFILE"
  done
  # The watchdog: kill the hosts' processes (which ends whatever the test
  # waits for), then the test, whose exit tears the rest down.
  (
    trap - TERM INT
    end=$((SECONDS + secs))
    while [ "$SECONDS" -lt "$end" ]; do
      kill -0 $$ 2>/dev/null || exit 0 # the test is gone (the next run sweeps up)
      sleep 1 >/dev/null 2>&1
    done
    echo "FAIL: $TEST_NAME: still running after $secs s: killing the test hosts' processes" >&2
    # shellcheck disable=SC2046
    kill -KILL $(mh_procs) 2>/dev/null
    kill -TERM $$
  ) </dev/null &
  _mh_watchdog=$!
  echo "multihost: $n hosts up: ${MH_HOST[*]:1} on $mh_subnet (switch $sw)" >&2
}

mh_procs() {
  local i all=()
  for ((i = 1; i <= MH_N; i++)); do all+=("${MH_HOST[i]}"); done
  _mh_pids_in "${all[@]}"
}

mh_pid_of() {
  local i=$1 exe=$2 job=${3:-} p _
  for _ in $(seq 100); do
    [ -z "$job" ] || kill -0 "$job" 2>/dev/null || return 1
    for p in $(_mh_pids_in "${MH_HOST[i]}"); do
      [ "$(readlink "/proc/$p/exe" 2>/dev/null)" = "$exe" ] && { echo "$p"; return 0; }
    done
    sleep 0.1
  done
  return 1
}

mh_wait_clean() {
  local secs=$1 t left
  for ((t = 0; t < secs * 10; t++)); do
    left=$(mh_procs)
    [ -z "$left" ] && return 0
    sleep 0.1
  done
  fail "processes left on the hosts $secs s later: $(for p in $left; do tr '\0' ' ' <"/proc/$p/cmdline"; echo "($p)"; done 2>/dev/null | head -c 600)"
}

mh_disk() {
  local i=$1
  mkdir -p "$TMP/disk/h$i" "$MH_LOCAL"
  echo "$TMP/disk/h$i:$MH_LOCAL" >"$mh_state/${MH_HOST[i]}.disk"
}

mh_on() {
  local i=$1
  shift
  local disk
  disk=$(cat "$mh_state/${MH_HOST[i]}.disk" 2>/dev/null || true)
  # shellcheck disable=SC2016 # (the inner shell expands them)
  ip netns exec "${MH_HOST[i]}" unshare --uts -- sh -c '
    hostname "$1" || exit 255
    if [ -n "$2" ]; then mount --bind "${2%%:*}" "${2#*:}" || exit 255; fi
    shift 2
    exec "$@"' sh "${MH_HOST[i]}" "$disk" "$@"
}

# The BTLs: MH_BTL (default tcp,vader,self); the sanitizer and OpenMP settings
# of the test's environment go to every rank (-x, as a user would). Under the
# sanitizers leak checking is off for MPI runs, as in lib.sh's mpi().
mh_mpirun() {
  local v fwd=() ASAN_OPTIONS=detect_leaks=0
  export ASAN_OPTIONS
  for v in ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS OMP_WAIT_POLICY OMP_NUM_THREADS; do
    [ -n "${!v+set}" ] && fwd+=(-x "$v")
  done
  mh_on 1 mpirun "${MH_MPI_FLAGS[@]}" --mca btl "${MH_BTL:-tcp,vader,self}" "${fwd[@]}" "$@"
}

mh_link() {
  local _
  ip -n "$mh_prefix-sw" link set "h$1" "$2" || fail "cannot set the cable of host $1 $2"
  [ "$2" = up ] || return 0
  for _ in $(seq 100); do # until both ends carry traffic again
    ip -n "${MH_HOST[$1]}" link show eth0 | grep -q 'LOWER_UP' &&
      bridge -n "$mh_prefix-sw" link show dev "h$1" | grep -q 'state forwarding' && return 0
    sleep 0.05
  done
  fail "the cable of host $1 is not back up after 5 s"
}
