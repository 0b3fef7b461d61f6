#!/usr/bin/env bash
# randompix on a full disk: a write that fails (ENOSPC) fails its item with
# one clear reason, never saves a cut-short file, and the accounting holds,
# in every mode, with and without --manifest. In async mode the bodies are
# written (and hashed) by a writer thread (rpx_writer.c): its errors must
# reach the verdict, which this test would catch if they did not (files
# would be "saved" truncated). The full disk is a 1 MiB tmpfs mounted by the
# test (needs root; skipped otherwise).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/randompix_servers.sh
. "$(dirname "$0")/randompix_servers.sh"
rpx_test_setup
python3 "$CONCUR_TESTS/randompix_images.py" "$www/img" 12 300000 || fail "cannot make images"
start_nginx "$www"
base=http://127.0.0.1:$NGINX_PORT
for i in $(seq 0 11); do printf '%s/img/img%05d.png\n' "$base" "$i"; done >"$TMP/list.txt"
small=$TMP/small
mkdir -p "$small"
mount -t tmpfs -o size=1m tmpfs "$small" 2>/dev/null || skip "cannot mount a tmpfs (not root?)"
at_exit "umount '$small'"

for mode in serial threads async; do
  for manifest in no yes; do
    rm -rf "${small:?}"/*
    extra=()
    [ "$manifest" = yes ] && extra=(--manifest "$TMP/$mode.jsonl")
    expect_status 1 "$rp" --list "$TMP/list.txt" --mode "$mode" --jobs 4 --out "$small/d" --json "${extra[@]}"
    expect_stderr "No space left on device"
    # one reason per failure, none of them a flood or a crash
    n_fail=$(grep -c "No space left on device" "$TMP/last.err")
    saved=$(find "$small/d" -type f | wc -l)
    [ "$saved" -ge 1 ] && [ "$saved" -le 3 ] || fail "$mode/$manifest: $saved files saved on a 1 MiB disk"; ok
    grep -q "\"ok\":$saved," "$TMP/last.err" || fail "$mode/$manifest: JSON does not say $saved saved: $(grep '^{' "$TMP/last.err")"; ok
    grep -q "\"failed\":$((12 - saved))," "$TMP/last.err" || fail "$mode/$manifest: JSON failed count: $(grep '^{' "$TMP/last.err")"; ok
    [ "$n_fail" -ge 1 ] || fail "$mode/$manifest: no failure line"; ok
    # every file kept is whole: byte-identical to one served (a cut one is not)
    for f in "$small"/d/*; do
      [ -f "$f" ] || continue
      sum=$(sha256sum <"$f" | cut -d' ' -f1)
      sha256sum "$www"/img/* | grep -q "^$sum " || fail "$mode/$manifest: $f matches no served file"
      if [ "$manifest" = yes ]; then
        grep -q "\"sha256\":\"$sum\"" "$TMP/$mode.jsonl" || fail "$mode/$manifest: manifest lacks $sum"
      fi
    done
    ok
    # the paths on stdout are exactly the files kept
    [ "$(wc -l <"$TMP/last.out")" = "$saved" ] || fail "$mode/$manifest: stdout lists $(wc -l <"$TMP/last.out") files, $saved kept"; ok
  done
done
pass
