#!/usr/bin/env bash
# randompix-mpi across test hosts (tests/multihost.sh): a web server on the
# switch's own address (10.199.77.254, reachable from every host; 127.0.0.1 is
# each host's own loopback), each host with a private disk behind the same
# --out path. The split is verified from both ends: every requested file is
# saved exactly once, on the disk of the host whose address the server logged
# for that request, intact, and every host fetched its share; the merged
# summary is printed once. Then the same for COUNT draws from one endpoint.
# Skips (77) where network namespaces cannot be made (not root, no ip netns).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/multihost.sh
. "$(dirname "$0")/multihost.sh"
need_mpi
need_curl
mh_need
command -v curl >/dev/null || skip "curl is not installed (checks the server is up)"
mh_up 3 150
rp=$CONCUR_BIN/randompix-mpi
cd "$TMP" || fail "no scratch folder"
for i in 1 2 3; do mh_disk "$i"; done

python3 "$CONCUR_TESTS/randompix_images.py" "$TMP/www/img" 24 20000 5 || fail "cannot make images"
# The server: Python's, on the switch, one log line per request with the
# client's address ("ADDR - - [date] "GET /PATH HTTP/1.1" 200 -").
port=8080
ip netns exec "$mh_prefix-sw" python3 -m http.server "$port" --bind "$MH_BRIDGE_ADDR" \
  --directory "$TMP/www" >/dev/null 2>"$TMP/server.log" &
server=$!
disown "$server" # (the teardown kills it with everything else on the switch)
at_exit "kill $server 2>/dev/null"
base=http://$MH_BRIDGE_ADDR:$port
for _ in $(seq 100); do
  mh_on 3 curl -sf -o /dev/null "$base/img/img00000.png" && break
  sleep 0.1
done
mh_on 3 curl -sf -o /dev/null "$base/img/img00000.png" || fail "the server on $base does not answer: $(cat "$TMP/server.log")"
mh_on 2 curl -sf -o /dev/null "http://127.0.0.1:$port/img/img00000.png" &&
  fail "127.0.0.1:$port answers on host 2: the hosts are not separate"
ok
# The requests of the current phase: the log after its first $seen lines (the
# server keeps the log open: it is never truncated).
seen=0
new_phase() { seen=$(wc -l <"$TMP/server.log"); }
phase_log() { tail -n +$((seen + 1)) "$TMP/server.log"; }

# fetched_by PATH: the host number whose address the server logged for PATH
# (one request only, else an empty answer).
fetched_by() {
  local addrs
  addrs=$(phase_log | awk -v p="GET $1 " 'index($0, p) { print $1 }')
  [ "$(echo "$addrs" | wc -w)" = 1 ] || return 0
  echo "${addrs##*.}"
}

# saved_items: "ITEM HOST" for every file saved on the hosts' disks (ITEM: the
# served file with the same bytes, or "?" when none has them).
sha256sum "$TMP"/www/img/*.png | awk '{ sub(/.*\//, "", $2); print $1, $2 }' | sort >served.txt
saved_items() {
  local i
  for i in 1 2 3; do
    find "$TMP/disk/h$i" -type f -exec sha256sum {} + | awk -v h="$i" '{ print $1, h }'
  done | sort | join -a 1 -e '?' -o 2.2,1.2 - served.txt
}

# --- a list over 3 hosts x 1 rank and 2 hosts x 2 --------------------------------
for f in "$TMP"/www/img/*.png; do echo "$base/img/${f##*/}"; done >list.txt
items=$(wc -l <list.txt)
for lay in 3x1 2x2; do
  case $lay in
    3x1) hosts="${MH_HOST[1]},${MH_HOST[2]},${MH_HOST[3]}" np=3 ;;
    2x2) hosts="${MH_HOST[1]}:2,${MH_HOST[3]}:2" np=4 ;;
  esac
  new_phase
  rm -rf "$TMP"/disk/h*/pix
  expect_status 0 mh_mpirun -np "$np" --host "$hosts" "$rp" --list list.txt --out "$MH_LOCAL/pix" --jobs 2 -q
  [ "$(grep -c '^randompix-mpi: ok' "$TMP/last.err")" = 1 ] || fail "$lay: summary printed $(grep -c '^randompix-mpi: ok' "$TMP/last.err") times"
  expect_stderr "^randompix-mpi: ok $items, failed 0"
  [ ! -e "$MH_LOCAL/pix" ] || fail "$lay: files landed in the machine's own $MH_LOCAL, not on a host's disk"
  # Files get random names: the content tells which item each one is.
  saved_items >saved.txt
  declare -A per_host=()
  while IFS= read -r url; do
    name=${url##*/}
    on=$(awk -v n="$name" '$1 == n { print $2 }' saved.txt | tr '\n' ' ')
    [ "$(echo "$on" | wc -w)" = 1 ] || fail "$lay: $name saved on hosts '$on' (once, on one host, expected)"
    by=$(fetched_by "/img/$name")
    [ -n "$by" ] || fail "$lay: $name: the server logged $(phase_log | grep -c "GET /img/$name ") requests"
    [ "$on" = "$by " ] || fail "$lay: $name fetched by host $by but saved on host $on"
    per_host[$by]=$((${per_host[$by]:-0} + 1))
  done <list.txt
  [ "$(wc -l <saved.txt)" = "$items" ] || fail "$lay: $(wc -l <saved.txt) files saved for $items items"
  want_hosts=3
  [ "$lay" = 2x2 ] && want_hosts=2
  [ "${#per_host[@]}" = "$want_hosts" ] || fail "$lay: only hosts ${!per_host[*]} fetched anything"
  echo "$lay: files per host: $(for h in "${!per_host[@]}"; do printf 'h%s=%s ' "$h" "${per_host[$h]}"; done)"
  unset per_host
  ok
  mh_wait_clean 5
done

# --- COUNT draws from one endpoint, 3 hosts x 1 ---------------------------------------
new_phase
rm -rf "$TMP"/disk/h*/pix
expect_status 0 mh_mpirun -np 3 --host "${MH_HOST[1]},${MH_HOST[2]},${MH_HOST[3]}" "$rp" -n 17 \
  --url "$base/img/img00003.png" --out "$MH_LOCAL/pix" --jobs 2 -q
expect_stderr '^randompix-mpi: ok 17, failed 0'
for i in 1 2 3; do
  logged=$(phase_log | awk -v a="${MH_ADDR[i]}" '$1 == a' | wc -l)
  saved=$(find "$TMP/disk/h$i" -type f -name '*.png' | wc -l)
  if [ "$logged" = 0 ] || [ "$saved" != "$logged" ]; then
    fail "count: host $i fetched $logged and saved $saved files"
  fi
done
[ "$(find "$TMP/disk" -type f -name '*.png' | wc -l)" = 17 ] || fail "count: $(find "$TMP/disk" -type f | wc -l) files saved"
ok
mh_wait_clean 5
pass "$items listed files and 17 draws split over the hosts, each saved once where it was fetched"
