#!/usr/bin/env bash
# jobs.lint: every shell script under jobs/ (and the jobs tests) parses with
# `bash -n` and is clean under shellcheck; the Python helper compiles.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

cd "$CONCUR_SRC" || fail "no source folder $CONCUR_SRC"
scripts=()
while IFS= read -r -d '' f; do
  case $f in
    *.sh | *.sbatch) scripts+=("$f") ;;
    *) head -n1 "$f" | grep -qE '^#!.*\b(ba)?sh\b' && scripts+=("$f") ;;
  esac
done < <(find jobs -type f -print0 | sort -z)
scripts+=(tests/jobs_lint.sh tests/jobs_sweep.sh tests/jobs_slurm.sh tests/multihost*.sh)
[ ${#scripts[@]} -ge 8 ] || fail "found only ${#scripts[@]} scripts under jobs/: ${scripts[*]}"

for f in "${scripts[@]}"; do
  bash -n "$f" 2>"$TMP/err" || fail "bash -n $f: $(cat "$TMP/err")"
  ok
done
# Every batch script must keep the site-neutral rules of issue 7.
for f in jobs/slurm/*.sbatch; do
  grep -q '^set -euo pipefail' "$f" || fail "$f: no 'set -euo pipefail'"
  if grep -qE '^#SBATCH[[:space:]]+(-p|--partition|-A|--account)' "$f"; then
    fail "$f: hard-codes a partition or an account"
  fi
  grep -q 'OMP_NUM_THREADS' "$f" || fail "$f: does not set OMP_NUM_THREADS"
  # Each #SBATCH line has a comment line just above it (a chain of them counts).
  awk -v f="$f" '/^#SBATCH/ && prev !~ /^#/ { print f ": line " NR ": #SBATCH without a comment"; bad = 1 }
                 { prev = $0 } END { exit bad }' "$f" || fail "$f: an #SBATCH line is not explained"
  ok
done
python3 -m py_compile jobs/json2csv.py 2>"$TMP/err" || fail "jobs/json2csv.py: $(cat "$TMP/err")"
rm -rf jobs/__pycache__
ok

command -v shellcheck >/dev/null || skip "shellcheck is not installed (Debian: shellcheck; listed in jobs/deps/jobs.txt); bash -n passed for ${#scripts[@]} scripts"
# The scripts of this component (and the set-up script) must be clean at every
# severity; the other components' scripts under jobs/ (benchmarks) must have
# no shellcheck errors, and their warnings are shown here for their owners.
strict=() lenient=()
for f in "${scripts[@]}"; do
  case $f in
    jobs/slurm/* | jobs/sweep.sh | jobs/plot.sh | jobs/setup.sh | tests/jobs_* | tests/multihost*) strict+=("$f") ;;
    *) lenient+=("$f") ;;
  esac
done
shellcheck --external-sources "${strict[@]}" >"$TMP/sc" 2>&1 ||
  fail "shellcheck: $(head -c 3000 "$TMP/sc")"
ok
note=""
if [ ${#lenient[@]} -gt 0 ]; then
  shellcheck --external-sources --severity=error "${lenient[@]}" >"$TMP/sc" 2>&1 ||
    fail "shellcheck errors: $(head -c 3000 "$TMP/sc")"
  ok
  if ! shellcheck --external-sources "${lenient[@]}" >"$TMP/sc" 2>&1; then
    echo "NOTE: shellcheck warnings in other components' scripts (not errors):"
    grep -E '^In |SC[0-9]{4}' "$TMP/sc" | sed 's/^/  /'
    note=" (warnings noted in: $(grep -oE '^In [^ ]+' "$TMP/sc" | sort -u | cut -c4- | tr '\n' ' '))"
  fi
fi
pass "${#scripts[@]} scripts: bash -n clean; shellcheck clean on ${#strict[@]}, no errors in ${#lenient[@]}$note"
