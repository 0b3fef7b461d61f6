#!/usr/bin/env bash
# randompix against a real nginx on 127.0.0.1 (random_index answers a folder
# request with a random file): every mode saves exactly COUNT files, each
# byte-identical to a served one, under fresh 8-hex names; lists, types,
# exclusive names, 4xx not retried, JSON, progress bar only on a terminal.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/randompix_servers.sh
. "$(dirname "$0")/randompix_servers.sh"
need_curl
rp=$CONCUR_BIN/randompix
www=$TMP/www
python3 "$CONCUR_TESTS/randompix_images.py" "$www/random" 40 20000 || fail "cannot make images"
mkdir -p "$www/types"
for t in jpg gif webp png; do cp "$www/random/img00001.png" "$www/types/a.$t"; done
echo '<html>hello</html>' >"$www/page.html"
# TLS on a second port of the same server, with a self-signed certificate.
tls=0
if command -v openssl >/dev/null &&
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$TMP/key.pem" -out "$TMP/cert.pem" 2>/dev/null; then
  TLS_PORT=$(free_port)
  NGINX_SERVER_EXTRA="listen 127.0.0.1:$TLS_PORT ssl; ssl_certificate $TMP/cert.pem; ssl_certificate_key $TMP/key.pem;"
  tls=1
fi
start_nginx "$www"
base=http://127.0.0.1:$NGINX_PORT
sha256sum "$www"/random/* "$www"/types/* | awk '{print $1}' | sort -u >"$TMP/served"

# check_out DIR COUNT REGEX: DIR holds exactly COUNT files named REGEX, no
# .part, each byte-identical to a served file, and stdout listed them all.
check_out() {
  local dir=$1 count=$2 re=$3 n
  n=$(find "$dir" -type f | wc -l)
  [ "$n" = "$count" ] || fail "$dir: $n files, expected $count"
  find "$dir" -name '*.part' | grep -q . && fail "$dir: .part file left"
  find "$dir" -type f -printf '%f\n' | grep -vE "^$re\$" && fail "$dir: badly named file above"
  sha256sum "$dir"/* | awk '{print $1}' | sort -u | comm -23 - "$TMP/served" | grep -q . &&
    fail "$dir: a saved file differs from every served file"
  [ "$(sort "$TMP/last.out")" = "$(find "$dir" -type f | sort)" ] ||
    fail "stdout does not list the saved files: $(head -3 "$TMP/last.out")"
  ok
}

for mode in serial threads async; do
  expect_status 0 "$rp" -n 40 --url "$base/random/" --mode "$mode" --out "$TMP/$mode"
  expect_stderr 'ok 40, failed 0, retried 0'
  check_out "$TMP/$mode" 40 '[0-9a-f]{8}\.png'
  grep -q $'\r' "$TMP/last.err" && fail "progress bar drawn on a file"
  ok
done
# Connections are reused: a run opens at most one per transfer slot.
conns() { awk '{print $1}' "$NGINX_LOG" | sort -u | wc -l; }
for spec in "serial 1" "threads 3" "async 4"; do
  set -- $spec
  : >"$NGINX_LOG"
  expect_status 0 "$rp" -n 40 --url "$base/random/" --mode "$1" --jobs "$2" --out "$TMP/conn-$1"
  [ "$(wc -l <"$NGINX_LOG")" = 40 ] || fail "$1: $(wc -l <"$NGINX_LOG") requests for 40 images"
  [ "$(conns)" -le "$2" ] || fail "$1 with $2 slots opened $(conns) connections for 40 images"
  ok
done
# The 40 draws of a random folder are not all the same file.
[ "$(sha256sum "$TMP"/async/* | awk '{print $1}' | sort -u | wc -l)" -gt 5 ] ||
  fail "random_index served one file only?"; ok
expect_status 0 "$rp" -n 17 --url "$base/random/" --mode threads --threads 3 --jobs 1 --out "$TMP/t3"
check_out "$TMP/t3" 17 '[0-9a-f]{8}\.png'
expect_status 0 "$rp" -n 7 --url "$base/random/" --jobs 50 --out "$TMP/j50"
check_out "$TMP/j50" 7 '[0-9a-f]{8}\.png'

# A list with comments, blank lines and spaces; one missing file (404) is
# reported with its line and not retried.
{
  echo "# images to fetch"
  for i in 1 2 3 4 5; do echo "  $base/random/img0000$i.png  "; echo; done
  echo "$base/random/missing.png"
  echo "#$base/random/img00006.png"
  for i in 7 8 9; do printf '%s\r\n' "$base/random/img0000$i.png"; done
} >"$TMP/list.txt"
: >"$NGINX_LOG"
for mode in serial threads async; do
  expect_status 1 "$rp" --list "$TMP/list.txt" --mode "$mode" --out "$TMP/list-$mode" \
    --retries 3 --retry-delay 0.01
  expect_stderr 'list.txt:12: http://[^ ]*/random/missing.png: HTTP 404$'
  expect_stderr 'ok 8, failed 1, retried 0'
  check_out "$TMP/list-$mode" 8 '[0-9a-f]{8}\.png'
