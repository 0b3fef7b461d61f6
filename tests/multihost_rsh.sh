#!/bin/sh
# multihost_rsh.sh: the ssh stand-in of the test hosts (tests/multihost.sh).
# Open MPI calls it as its rsh agent (`--mca plm_rsh_agent THIS`):
#
#   multihost_rsh.sh HOST WORD...
#
# Like ssh, it joins the words with spaces and runs them with `sh -c` on HOST,
# with the clean environment a login gives (PATH, HOME, USER, LOGNAME, SHELL;
# nothing else from the caller: what ranks need comes through mpirun -x).
# "On HOST" means inside HOST's network namespace (`ip netns exec`, which also
# mounts /etc/netns/HOST/hosts and resolv.conf over /etc), in a UTS namespace
# of its own whose hostname is HOST, with HOST's private disk (if the fixture
# made one) mounted over the shared folder MH_LOCAL names. Only the fixture's
# hosts (names starting "cmh-") are reachable; anything else is "no route",
# exit 255 as ssh.
host=${1:-}
[ $# -ge 2 ] || { echo "multihost_rsh.sh: usage: multihost_rsh.sh HOST COMMAND..." >&2; exit 255; }
shift
case $host in
  cmh-*) ;;
  *) echo "multihost_rsh.sh: $host: not a test host (names start with cmh-)" >&2; exit 255 ;;
esac
[ -e "/run/netns/$host" ] || { echo "multihost_rsh.sh: $host: no such host" >&2; exit 255; }
# The host's disk, if any: /run/netns/HOST's fixture wrote where it is.
disk=$(cat "/run/concur-multihost/$host.disk" 2>/dev/null || true)
# shellcheck disable=SC2016 # (the inner shell expands them)
exec env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  HOME="${HOME:-/root}" USER="$(id -un)" LOGNAME="$(id -un)" SHELL=/bin/sh LANG=C.UTF-8 \
  ip netns exec "$host" unshare --uts -- sh -c '
    hostname "$1" || exit 255
    if [ -n "$2" ]; then mount --bind "${2%%:*}" "${2#*:}" || exit 255; fi
    exec sh -c "$3"' sh "$host" "$disk" "$*"
