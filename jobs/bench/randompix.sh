#!/usr/bin/env bash
# randompix benchmark: randompix (async, threads, serial) against
# `curl --parallel --parallel-max 10`, serial curl and `aria2c -j 10`, on one
# local nginx (one process, 127.0.0.1), in one run, tools interleaved.
#
#   jobs/bench/randompix.sh [--reps N] [--cases "1k 50k 100k 1m lat"] [--lat-serial N]
#                           [--tools "randompix-async curl-parallel ..."] [--out FILE]
#                           [--dest "shm disk"] [--method "rounds pairs"] [--n N]
#                           [--alt BIN]
#
# Cases (--n downloads each, default 2000; every tool gets the same URL list):
#   1k    distinct PNG files of about 1 KB
#   50k   distinct PNG files of about 50 KB
#   100k  distinct PNG files of about 100 KB
#   1m    downloads of about 1 MB (250 distinct files, each listed n/250 times)
#   lat   the 50k files behind 50 ms of added latency per request (nginx's echo
#         module: echo_sleep 0.05 then an internal redirect to the file); the
#         serial tools fetch only the first --lat-serial N (default 200) there,
#         rates are per image so they compare.
# Tool randompix-manifest: randompix-async with --manifest (a SHA-256 per
# file). --alt BIN adds the tools alt-async and alt-manifest: another randompix
# binary (an older commit, say) run like randompix-async and -manifest, for a
# before/after in one run.
# Destinations (--dest): shm (a folder in /dev/shm: memory) and disk (a folder
# in /var/tmp: the root file system).
# Methods (--method): rounds (every tool once per round into a folder made
# beforehand, after a warm-up run, rounds interleaved; --reps rounds) and
# pairs (the simpler harness: each run a fresh process into a folder it must
# create, no warm-up, three pairs of randompix-async then curl-parallel, then
# three pairs in the other order, curl first).
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

args="$*"
reps=3
cases="1k 100k 1m lat"
lat_serial=200
dests="shm"
methods="rounds"
ndl=2000
alt=""
tools="randompix-async curl-parallel aria2c randompix-threads randompix-serial curl-serial"
out_file=""
while [ $# -gt 0 ]; do
  case $1 in
    --reps) reps=$2; shift 2 ;;
    --cases) cases=$2; shift 2 ;;
    --lat-serial) lat_serial=$2; shift 2 ;;
    --tools) tools=$2; shift 2 ;;
    --out) out_file=$2; shift 2 ;;
    --dest) dests=$2; shift 2 ;;
    --method) methods=$2; shift 2 ;;
    --n) ndl=$2; shift 2 ;;
    --alt) alt=$2; shift 2 ;;
    -h|--help) sed -n '2,35p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "randompix bench: unknown argument $1" >&2; exit 2 ;;
  esac
done
rp=${CONCUR_BIN:-$top/build/bin}/randompix
# Downloads go to memory (/dev/shm) when possible: 2000 x 1 MB per run would
# otherwise measure the disk's write-back (and slow everyone's builds).
shm_root=$TMP
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
  shm_root=$(mktemp -d /dev/shm/randompix-bench.XXXXXX)
  at_exit "rm -rf '$shm_root'"
fi
disk_root=$(mktemp -d /var/tmp/randompix-bench.XXXXXX)
at_exit "rm -rf '$disk_root'"
dl_root=$shm_root
[ -x "$rp" ] || { echo "build randompix first ($rp)" >&2; exit 1; }
for t in nginx curl aria2c python3; do
  command -v "$t" >/dev/null || [ -x "/usr/sbin/$t" ] || { echo "missing $t (jobs/deps/randompix.txt, bench-randompix.txt)" >&2; exit 1; }
done

