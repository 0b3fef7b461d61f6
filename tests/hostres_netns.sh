#!/usr/bin/env bash
# hostres against a real slow resolver. In a network namespace made here, the
# resolver is pointed (through /etc/netns/NAME/resolv.conf, which `ip netns
# exec` mounts over /etc/resolv.conf) at a UDP server on 127.0.0.1 that reads
# queries and never answers. Without a limit getaddrinfo would hang for
# timeout x attempts; `hostres -w 1` must give the name back in about a second
# and leave no child behind. Also: an /etc/hosts name still resolves there,
# and a hostres killed from outside takes its lookup child with it.
# Needs root and a kernel that allows `ip netns`; skips with the reason.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip "needs root for ip netns (running as uid $(id -u))"
command -v ip >/dev/null || skip "ip (iproute2) is not installed"
command -v python3 >/dev/null || skip "python3 is not installed (runs the silent DNS server)"

ns=concur-hostres-$$
ip netns add "$ns" 2>"$TMP/netns.err" || skip "ip netns add is not permitted here: $(cat "$TMP/netns.err")"
at_exit "ip netns delete $ns"
mkdir -p "/etc/netns/$ns"
at_exit "rm -rf /etc/netns/$ns; rmdir /etc/netns 2>/dev/null"
printf 'nameserver 127.0.0.1\noptions timeout:5 attempts:3\n' >"/etc/netns/$ns/resolv.conf"
printf '127.0.0.1 localhost\n10.11.12.13 concur-netns-test.example\n' >"/etc/netns/$ns/hosts"
ip netns exec "$ns" ip link set lo up 2>"$TMP/netns.err" ||
  skip "ip netns exec is not permitted here: $(cat "$TMP/netns.err")"

# The DNS server that never answers (it logs each query it receives).
ip netns exec "$ns" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 53))
open(sys.argv[1], "w").close()
with open(sys.argv[2], "a", buffering=1) as log:
    while True:
        data, _ = s.recvfrom(4096)
        log.write("%d\n" % len(data))
' "$TMP/ready" "$TMP/queries" &
sink=$!
at_exit "kill $sink; wait $sink 2>/dev/null"
for _ in $(seq 100); do [ -e "$TMP/ready" ] && break; sleep 0.05; done
[ -e "$TMP/ready" ] || fail "the silent DNS server did not start"

# A private copy of hostres, so that its processes can be told apart from
# any other hostres running on the machine.
cp "$CONCUR_BIN/hostres" "$TMP/hostres-ns"
running() { # pids of processes running our copy
  find /proc -mindepth 2 -maxdepth 2 -name exe -lname "$TMP/hostres-ns" 2>/dev/null |
    cut -d/ -f3
}
now() { date +%s.%N; }

t0=$(now)
expect_status 1 ip netns exec "$ns" "$TMP/hostres-ns" -w 1 some.name.example
t1=$(now)
grep -qxF "some.name.example"$'\t'"some.name.example" "$TMP/last.out" || fail "fallback line: $(cat "$TMP/last.out")"
ok
expect_stderr 'some\.name\.example: timed out'
left=$(running)
[ -z "$left" ] || fail "processes left behind: $left"
ok
elapsed=$(awk "BEGIN { printf \"%.3f\", $t1 - $t0 }")
echo "hostres -w 1 with a silent DNS server returned after ${elapsed} s"
awk "BEGIN { exit !($elapsed >= 0.9 && $elapsed < 3.0) }" || fail "took $elapsed s, expected about 1 s"
ok
[ -s "$TMP/queries" ] || fail "the silent DNS server saw no query: resolv.conf of $ns not used?"
ok

# /etc/hosts still answers at once in the namespace.
expect_status 0 ip netns exec "$ns" "$TMP/hostres-ns" -w 1 concur-netns-test.example
grep -qxF "concur-netns-test.example"$'\t'"10.11.12.13" "$TMP/last.out" || fail "hosts name: $(cat "$TMP/last.out")"
ok

# Without a limit the lookup hangs (so the test above measured something):
# hostres and its lookup child are both seen running. Killing hostres then
# must also end the child (PR_SET_PDEATHSIG), with nobody left to reap it.
ip netns exec "$ns" "$TMP/hostres-ns" -w 0 some.name.example >/dev/null 2>&1 &
victim=$!
for _ in $(seq 100); do
  [ "$(running | wc -l)" -ge 2 ] && break
  sleep 0.05
done
[ "$(running | wc -l)" -ge 2 ] || fail "hostres -w 0 and its lookup child were not both seen running"
ok
kill -TERM "$victim"
wait "$victim" 2>/dev/null
for _ in $(seq 60); do
  left=$(running)
  [ -z "$left" ] && break
  sleep 0.05
done
[ -z "$left" ] || fail "lookup child survived its killed parent: $left"
ok
pass
