#!/usr/bin/env bash
# randompix benchmark: randompix (async, threads, serial) against
# `curl --parallel --parallel-max 10`, serial curl and `aria2c -j 10`, on one
# local nginx (one process, 127.0.0.1), in one run, tools interleaved.
#
#   jobs/bench/randompix.sh [--reps N] [--cases "1k 100k 1m lat"] [--lat-serial N]
#                           [--tools "randompix-async curl-parallel ..."] [--out FILE]
#
# Cases (2000 downloads each, every tool gets the same URL list):
#   1k    2000 distinct PNG files of about 1 KB
#   100k  2000 distinct PNG files of about 100 KB
#   1m    2000 downloads of about 1 MB (250 distinct files, each listed 8 times)
#   lat   the 100k files behind 50 ms of added latency per request (nginx's echo
#         module: echo_sleep 0.05 then an internal redirect to the file); the
#         serial tools fetch only the first --lat-serial N (default 200) there,
#         rates are per image so they compare.
# Per run: wall time and CPU time (user+sys of the tool process, from
# getrusage), images/s and MB/s from the median wall time over --reps
# (default 3; the lat case runs at most 3), and the best wall time (the least
# disturbed run on a shared machine). Each run writes into a fresh folder (in /dev/shm when there
# is one), checked (file count) and removed. Output: a Markdown table on stdout
# (and in --out FILE). Needs: nginx-light, curl, aria2, python3, build/bin.
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=tests/lib.sh
. "$top/tests/lib.sh"
# shellcheck source=tests/randompix_servers.sh
. "$top/tests/randompix_servers.sh"

reps=3
cases="1k 100k 1m lat"
lat_serial=200
tools="randompix-async curl-parallel aria2c randompix-threads randompix-serial curl-serial"
out_file=""
while [ $# -gt 0 ]; do
  case $1 in
    --reps) reps=$2; shift 2 ;;
    --cases) cases=$2; shift 2 ;;
    --lat-serial) lat_serial=$2; shift 2 ;;
    --tools) tools=$2; shift 2 ;;
    --out) out_file=$2; shift 2 ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "randompix bench: unknown argument $1" >&2; exit 2 ;;
  esac
done
rp=${CONCUR_BIN:-$top/build/bin}/randompix
# Downloads go to memory (/dev/shm) when possible: 2000 x 1 MB per run would
# otherwise measure the disk's write-back (and slow everyone's builds).
dl_root=$TMP
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
  dl_root=$(mktemp -d /dev/shm/randompix-bench.XXXXXX)
  at_exit "rm -rf '$dl_root'"
fi
[ -x "$rp" ] || { echo "build randompix first ($rp)" >&2; exit 1; }
for t in nginx curl aria2c python3; do
  command -v "$t" >/dev/null || [ -x "/usr/sbin/$t" ] || { echo "missing $t (jobs/deps/randompix.txt, bench-randompix.txt)" >&2; exit 1; }
done

www=$TMP/www
echo "generating images..." >&2
mkdir -p "$www"
case " $cases " in *" 1k "*) python3 "$top/tests/randompix_images.py" "$www/s1k" 2000 1000 1 || fail "images" ;; esac
case " $cases " in *" 100k "* | *" lat "*) python3 "$top/tests/randompix_images.py" "$www/s100k" 2000 100000 2 || fail "images" ;; esac
case " $cases " in *" 1m "*) python3 "$top/tests/randompix_images.py" "$www/s1m" 250 1000000 3 || fail "images" ;; esac

NGINX_MAIN_EXTRA="load_module /usr/lib/nginx/modules/ngx_http_echo_module.so;"
# shellcheck disable=SC2016  # nginx's $1, not the shell's
NGINX_SERVER_EXTRA='location ~ ^/slow/(.*)$ { echo_sleep 0.05; echo_exec /$1; }'
NGINX_ACCESS_LOG=off
start_nginx "$www"
base=http://127.0.0.1:$NGINX_PORT

# make_list CASE: the URL list of a case, one per line.
make_list() {
  local i
  case $1 in
    1k) for i in $(seq 0 1999); do printf '%s/s1k/img%05d.png\n' "$base" "$i"; done ;;
    100k) for i in $(seq 0 1999); do printf '%s/s100k/img%05d.png\n' "$base" "$i"; done ;;
    1m) for i in $(seq 0 1999); do printf '%s/s1m/img%05d.png?k=%d\n' "$base" $((i % 250)) "$i"; done ;;
    lat) for i in $(seq 0 1999); do printf '%s/slow/s100k/img%05d.png\n' "$base" "$i"; done ;;
  esac
}