done
[ "$(grep -c 'missing.png' "$NGINX_LOG")" = 3 ] || fail "404 retried: $(grep -c missing.png "$NGINX_LOG") requests for 3 runs"; ok
grep -q 'img00006' "$NGINX_LOG" && fail "commented-out URL fetched"; ok

# Extension from the Content-Type; non-images refused unless --any-type.
printf '%s\n' "$base/types/a.jpg" "$base/types/a.gif" "$base/types/a.webp" "$base/types/a.png" >"$TMP/types.txt"
expect_status 0 "$rp" --list "$TMP/types.txt" --out "$TMP/types"
check_out "$TMP/types" 4 '[0-9a-f]{8}\.(jpg|gif|webp|png)'
for e in jpg gif webp png; do ls "$TMP/types/"*."$e" >/dev/null 2>&1 || fail "no .$e file"; done; ok
: >"$NGINX_LOG"
expect_status 1 "$rp" -n 1 --url "$base/page.html" --out "$TMP/html" --retries 3
expect_stderr 'not an image \(Content-Type: text/html\)'
[ "$(grep -c 'page.html' "$NGINX_LOG")" = 1 ] || fail "non-image retried"; ok
[ -z "$(ls -A "$TMP/html")" ] || fail "non-image left a file: $(ls "$TMP/html")"; ok
expect_status 0 "$rp" -n 1 --url "$base/page.html" --out "$TMP/html" --any-type
cmp -s "$TMP"/html/*.html "$www/page.html" || fail "--any-type did not save the page"; ok

# Names are exclusive: a second run with the same --seed draws the same
# names, finds them taken and picks others; nothing is overwritten.
expect_status 0 "$rp" -n 20 --url "$base/random/" --seed 7 --out "$TMP/seed"
(cd "$TMP/seed" && sha256sum ./* >"$TMP/seed1.sum")
cp "$TMP/last.out" "$TMP/seed1.out"
expect_status 0 "$rp" -n 20 --url "$base/random/" --seed 7 --out "$TMP/seed" --mode threads
[ "$(find "$TMP/seed" -type f | wc -l)" = 40 ] || fail "same seed: $(find "$TMP/seed" -type f | wc -l) files, expected 40"; ok
(cd "$TMP/seed" && sha256sum -c --quiet "$TMP/seed1.sum") || fail "a file of the first run was overwritten"; ok
comm -12 <(sort "$TMP/seed1.out") <(sort "$TMP/last.out") | grep -q . && fail "a name was reported twice"; ok

# TLS is verified: a self-signed server is refused (and not retried), and
# accepted once its certificate is trusted with --cacert.
if [ "$tls" = 1 ] && wait_port "$TLS_PORT"; then
  expect_status 1 "$rp" -n 1 --url "https://127.0.0.1:$TLS_PORT/random/" --out "$TMP/tls" --retries 3
  expect_stderr 'certificate'
  expect_stderr 'ok 0, failed 1, retried 0'
  [ -z "$(ls -A "$TMP/tls")" ] || fail "unverified TLS download saved a file"; ok
  expect_status 0 "$rp" -n 3 --url "https://127.0.0.1:$TLS_PORT/random/" --out "$TMP/tls" --cacert "$TMP/cert.pem"
  check_out "$TMP/tls" 3 '[0-9a-f]{8}\.png'
fi

# --json never takes the place of the results: the 5 saved paths stay on
# stdout, the JSON object with the counts is the last line of stderr.
expect_status 0 "$rp" -n 5 --url "$base/random/" --json --out "$TMP/json"
[ "$(wc -l <"$TMP/last.out")" = 5 ] || fail "--json: stdout is not the 5 saved paths: $(cat "$TMP/last.out")"
while read -r f; do [ -f "$f" ] || fail "--json: '$f' on stdout is not a saved file"; done <"$TMP/last.out"; ok
tail -n 1 "$TMP/last.err" >"$TMP/json.line"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["program"]=="randompix" and d["ok"]==5 and d["failed"]==0 and d["verified"] is True and d["variant"]=="async", d' "$TMP/json.line" || fail "bad JSON at the end of stderr"; ok

# A progress bar on a terminal (a pseudo-terminal made by script), none with --quiet.
if command -v script >/dev/null; then
  script -qec "$rp -n 30 --url $base/random/ --out $TMP/tty" /dev/null >"$TMP/tty.log" 2>&1 || fail "run under a pty failed"
  grep -q $'\r\\[' "$TMP/tty.log" || fail "no progress bar on a terminal"; ok
  script -qec "$rp -n 30 --url $base/random/ --out $TMP/tty -q" /dev/null >"$TMP/tty.log" 2>&1 || fail "run under a pty failed"
  grep -q $'\r\\[' "$TMP/tty.log" && fail "progress bar despite --quiet"; ok
fi
pass
