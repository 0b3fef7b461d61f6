#!/usr/bin/env bash
# The Debian package: `cpack -G DEB` builds it; installed with apt (so that its
# declared dependencies are what pulls in Open MPI and libcurl) into a fresh
# Debian root made by debootstrap, beside Debian's own msort and sudoku
# packages (/usr/bin/msort, /usr/games/sudoku), whose files it leaves alone. There: randompix and
# hostres from /usr/bin, msort under mpirun and sudoku after the package's
# env.sh, and man finds the pages.
. "$(dirname "$0")/lib.sh"
build=$(cd "$CONCUR_BIN/.." && pwd)
[ "$(id -u)" = 0 ] || skip "needs root (chroot)"
command -v debootstrap >/dev/null || skip "debootstrap is not installed (jobs/deps/dist.txt)"
command -v cpack >/dev/null || fail "cpack not found"
if [ "$CONCUR_WITH_MPI" != 1 ] || [ "$CONCUR_WITH_CURL" != 1 ]; then
  skip "the package test wants the MPI and libcurl programs"
fi

cpack -G DEB --config "$build/CPackConfig.cmake" -B "$TMP/pkg" >"$TMP/cpack.log" 2>&1 ||
  fail "cpack: $(tail -5 "$TMP/cpack.log")"
deb=$(ls "$TMP"/pkg/concur_*.deb)
dpkg-deb -f "$deb" Depends | grep -q 'libopenmpi3' || fail "Depends lacks libopenmpi3: $(dpkg-deb -f "$deb" Depends)"
dpkg-deb -f "$deb" Depends | grep -q 'libcurl4' || fail "Depends lacks libcurl4"
dpkg-deb -c "$deb" | grep -qE ' \./usr/bin/(msort|sudoku)( |$)' && fail "the package would own /usr/bin/msort or /usr/bin/sudoku"
ok

# A fresh root: a minimal Debian made once per machine and kept as a tarball
# (so a re-run costs seconds), unpacked anew for every run.
cache=/var/cache/concur-tests
base=$cache/bookworm-minbase.tar
mirror=$(sed -n 's/^URIs: *//p; s/^deb \(http[^ ]*\) bookworm main.*/\1/p' /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list 2>/dev/null | awk 'NR == 1')
mirror=${mirror:-http://deb.debian.org/debian}
if [ ! -s "$base" ]; then
  mkdir -p "$cache"
  if ! debootstrap --variant=minbase bookworm "$TMP/base" "$mirror" >"$TMP/debootstrap.log" 2>&1; then
    skip "debootstrap could not make a Debian root from $mirror: $(tail -2 "$TMP/debootstrap.log")"
  fi
  tar -C "$TMP/base" -cf "$base.tmp" . && mv "$base.tmp" "$base"
  rm -rf "$TMP/base"
fi
root=$TMP/root
mkdir -p "$root"
tar -C "$root" -xf "$base"
mount -t proc proc "$root/proc"
at_exit "umount -l '$root/proc'"
mount -t sysfs sysfs "$root/sys"
at_exit "umount -l '$root/sys'"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
cp "$deb" "$root/tmp/"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
  OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 sh -c "$1"; }

in_root "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  msort sudoku man-db /tmp/$(basename "$deb")" >"$TMP/apt.log" 2>&1 || fail "apt-get install in the fresh root: $(tail -5 "$TMP/apt.log")"
ok
[ "$(in_root 'dpkg -S /usr/bin/msort /usr/games/sudoku' | cut -d: -f1 | tr '\n' ' ')" = "msort sudoku " ] ||
  fail "/usr/bin/msort and /usr/games/sudoku no longer belong to Debian's packages"
ok
in_root 'randompix --help' | grep -q '^Usage: randompix' || fail "randompix --help from /usr/bin"
in_root 'hostres --help' | grep -q '^Usage: hostres' || fail "hostres --help from /usr/bin"
ok
out=$(in_root '. /usr/lib/concur/share/concur/env.sh && command -v msort && mpirun --map-by :OVERSUBSCRIBE -np 2 msort -n 100k' 2>&1) ||
  fail "mpirun msort in the fresh root: $out"
echo "$out" | grep -q '^/usr/lib/concur/bin/msort$' || fail "env.sh does not put concur's msort first: $out"
echo "$out" | grep -q 'verify=PASS' || fail "msort did not verify: $out"
ok
out=$(in_root '. /usr/lib/concur/share/concur/env.sh && sudoku -q' 2>&1) || fail "sudoku in the fresh root: $out"
echo "$out" | grep -q '95 solved' || fail "sudoku did not solve the bundled set: $out"
ok
# man finds randompix.1 through /usr/share/man (a link into the prefix) and,
# after env.sh, concur's msort.1 before Debian's msort.1.gz
in_root 'man -w randompix' | grep -q '/randompix\.1$' || fail "man -w randompix: $(in_root 'man -w randompix' 2>&1)"
[ "$(in_root '. /usr/lib/concur/share/concur/env.sh && man -w msort')" = /usr/lib/concur/share/man/man1/msort.1 ] ||
  fail "man -w msort after env.sh: $(in_root '. /usr/lib/concur/share/concur/env.sh && man -w msort' 2>&1)"
ok
pass "$(basename "$deb") installs beside Debian's msort and sudoku and runs"
