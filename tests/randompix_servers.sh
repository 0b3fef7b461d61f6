# shellcheck shell=bash
# Servers for the randompix tests and benchmark, on 127.0.0.1 only. Source
# after tests/lib.sh (needs $TMP and at_exit).
#   start_nginx ROOT     nginx serving ROOT (random_index on for every folder);
#                        sets NGINX_PORT, NGINX_LOG (access log: one line per request).
#                        Optional: NGINX_MAIN_EXTRA, NGINX_SERVER_EXTRA (config lines),
#                        NGINX_ACCESS_LOG=off (the benchmark).
#   start_faults IMAGE   tests/randompix_faults.py serving IMAGE; sets FAULT_PORT,
#                        FAULT_LOG ("TIME PATH" per request)
# Both are stopped at exit.

# rpx_test_setup: what every randompix test needs first: a build with libcurl
# and python3 (the servers and checks), rp (the program) and www (the folder
# the servers serve).
# shellcheck disable=SC2034  # rp and www are for the test that sources this
rpx_test_setup() {
  need_curl
  command -v python3 >/dev/null || skip "python3 is not installed"
  rp=$CONCUR_BIN/randompix
  www=$TMP/www
}

_rpx_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_port PORT: until something accepts connections there (5 s at most).
wait_port() {
  local i
  for i in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}

start_nginx() {
  local root=$1 nx=$TMP/nginx try pid
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || skip "nginx is not installed (apt-get install nginx-light)"
  local bin; bin=$(command -v nginx || echo /usr/sbin/nginx)
  mkdir -p "$nx/logs" "$nx/tmp"
  for try in 1 2 3 4 5; do
    NGINX_PORT=$(free_port)
    NGINX_LOG=$nx/logs/access.log
    # Each log line starts with nginx's connection number: tests count connections.
    local access="$NGINX_LOG rpx"
    [ "${NGINX_ACCESS_LOG:-}" = off ] && access=off
    # One process (master_process off) running as the caller, so it can read
    # the private $TMP; every path it writes is under $TMP.
    cat >"$nx/nginx.conf" <<CONF
${NGINX_MAIN_EXTRA:-}
daemon off;
master_process off;
worker_processes 1;
pid $nx/nginx.pid;
error_log $nx/logs/error.log warn;
events { worker_connections 1024; }
http {
  types { image/png png; image/jpeg jpg; image/gif gif; image/webp webp; text/html html; }
  default_type application/octet-stream;
  log_format rpx '\$connection \$remote_addr "\$request" \$status \$body_bytes_sent';
  access_log $access;
  client_body_temp_path $nx/tmp/body;
  proxy_temp_path $nx/tmp/proxy;
  fastcgi_temp_path $nx/tmp/fastcgi;
  uwsgi_temp_path $nx/tmp/uwsgi;
  scgi_temp_path $nx/tmp/scgi;
  sendfile on;
  keepalive_requests 1000000;
  keepalive_timeout 60s;
  server {
    listen 127.0.0.1:$NGINX_PORT backlog=1024;
    root $root;
    location / { random_index on; }
    ${NGINX_SERVER_EXTRA:-}
  }
}
CONF
    "$bin" -p "$nx" -c "$nx/nginx.conf" -e "$nx/logs/error.log" 2>"$nx/start.err" &
    pid=$!
    at_exit "kill $pid 2>/dev/null; wait $pid 2>/dev/null"
    if wait_port "$NGINX_PORT" && kill -0 "$pid" 2>/dev/null; then
      NGINX_PID=$pid
      return 0
    fi
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  fail "nginx did not start: $(cat "$nx/start.err" "$nx/logs/error.log" 2>/dev/null | tail -5)"
}

start_faults() {
  local image=$1 i
  FAULT_LOG=$TMP/faults.log
  : >"$FAULT_LOG"
  python3 "$_rpx_dir/randompix_faults.py" "$image" "$TMP/faults.port" "$FAULT_LOG" \
    2>"$TMP/faults.err" &
  FAULT_PID=$!
  at_exit "kill $FAULT_PID 2>/dev/null; wait $FAULT_PID 2>/dev/null"
  for i in $(seq 100); do
    [ -s "$TMP/faults.port" ] && break
    sleep 0.05
  done
  FAULT_PORT=$(cat "$TMP/faults.port" 2>/dev/null) || fail "fault server did not start: $(cat "$TMP/faults.err")"
  wait_port "$FAULT_PORT" || fail "fault server does not answer"
}

# hits PATTERN: how many requests the fault server saw whose path matches (grep -E).
hits() { awk '{print $2}' "$FAULT_LOG" | grep -cE -- "$1" || true; }

# in_flight DIR: some process has a file open in DIR: a transfer in flight,
# whose file is unnamed (O_TMPFILE, shown as DIR/#INODE) or DIR/NAME.part.
in_flight() {
  local d l
  d=$(realpath "$1") || return 1
  for l in /proc/[0-9]*/fd/*; do
    [[ $(readlink "$l" 2>/dev/null) == "$d"/* ]] && return 0
  done
  return 1
}

# interrupt_in_flight LABEL PID DIR SECONDS [STATUS]: wait until DIR holds 4
# saved images and a transfer is in flight, send SIGINT to PID, and fail
# unless it exits with STATUS (default 130 = 128 + SIGINT) within SECONDS.
interrupt_in_flight() {
  local label=$1 pid=$2 dir=$3 secs=$4 want=${5:-130} status=0
  for _ in $(seq 200); do
    [ "$(find "$dir" -name '*.png' 2>/dev/null | wc -l)" -ge 4 ] && in_flight "$dir" && break
    sleep 0.05
  done
  in_flight "$dir" || fail "$label: no transfer in flight to interrupt"
  kill -INT "$pid"
  for _ in $(seq $((secs * 10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && fail "$label: still running $secs s after SIGINT"
  wait "$pid" || status=$?
  # want "any": the launcher's status is not ours to check (MPICH's mpiexec)
  [ "$want" = any ] || [ "$status" = "$want" ] ||
    fail "$label: exit status $status after SIGINT, expected $want: $(cat "$TMP/int.err")"
}
