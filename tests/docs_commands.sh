#!/usr/bin/env bash
# docs.commands: every command shown in README.md and docs/*.md runs as written.
#
# The convention (README.md, "Tests"): every fenced block says what it is.
#   ```sh          commands: each is run, from a folder laid out like the concur
#                  folder (build/bin, tests/data, jobs/), and must exit 0, or N
#                  when its last line ends with a comment "# exit N ..."
#   ```console     the same for the lines that start with "$ "; the other lines
#                  are sample output and are not compared
#   ```sh cluster  needs a cluster (SLURM, several nodes, many cores): bash -n only
#   ```sh big      too long or too big for a test (set-up, -n 1Gi, benchmarks):
#                  bash -n only
#   ```text        not commands (synopsis, output, formats, layout): not run
# Any other fence fails. The blocks of one page run in order in one folder, each
# block in its own bash. mpirun is run as written; as root the test exports
# OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1, as the docs tell
# root to do. Port 8000 on 127.0.0.1 (the docs' local web server) becomes a free
# port. A block naming a program that is not built (no MPI, no libcurl) is
# skipped. Relative links in the pages must point at files (and headings) that exist.
# Usage: docs_commands.sh [PAGE.md...]   (default: README.md docs/*.md)
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

cd "$CONCUR_SRC" || fail "no source folder $CONCUR_SRC"
pages=("$@")
if [ ${#pages[@]} -eq 0 ]; then
  pages=(README.md)
  for f in docs/*.md; do [ -e "$f" ] && pages+=("$f"); done
  [ ${#pages[@]} -ge 2 ] || fail "no pages under docs/"
fi

# --- the environment the commands run in --------------------------------------
if [ "$(id -u)" = 0 ]; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi
# The mpirun of this build (CONCUR_MPIRUN's first word) comes first in PATH.
mpirun_exe=${CONCUR_MPIRUN%% *}
case $mpirun_exe in */*) PATH=$(dirname "$mpirun_exe"):$PATH ;; esac
# The docs are written for a machine of at least 2 cores; on fewer, an mpirun
# first in PATH adds --map-by :OVERSUBSCRIBE so that 2 ranks are placed anyway.
if [ "$(nproc)" -lt 2 ]; then
  real_mpirun=$(command -v "$mpirun_exe") || fail "no $mpirun_exe"
  mkdir -p "$TMP/mpirun-bin"
  printf '#!/bin/sh\nexec %s --map-by :OVERSUBSCRIBE "$@"\n' "$real_mpirun" >"$TMP/mpirun-bin/mpirun"
  chmod +x "$TMP/mpirun-bin/mpirun"
  PATH=$TMP/mpirun-bin:$PATH
fi
export PATH
# Leak checks are the other tests' business; MPI runs cannot have them.
[ "${CONCUR_SANITIZE:-0}" = 1 ] && export ASAN_OPTIONS=detect_leaks=0
unset OMP_NUM_THREADS
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])') ||
  fail "python3 cannot pick a free port"