# measure LOG cmd...: run cmd, append "wall cpu" (seconds) to LOG.
measure() {
  local log=$1; shift
  python3 - "$log" "$@" <<'PY'
import resource, subprocess, sys, time
before = resource.getrusage(resource.RUSAGE_CHILDREN)
t = time.perf_counter()
rc = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
wall = time.perf_counter() - t
after = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
with open(sys.argv[1], "a") as f:
    f.write("%.6f %.6f %d\n" % (wall, cpu, rc))
PY
}

# run_tool CASE TOOL LIST N: one timed run into a fresh folder, checked.
run_tool() {
  local c=$1 tool=$2 list=$3 n=$4 d=$dl_root/dl log=$TMP/res.$1.$2
  rm -rf "$d"
  mkdir -p "$d"
  head -n "$n" "$list" >"$TMP/l.txt"
  case $tool in
    randompix-async) measure "$log" "$rp" --list "$TMP/l.txt" --out "$d" -q --mode async --jobs 10 ;;
    randompix-threads) measure "$log" "$rp" --list "$TMP/l.txt" --out "$d" -q --mode threads --threads 10 ;;
    randompix-serial) measure "$log" "$rp" --list "$TMP/l.txt" --out "$d" -q --mode serial ;;
    curl-parallel)
      awk -v d="$d" '{printf "url = \"%s\"\noutput = \"%s/%05d.png\"\n", $0, d, NR}' "$TMP/l.txt" >"$TMP/curl.cfg"
      measure "$log" curl -s --no-progress-meter --parallel --parallel-max 10 -K "$TMP/curl.cfg" ;;
    curl-serial)
      awk -v d="$d" '{printf "url = \"%s\"\noutput = \"%s/%05d.png\"\n", $0, d, NR}' "$TMP/l.txt" >"$TMP/curl.cfg"
      measure "$log" curl -s --no-progress-meter -K "$TMP/curl.cfg" ;;
    aria2c)
      awk '{printf "%s\n  out=%05d.png\n", $0, NR}' "$TMP/l.txt" >"$TMP/aria.in"
      measure "$log" aria2c -j 10 -i "$TMP/aria.in" -d "$d" -q --file-allocation=none \
        --auto-file-renaming=false --console-log-level=error --download-result=hide \
        --summary-interval=0 ;;
  esac
  local got bytes
  got=$(find "$d" -type f ! -name '*.part' ! -name '*.aria2' | wc -l)
  bytes=$(du -sb "$d" | awk '{print $1}')
  echo "$got $bytes" >>"$log.files"
  [ "$got" = "$n" ] || echo "warning: $c $tool saved $got of $n files" >&2
  rm -rf "$d"
}

table() {
  echo "| case | tool | n | wall s (median of $reps) | best wall s | images/s | MB/s | CPU s | CPU ms/image |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
  local c tool n
  for c in $cases; do
    for tool in $tools; do
      [ -s "$TMP/res.$c.$tool" ] || continue
      n=2000
      [ "$c" = lat ] && case $tool in *serial) n=$lat_serial ;; esac
      python3 - "$TMP/res.$c.$tool" "$TMP/res.$c.$tool.files" "$c" "$tool" "$n" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
files = [l.split() for l in open(sys.argv[2])]
wall = statistics.median(float(r[0]) for r in rows)
cpu = statistics.median(float(r[1]) for r in rows)
n = int(sys.argv[5])
nbytes = statistics.median(int(f[1]) for f in files)
bad = sum(1 for r, f in zip(rows, files) if r[2] != "0" or int(f[0]) != n)
best = min(float(r[0]) for r in rows)
print("| %s | %s | %d | %.3f | %.3f | %.0f | %.1f | %.3f | %.3f |%s" % (
    sys.argv[3], sys.argv[4], n, wall, best, n / wall, nbytes / 1e6 / wall, cpu, cpu * 1000 / n,
    " (%d runs incomplete)" % bad if bad else ""))
PY
    done
  done
}

for c in $cases; do
  make_list "$c" >"$TMP/list.$c"
  # Warm the page cache and nginx once per case (not timed).
  "$rp" --list "$TMP/list.$c" --out "$TMP/warm" -q --jobs 10 >/dev/null 2>&1
  rm -rf "$TMP/warm"
  case_reps=$reps
  [ "$c" = lat ] && [ "$reps" -gt 3 ] && case_reps=3
  for r in $(seq "$case_reps"); do
    echo "case $c, round $r of $case_reps" >&2
    for tool in $tools; do
      n=2000
      [ "$c" = lat ] && case $tool in *serial) n=$lat_serial ;; esac
      run_tool "$c" "$tool" "$TMP/list.$c" "$n"
    done
  done
done

{
  echo "randompix benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "nginx $(nginx -v 2>&1 | sed 's/.*\///'), $(curl --version | head -1 | cut -d' ' -f1-2), aria2 $(aria2c --version | head -1 | awk '{print $3}')"
  echo
  table
} | tee ${out_file:+"$out_file"}
