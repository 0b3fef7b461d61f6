#!/usr/bin/env python3
"""json2csv.py: turn the --json lines of concur programs into one CSV table.

    jobs/json2csv.py results.jsonl [more.jsonl ...] > results.csv
    some-program --json | jobs/json2csv.py > results.csv      (reads stdin)

Lines that do not start with '{' are skipped (program output mixed in), so a
job log can be fed as it is. Columns: the study coordinates that jobs/sweep.sh
and jobs/slurm/scaling.sbatch add (study, axis, p), the common report fields
(program, variant, ranks, threads, n, seconds, min_seconds, repeat, rate,
rate_unit, verified), then any other member, in order of first appearance.
Nested values are written as JSON text. Exit status: 0, 1 if a line that
starts with '{' is not a JSON object (file:line: reason on stderr).
"""
import csv
import json
import sys

FIRST = ["study", "axis", "p", "program", "variant", "ranks", "threads", "n",
         "seconds", "min_seconds", "repeat", "rate", "rate_unit", "verified"]


def cell(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (dict, list)):
        return json.dumps(v, separators=(",", ":"))
    return v


def main(argv):
    rows, bad = [], 0
    sources = argv[1:] or ["-"]
    for src in sources:
        fp = sys.stdin if src == "-" else open(src, encoding="utf-8")
        with fp:
            for lineno, line in enumerate(fp, 1):
                line = line.strip()
                if not line.startswith("{"):
                    continue
                try:
                    obj = json.loads(line)
                    if not isinstance(obj, dict):
                        raise ValueError("not a JSON object")
                except ValueError as e:
                    name = "<stdin>" if src == "-" else src
                    print(f"json2csv: {name}:{lineno}: {e}", file=sys.stderr)
                    bad += 1
                    continue
                rows.append(obj)
    cols = [c for c in FIRST if any(c in r for r in rows)]
    for r in rows:
        cols += [k for k in r if k not in cols]
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(cols)
    for r in rows:
        w.writerow([cell(r.get(c)) for c in cols])
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
