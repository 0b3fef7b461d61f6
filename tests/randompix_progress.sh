#!/usr/bin/env bash
# randompix's progress line, on a terminal only: under a pseudo-terminal
# (util-linux `script`) it shows the bytes of a transfer still running (a
# 3 MB image dripped over 2 s is seen part-way, not as 0), the rate, files
# done and failed and an ETA, in every mode; with stderr redirected to a
# file or a pipe, or with --quiet, none of it appears.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/randompix_servers.sh
. "$(dirname "$0")/randompix_servers.sh"
need_curl
command -v python3 >/dev/null || skip "python3 is not installed"
command -v script >/dev/null || skip "util-linux script is not installed"
rp=$CONCUR_BIN/randompix
python3 "$CONCUR_TESTS/randompix_images.py" "$TMP/img" 1 3000000 3 || fail "cannot make an image"
start_faults "$TMP/img/img00000.png"
base=http://127.0.0.1:$FAULT_PORT
printf '%s\n' "$base/status/404" "$base/ok?1" "$base/drip?secs=2" >"$TMP/list.txt"
printf '%s\n' "$base/status/404" "$base/ok?1" "$base/drip?secs=0.5" >"$TMP/short.txt"

# progress_lines FILE: the progress lines drawn in FILE, one a line.
progress_lines() { tr '\r' '\n' <"$1" | sed 's/\x1b\[K//g' | grep -aE '^\[[#.]{24}\] [0-9]+/[0-9]+ done' || true; }

for mode in async threads serial; do
  script -qec "$rp --list $TMP/list.txt --mode $mode --jobs 3 --out $TMP/$mode" /dev/null \
    >"$TMP/tty.log" 2>&1 && fail "$mode: a 404 in the list, yet exit 0"
  progress_lines "$TMP/tty.log" >"$TMP/lines"
  [ -s "$TMP/lines" ] || fail "$mode: no progress line on a terminal: $(head -c 400 "$TMP/tty.log")"; ok
  # while the dripped 3 MB body arrives, the other two done (one 3 MB image
  # saved, one 404): over 4 MB shown, so bytes in flight are counted
  awk '$2 == "2/3" && $7 == "MB" && $6 + 0 >= 4.0 {found = 1} END {exit !found}' "$TMP/lines" ||
    fail "$mode: the bytes of the running transfer are not shown: $(tail -n 3 "$TMP/lines")"; ok
  grep -qE 'MB/s  [0-9]+ images/s  ETA [0-9]+:[0-9]{2}' "$TMP/lines" || fail "$mode: no rate or ETA: $(tail -n 2 "$TMP/lines")"; ok
  grep -qE '1 failed' "$TMP/lines" || fail "$mode: the failure is not counted: $(tail -n 2 "$TMP/lines")"; ok
  # the saved names are whole lines, not mixed with the bar
  tr '\r' '\n' <"$TMP/tty.log" | sed 's/\x1b\[K//g' | grep -aqE "^$TMP/$mode/[0-9a-f]{8}\\.png" || fail "$mode: saved names broken by the bar"; ok
done

# Not a terminal: a file, a pipe; and --quiet on a terminal.
expect_status 1 "$rp" --list "$TMP/short.txt" --out "$TMP/file"
grep -qaE $'\r|done, [0-9]+ failed|ETA' "$TMP/last.err" && fail "progress in redirected stderr: $(head -c 300 "$TMP/last.err")"; ok
"$rp" --list "$TMP/short.txt" --out "$TMP/pipe" 2>&1 >/dev/null | cat >"$TMP/pipe.log"
grep -qaE $'\r|done, [0-9]+ failed|ETA' "$TMP/pipe.log" && fail "progress in a pipe"; ok
script -qec "$rp --list $TMP/short.txt --out $TMP/quiet -q" /dev/null >"$TMP/tty.log" 2>&1
[ -z "$(progress_lines "$TMP/tty.log")" ] || fail "progress despite --quiet"; ok
pass
