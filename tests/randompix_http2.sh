#!/usr/bin/env bash
# randompix over HTTPS with HTTP/2 against nginx (ssl http2) and a
# self-signed certificate made here: every transfer is HTTP/2 (nginx's log),
# the async engine multiplexes them over fewer connections than --jobs,
# files are byte-identical with their SHA-256 in the manifest; clear-text
# http stays HTTP/1.1 (no h2c), and an unknown certificate is still refused.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/randompix_servers.sh
. "$(dirname "$0")/randompix_servers.sh"
rpx_test_setup
command -v openssl >/dev/null || skip "openssl is not installed (Debian: openssl)"
python3 "$CONCUR_TESTS/randompix_images.py" "$www/f" 60 20000 13 || fail "cannot make images"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
  -keyout "$TMP/key.pem" -out "$TMP/cert.pem" 2>"$TMP/openssl.err" || fail "openssl: $(cat "$TMP/openssl.err")"
TLS_PORT=$(free_port)
NGINX_SERVER_EXTRA="listen 127.0.0.1:$TLS_PORT ssl http2; ssl_certificate $TMP/cert.pem; ssl_certificate_key $TMP/key.pem;"
start_nginx "$www"
wait_port "$TLS_PORT" || fail "nginx does not listen on its TLS port"
s=https://127.0.0.1:$TLS_PORT
for i in $(seq 0 59); do printf '%s/f/img%05d.png\n' "$s" "$i"; done >"$TMP/list.txt"

for mode in async threads; do
  : >"$NGINX_LOG"
  expect_status 0 "$rp" --list "$TMP/list.txt" --mode "$mode" --jobs 10 --cacert "$TMP/cert.pem" --out "$TMP/$mode" --manifest "$TMP/$mode.jsonl" -q
  python3 "$CONCUR_TESTS/randompix_manifest_check.py" "$TMP/$mode.jsonl" 60 saved=60 || fail "$mode: manifest"; ok
  for i in $(seq 0 59); do
    f=$(printf 'img%05d.png' "$i")
    p=$(grep "/f/$f\"" "$TMP/$mode.jsonl" | sed 's/.*"path":"\([^"]*\)".*/\1/')
    cmp -s "$p" "$www/f/$f" || fail "$mode: $p is not $f"
  done; ok
  [ "$(grep -c 'HTTP/2.0"' "$NGINX_LOG")" = 60 ] || fail "$mode: not all HTTP/2: $(head -n 3 "$NGINX_LOG")"; ok
  conns=$(awk '{print $1}' "$NGINX_LOG" | sort -u | wc -l)
  echo "$mode: 60 HTTP/2 transfers over $conns connection(s)"
  if [ "$mode" = async ]; then
    [ "$conns" -le 2 ] || fail "async: $conns connections for 10 in flight: not multiplexed"; ok
  fi
done
# Clear text stays HTTP/1.1; a certificate not trusted is refused.
: >"$NGINX_LOG"
expect_status 0 "$rp" -n 3 --url "http://127.0.0.1:$NGINX_PORT/f/img00001.png" --out "$TMP/clear" -q
[ "$(grep -c 'HTTP/1.1"' "$NGINX_LOG")" = 3 ] || fail "clear text: $(cat "$NGINX_LOG")"; ok
expect_status 1 "$rp" -n 1 --url "$s/f/img00001.png" --out "$TMP/untrusted" -q
[ -z "$(ls -A "$TMP/untrusted")" ] || fail "an unverified download saved a file"; ok
pass