www=$TMP/www
echo "generating images..." >&2
mkdir -p "$www"
case " $cases " in *" 1k "*) python3 "$top/tests/randompix_images.py" "$www/s1k" "$ndl" 1000 1 || fail "images" ;; esac
case " $cases " in *" 50k "* | *" lat "*) python3 "$top/tests/randompix_images.py" "$www/s50k" "$ndl" 50000 4 || fail "images" ;; esac
case " $cases " in *" 100k "*) python3 "$top/tests/randompix_images.py" "$www/s100k" "$ndl" 100000 2 || fail "images" ;; esac
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
    1k) for i in $(seq 0 $((ndl - 1))); do printf '%s/s1k/img%05d.png\n' "$base" "$i"; done ;;
    50k) for i in $(seq 0 $((ndl - 1))); do printf '%s/s50k/img%05d.png\n' "$base" "$i"; done ;;
    100k) for i in $(seq 0 $((ndl - 1))); do printf '%s/s100k/img%05d.png\n' "$base" "$i"; done ;;
    1m) for i in $(seq 0 $((ndl - 1))); do printf '%s/s1m/img%05d.png?k=%d\n' "$base" $((i % 250)) "$i"; done ;;
    lat) for i in $(seq 0 $((ndl - 1))); do printf '%s/slow/s50k/img%05d.png\n' "$base" "$i"; done ;;
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

# run_tool CASE TOOL LIST N [KEY [FRESH]]: one timed run into a fresh folder
# (made beforehand, or with FRESH=1 left for the tool to make), checked;
# results under KEY (default CASE.TOOL).
run_tool() {
  local c=$1 tool=$2 list=$3 n=$4 d=$dl_root/dl log=$TMP/res.${5:-$1.$2}
  rm -rf "$d"
  [ "${6:-0}" = 1 ] || mkdir -p "$d"
  head -n "$n" "$list" >"$TMP/l.txt"
  case $tool in
    randompix-async) measure "$log" "$rp" --list "$TMP/l.txt" --out "$d" -q --mode async --jobs 10 ;;
    randompix-manifest) measure "$log" "$rp" --list "$TMP/l.txt" --out "$d" -q --mode async --jobs 10 --manifest "$TMP/m.jsonl" ;;
    alt-async) measure "$log" "$alt" --list "$TMP/l.txt" --out "$d" -q --mode async --jobs 10 ;;
    alt-manifest) measure "$log" "$alt" --list "$TMP/l.txt" --out "$d" -q --mode async --jobs 10 --manifest "$TMP/m.jsonl" ;;
    randompix-threads) measure "$log" "$rp" --list "$TMP/l.txt" --out "$d" -q --mode threads --threads 10 ;;
    randompix-serial) measure "$log" "$rp" --list "$TMP/l.txt" --out "$d" -q --mode serial ;;
    curl-parallel)
      awk -v d="$d" '{printf "url = \"%s\"\noutput = \"%s/%05d.png\"\n", $0, d, NR}' "$TMP/l.txt" >"$TMP/curl.cfg"
      measure "$log" curl -s --no-progress-meter --create-dirs --parallel --parallel-max 10 -K "$TMP/curl.cfg" ;;
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
  [ "$got" = "$n" ] || echo "warning: $c $tool saved $got of $n files ($(tail -n 1 "$log"))" >&2
  rm -rf "$d"
}

# n_of CASE TOOL: downloads of TOOL in CASE.
n_of() {
  local n=$ndl
  [ "$1" = lat ] && case $2 in *serial) n=$lat_serial ;; esac
  echo "$n"
}

