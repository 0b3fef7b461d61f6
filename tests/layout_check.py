#!/usr/bin/env python3
"""The rooms of the source tree stay apart (tests/layout.cmake runs this).

- The toolkit (the files at the root of common/) includes only toolkit
  headers: it knows no program.
- A core (common/msort/, common/sudoku/, common/randompix/) includes its own
  headers and the toolkit's, never another core's.
- A program (omp/, mpi/, jobs/bench/) includes the toolkit, its own core and
  its own folder's headers; a program's CMake target links the toolkit
  (concur_toolkit, concur_mpi) and its own core, nothing else.
- No source file is over 400 lines, except a kernel whose opening comment
  says it is one algorithm ("one algorithm" in its first 40 lines).

Prints one line per breach and exits 1 if there is any."""
import os
import re
import sys

SRC = os.environ.get("CONCUR_SRC") or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COMMON = os.path.join(SRC, "common")
CORES = sorted(d for d in os.listdir(COMMON) if os.path.isdir(os.path.join(COMMON, d)))
TOOLKIT = {f for f in os.listdir(COMMON) if f.endswith(".h")}
CORE_HEADERS = {c: {f for f in os.listdir(os.path.join(COMMON, c)) if f.endswith(".h")} for c in CORES}
MAX_LINES = 400
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
breaches = []


def rel(path):
    return os.path.relpath(path, SRC)


def sources(folder):
    for root, _dirs, files in os.walk(folder):
        for f in sorted(files):
            if f.endswith((".c", ".h", ".cc")):
                yield os.path.join(root, f)


def core_of_program(name):
    """The core a program file belongs to, from its name (None: toolkit only)."""
    for c in CORES:
        if name.startswith(c) or (c == "randompix" and name.startswith("rpx")):
            return c
    return None


def check_includes(path, allowed, what):
    text = open(path, encoding="utf-8", errors="replace").read()
    local = {f for f in os.listdir(os.path.dirname(path)) if f.endswith(".h")}
    for inc in INCLUDE.findall(text):
        if inc in allowed or inc in local:
            continue
        owner = [c for c in CORES if inc in CORE_HEADERS[c]]
        where = f"the core of {owner[0]}" if owner else "no known room"
        breaches.append(f"{rel(path)}: includes \"{inc}\" from {where} ({what})")


# the toolkit knows no core
for f in sorted(os.listdir(COMMON)):
    p = os.path.join(COMMON, f)
    if os.path.isfile(p) and f.endswith((".c", ".h")):
        check_includes(p, TOOLKIT, "the toolkit includes only toolkit headers")

# a core knows the toolkit and itself
for c in CORES:
    for p in sources(os.path.join(COMMON, c)):
        check_includes(p, TOOLKIT | CORE_HEADERS[c], f"the {c} core includes only its own and toolkit headers")

# a program knows the toolkit and its own core
for folder in ("omp", "mpi", os.path.join("jobs", "bench")):
    for p in sources(os.path.join(SRC, folder)):
        c = core_of_program(os.path.basename(p))
        allowed = TOOLKIT | (CORE_HEADERS[c] if c else set())
        check_includes(p, allowed, f"a program includes the toolkit and its own core ({c or 'none'})")

# a program's target links the toolkit and its own core
LINK = re.compile(r"target_link_libraries\(\s*([\w-]+)\s+(?:PRIVATE|PUBLIC)\s+([^)]*)\)")
for folder in ("omp", "mpi", os.path.join("jobs", "bench")):
    for root, _dirs, files in os.walk(os.path.join(SRC, folder)):
        for f in files:
            if not (f.endswith(".cmake") or f == "CMakeLists.txt"):
                continue
            p = os.path.join(root, f)
            for target, libs in LINK.findall(open(p).read()):
                c = core_of_program(target)
                for lib in libs.split():
                    if lib.startswith("concur_") and lib not in ("concur_toolkit", "concur_mpi", f"concur_{c}"):
                        breaches.append(f"{rel(p)}: {target} links {lib}, another program's core")

# small files, one job each
for folder in ("common", "omp", "mpi", "tests", "jobs"):
    for p in sources(os.path.join(SRC, folder)):
        with open(p, encoding="utf-8", errors="replace") as fh:
            lines = fh.readlines()
        if len(lines) > MAX_LINES and "one algorithm" not in "".join(lines[:40]):
            breaches.append(f"{rel(p)}: {len(lines)} lines (over {MAX_LINES}, and not marked as one algorithm)")

for b in breaches:
    print(b)
if breaches:
    print(f"FAIL: layout_check: {len(breaches)} breach(es)")
    sys.exit(1)
print(f"PASS: layout_check: toolkit + {len(CORES)} cores ({', '.join(CORES)}) apart; files within {MAX_LINES} lines")