# scratch_for PAGE: the folder a page's blocks run in, laid out like the concur folder.
scratch_for() {
  local d=$TMP/run/${1//\//_}
  if [ ! -d "$d" ]; then
    mkdir -p "$d/build" "$d/tests"
    ln -s "$CONCUR_BIN" "$d/build/bin"
    ln -s "$CONCUR_SRC/tests/data" "$d/tests/data"
    cp -r "$CONCUR_SRC/jobs" "$d/jobs"
    rm -rf "$d/jobs/results"
  fi
  echo "$d"
}

# missing_for TEXT: why a block cannot run in this build (empty: it can).
missing_for() {
  local text=$1 p
  while read -r p; do
    [ -x "$CONCUR_BIN/${p#build/bin/}" ] || { echo "${p#build/bin/} is not built"; return; }
  done < <(grep -oE 'build/bin/[A-Za-z0-9_-]+' <<<"$text" | sort -u)
  if grep -qE '(^|[^A-Za-z_-])mpirun([^A-Za-z_-]|$)|\.sbatch' <<<"$text" && [ "$CONCUR_WITH_MPI" != 1 ]; then
    echo "built without MPI"; return
  fi
  if grep -qE -- '--plot|jobs/plot\.sh' <<<"$text" && ! command -v gnuplot >/dev/null; then
    echo "gnuplot is not installed"
  fi
}

# --- 1. links --------------------------------------------------------------------
# Every relative link points at a file, and a #fragment at a heading of that page
# (GitHub's anchors: lower case, punctuation dropped, spaces to hyphens).
python3 - "${pages[@]}" >"$TMP/err" 2>&1 <<'PY' || fail "$(cat "$TMP/err")"
import os, re, sys
def anchors(path):
    out, fence = set(), False
    for line in open(path, encoding="utf-8"):
        if line.startswith("```"):
            fence = not fence
        elif not fence and line.startswith("#"):
            t = line.lstrip("#").strip().lower()
            out.add(re.sub(r"[^\w\- ]", "", t).replace(" ", "-"))
    return out
bad = []
for page in sys.argv[1:]:
    text = open(page, encoding="utf-8").read()
    text = re.sub(r"(?ms)^```.*?^```", "", text)
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, frag = target.partition("#")
        full = os.path.normpath(os.path.join(os.path.dirname(page), path)) if path else page
        if not os.path.exists(full):
            bad.append(f"{page}: link to '{target}': no such file")
        elif frag and full.endswith(".md") and frag not in anchors(full):
            bad.append(f"{page}: link to '{target}': no such heading")
if bad:
    sys.exit("\n".join(bad))
PY
ok

# --- 2. the blocks -----------------------------------------------------------------
# Split PAGE into blocks: $TMP/blocks/N.{kind,line,page,text}.
rm -rf "$TMP/blocks"
mkdir -p "$TMP/blocks"
nblocks=0
for page in "${pages[@]}"; do
  awk -v page="$page" -v out="$TMP/blocks" -v start="$nblocks" '
    function bad(msg) { print page ":" NR ": " msg > "/dev/stderr"; err = 1 }
    /^[ \t]+```/ { bad("indented fence: fences start at column 1"); next }
    /^```/ {
      if (!open) {
        info = substr($0, 4); gsub(/^[ \t]+|[ \t]+$/, "", info)
        if (info == "sh" || info == "console" || info == "sh cluster" || info == "sh big" || info == "text") {
          n++; kind = info; sub(/ /, "-", kind)
          f = out "/" (start + n)
          print kind > (f ".kind"); close(f ".kind")
          print NR > (f ".line"); close(f ".line")
          print page > (f ".page"); close(f ".page")
          printf "" > (f ".text")
        } else {
          bad("fence \"```" info "\": say sh, console, sh cluster, sh big or text"); kind = "bad"
        }
        open = 1; next
      }
      open = 0; if (kind != "bad") close(f ".text"); next
    }
    open && kind != "bad" { print > (f ".text") }
    END { if (open) bad("unclosed fence"); print start + n > (out "/count"); exit err }
  ' "$page" 2>"$TMP/err" || fail "$(cat "$TMP/err")"
  nblocks=$(cat "$TMP/blocks/count")
done
[ "$nblocks" -gt 0 ] || fail "no fenced blocks in ${pages[*]}"
ok

# commands_of KIND FILE: the commands of a block, one per record, as
# "LINEOFFSET<TAB>WANTED-STATUS" then the command text, records ending in a NUL.
# A command is complete when bash -n accepts it (so loops and \ continuations work).
commands_of() {
  local kind=$1 file=$2 acc="" first=0 i=0 line want
  local -a lines=()
  mapfile -t lines <"$file"
  for line in "${lines[@]}" ""; do
    i=$((i + 1))
    if [ "$kind" = console ]; then
      if [ -z "$acc" ]; then
        [[ $line == '$ '* ]] || continue
        line=${line#\$ }
      fi
    fi
    if [ -z "$acc" ]; then
      [[ $line =~ ^[[:space:]]*(#.*)?$ ]] && continue
      first=$i acc=$line
    else
      acc+=$'\n'$line
    fi
    if bash -n <<<"$acc" 2>/dev/null && [[ $acc != *\\ ]]; then
      want=0
      [[ ${acc##*$'\n'} =~ \#[[:space:]]*exit[[:space:]]+([0-9]+) ]] && want=${BASH_REMATCH[1]}
      printf '%s\t%s\n%s\0' "$first" "$want" "$acc"
      acc=""
    fi
  done
  [ -z "$acc" ] || printf '%s\t%s\n%s\0' "$first" "INCOMPLETE" "$acc"
}

# A block becomes one script: each command, then a check of its status that
# keeps $? for the next command.
q() { local s=${1//\'/\'\\\'\'}; printf "'%s'" "$s"; }
run=0 checked=0 skipped=0 skipped_why=""
start_all=$SECONDS
for b in $(seq 1 "$nblocks"); do
  f=$TMP/blocks/$b
  kind=$(cat "$f.kind") page=$(cat "$f.page") line0=$(cat "$f.line")
  case $kind in
    text) continue ;;
    sh-cluster | sh-big)
      bash -n "$f.text" 2>"$TMP/err" || fail "$page:$line0: \`\`\`${kind/-/ } block does not parse: $(cat "$TMP/err")"
      checked=$((checked + 1))
      ok
      continue ;;
  esac
  why=$(missing_for "$(cat "$f.text")")
  if [ -n "$why" ]; then
    skipped=$((skipped + 1)) skipped_why+=" $page:$line0 ($why);"
    continue
  fi
  dir=$(scratch_for "$page")
  script=$TMP/blocks/$b.sh
  {
    echo "cd $(q "$dir") || exit 99"
    # shellcheck disable=SC2016 # written into the script as it is
    echo '__expect() { if [ "$3" != "$2" ]; then echo "DOCS-FAIL $1: exited $3, expected $2" >&2; exit 1; fi; return "$3"; }'
  } >"$script"
  n=0
  while IFS= read -r -d '' rec; do
    head=${rec%%$'\n'*} cmd=${rec#*$'\n'}
    off=${head%%$'\t'*} want=${head#*$'\t'}
    where="$page:$((line0 + off))"
    [ "$want" != INCOMPLETE ] || fail "$where: the command does not parse: $cmd"
    cmd=${cmd//127.0.0.1:8000/127.0.0.1:$port}
    cmd=${cmd//http.server 8000/http.server $port}
    {
      printf 'printf "%%s\\n" %s\n' "$(q "+ $where: $cmd")"
      printf '%s\n' "$cmd"
      printf '__expect %s %s "$?"\n' "$(q "$where")" "$want"
    } >>"$script"
    n=$((n + 1))
  done < <(commands_of "$kind" "$f.text")
  echo 'exit 0' >>"$script"
  [ "$n" -gt 0 ] || fail "$page:$line0: a \`\`\`$kind block with no command"
  # Its own session, so that anything it leaves running (a server) is stopped.
  t0=$SECONDS
  setsid timeout 90 bash "$script" </dev/null >"$f.log" 2>&1 &
  pid=$!
  st=0
  wait "$pid" || st=$?
  kill -- -"$pid" 2>/dev/null || true
  if [ "$st" != 0 ]; then
    echo "--- $page:$line0: the block's log (last 40 lines):" >&2
    tail -n 40 "$f.log" >&2
    msg=$(grep -m1 '^DOCS-FAIL' "$f.log" || true)
    [ "$st" = 124 ] && msg="timed out after 90 s"
    fail "$page:$line0: ${msg:-the block exited $st}"
  fi
  echo "ok   $page:$line0: $n command(s), $((SECONDS - t0)) s"
  run=$((run + n))
  ok
done
[ "$run" -gt 0 ] || fail "no command was run"
[ -z "$skipped_why" ] || echo "skipped blocks:$skipped_why"
pass "$run commands run, $checked cluster/big blocks parsed, $skipped blocks skipped, in ${#pages[@]} pages ($((SECONDS - start_all)) s)"