# table: one row per method, destination, case and tool (files
# res.METHOD.DEST.CASE.TOOL), then the ratios randompix-async : curl-parallel.
table() {
  python3 - "$TMP" "$lat_serial" "$ndl" <<'PY'
import glob, os, statistics, sys
tmp, lat_serial, ndl = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rows = {}
for path in sorted(glob.glob(os.path.join(tmp, "res.*"))):
    if path.endswith(".files"):
        continue
    method, dest, case, tool = os.path.basename(path).split(".", 4)[1:5]
    runs = [l.split() for l in open(path)]
    files = [l.split() for l in open(path + ".files")]
    n = lat_serial if case == "lat" and tool.endswith("serial") else ndl
    wall = statistics.median(float(r[0]) for r in runs)
    cpu = statistics.median(float(r[1]) for r in runs)
    nbytes = statistics.median(int(f[1]) for f in files)
    bad = sum(1 for r, f in zip(runs, files) if r[2] != "0" or int(f[0]) != n)
    rows[(method, dest, case, tool)] = (n, len(runs), wall, min(float(r[0]) for r in runs), cpu, nbytes, bad)
order = {"1k": 0, "50k": 1, "100k": 2, "1m": 3, "lat": 4}
keys = sorted(rows, key=lambda k: (k[0], k[1], order.get(k[2], 9), k[3]))
print("| method | dest | case | tool | n | runs | wall s (median) | best wall s | images/s | MB/s | CPU ms/image |")
print("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
for k in keys:
    n, runs, wall, best, cpu, nbytes, bad = rows[k]
    print("| %s | %s | %s | %s | %d | %d | %.3f | %.3f | %.0f | %.1f | %.3f |%s" % (
        k[0], k[1], k[2], k[3], n, runs, wall, best, n / wall, nbytes / 1e6 / wall, cpu * 1000 / n,
        " (%d runs incomplete)" % bad if bad else ""))
print()
print("Ratios, randompix-async : curl-parallel (medians of the same run): throughput = curl's wall / randompix's wall; CPU = randompix's CPU per file / curl's.")
print()
print("| method | dest | case | throughput | CPU per file |")
print("|---|---|---|---:|---:|")
seen = set()
for k in keys:
    m, d, c, _ = k
    if (m, d, c) in seen:
        continue
    seen.add((m, d, c))
    a, b = rows.get((m, d, c, "randompix-async")), rows.get((m, d, c, "curl-parallel"))
    if a and b:
        print("| %s | %s | %s | %.2fx | %.2fx |" % (m, d, c, b[2] / a[2], a[4] / b[4]))
    o = rows.get((m, d, c, "alt-async"))
    if o and b:
        print("| %s | %s | %s (alt-async) | %.2fx | %.2fx |" % (m, d, c, b[2] / o[2], o[4] / b[4]))
costs = []
for (m, d, c) in sorted(seen, key=lambda k: (k[0], k[1], order.get(k[2], 9))):
    for plain, man in (("randompix-async", "randompix-manifest"), ("alt-async", "alt-manifest")):
        a, b = rows.get((m, d, c, plain)), rows.get((m, d, c, man))
        if a and b:
            costs.append("| %s | %s | %s | %s | %+.0f %% | %+.0f %% |" % (
                m, d, c, man, 100 * (b[2] / a[2] - 1), 100 * (b[4] / a[4] - 1)))
if costs:
    print()
    print("Cost of --manifest (SHA-256 of every file): its median wall and CPU per file against the same binary without it, same run.")
    print()
    print("| method | dest | case | tool | wall | CPU per file |")
    print("|---|---|---|---|---:|---:|")
    print("\n".join(costs))
PY
}

for c in $cases; do
  make_list "$c" >"$TMP/list.$c"
  for dest in $dests; do
    if [ "$dest" = disk ]; then dl_root=$disk_root; else dl_root=$shm_root; fi
    for method in $methods; do
      if [ "$method" = pairs ]; then
        # No warm-up; each run a fresh process making its own folder; three
        # pairs randompix first, then three with curl first.
        for order in "randompix-async curl-parallel" "curl-parallel randompix-async"; do
          for r in 1 2 3; do
            echo "case $c, $dest, pairs ($order), pair $r of 3" >&2
            for tool in $order; do
              run_tool "$c" "$tool" "$TMP/list.$c" "$ndl" "pairs-${order%% *}-first.$dest.$c.$tool" 1
            done
          done
        done
        continue
      fi
      # Warm the page cache and nginx once per case (not timed).
      "$rp" --list "$TMP/list.$c" --out "$dl_root/warm" -q --jobs 10 >/dev/null 2>&1
      rm -rf "$dl_root/warm"
      case_reps=$reps
      [ "$c" = lat ] && [ "$reps" -gt 3 ] && case_reps=3
      for r in $(seq "$case_reps"); do
        echo "case $c, $dest, round $r of $case_reps" >&2
        for tool in $tools; do
          run_tool "$c" "$tool" "$TMP/list.$c" "$(n_of "$c" "$tool")" "rounds.$dest.$c.$tool"
        done
      done
    done
  done
done

{
  echo "randompix benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) at the end"
  echo "nginx $(nginx -v 2>&1 | sed 's/.*\///'), $(curl --version | head -1 | cut -d' ' -f1-2), aria2 $(aria2c --version | head -1 | awk '{print $3}')"
  echo "command: $0 $args"
  echo
  table
} | tee ${out_file:+"$out_file"}
