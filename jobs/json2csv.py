#!/usr/bin/env python3
"""json2csv.py: turn the --json records of concur programs into one CSV table.

    jobs/json2csv.py results.jsonl [more.jsonl ...] > results.csv
    some-program --json | jobs/json2csv.py > results.csv      (reads stdin)

Lines that do not start with '{' are skipped (program output mixed in), so a
job log can be fed as it is. Columns: the study coordinates that jobs/sweep.sh
and jobs/slurm/scaling.sbatch add (study, axis, p), the common members of the
record (docs/json.md: program, variant, ranks, threads, n, seconds,
min_seconds, stddev, repeat, rate, rate_unit, verified), then any other member,
in order of first appearance. An object's members become columns of their own
(options.algo, mpi.library, slowest.file); `times` is one cell of numbers
separated by spaces; other arrays (binding) are written as JSON text.
Exit status: 0; 1 when an input cannot be read, a line that starts with '{'
is not a JSON object (FILE:LINE: reason on stderr, the other lines are kept)
or there is no record at all; 2 on bad usage.
"""
import csv
import json
import os
import sys

FIRST = ["study", "axis", "p", "program", "variant", "ranks", "threads", "n",
         "seconds", "min_seconds", "stddev", "repeat", "rate", "rate_unit", "verified"]


def cell(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list) and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v):
        return " ".join(repr(x) for x in v)
    if isinstance(v, (dict, list)):
        return json.dumps(v, separators=(",", ":"), ensure_ascii=False)
    return v


def flat(obj, prefix=""):
    """The record's members, objects opened into dotted names."""
    out = {}
    for k, v in obj.items():
        if isinstance(v, dict) and v:
            out.update(flat(v, f"{prefix}{k}."))
        else:
            out[prefix + k] = v
    return out


def records(name, fp, complain):
    for lineno, raw in enumerate(fp, 1):
        try:
            line = raw.decode("utf-8").strip()
        except UnicodeDecodeError as e:
            if raw.lstrip().startswith(b"{"):
                complain(f"{name}:{lineno}: not UTF-8 at byte {e.start + 1} (concur's records always are)")
            continue
        if not line.startswith("{"):
            continue
        try:
            obj = json.loads(line)
        except ValueError as e:
            complain(f"{name}:{lineno}: not JSON: {e}")
            continue
        if not isinstance(obj, dict):
            complain(f"{name}:{lineno}: not a JSON object")
            continue
        yield flat(obj)


def main(argv):
    if len(argv) > 1 and argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    if any(a.startswith("-") and a != "-" for a in argv[1:]):
        print(f"json2csv: unknown option {next(a for a in argv[1:] if a.startswith('-') and a != '-')!r}"
              " (usage: json2csv.py [FILE.jsonl ...])", file=sys.stderr)
        return 2
    sys.stdout.reconfigure(encoding="utf-8", errors="replace")
    rows, bad = [], []

    def complain(msg):
        if len(bad) < 20:
            print(f"json2csv: {msg}", file=sys.stderr)
        bad.append(msg)

    sources = argv[1:] or ["-"]
    for src in sources:
        name = "<stdin>" if src == "-" else src
        try:
            fp = sys.stdin.buffer if src == "-" else open(src, "rb")
            with fp:
                rows += list(records(name, fp, complain))
        except OSError as e:
            complain(f"{name}: cannot read: {e.strerror or e}")
    if len(bad) > 20:
        print(f"json2csv: ... and {len(bad) - 20} more bad lines", file=sys.stderr)
    if not rows:
        complain(f"no --json records in {', '.join('<stdin>' if s == '-' else s for s in sources)}")
        return 1
    cols = [c for c in FIRST if any(c in r for r in rows)]
    seen = set(cols)
    for r in rows:
        for k in r:
            if k not in seen:
                cols.append(k)
                seen.add(k)
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(cols)
    for r in rows:
        w.writerow([cell(r.get(c)) for c in cols])
    sys.stdout.flush()
    return 1 if bad else 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except BrokenPipeError:  # `json2csv.py big.jsonl | head`: not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    except KeyboardInterrupt:
        sys.exit(130)
