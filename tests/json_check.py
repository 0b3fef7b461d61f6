#!/usr/bin/env python3
"""json_check.py: check concur --json records against docs/concur-result.schema.json.

    json_check.py [--commit HASH] [--count N] SCHEMA FILE...

Every line of FILE that starts with '{"program"' is a record. Each must be
strict UTF-8 and strict JSON (no raw control characters), validate against the
schema (jsonschema, Draft 2020-12), and agree with itself: one time per repeat,
seconds the median of the times, min_seconds their minimum, stddev their
sample standard deviation, rate n / seconds, one binding entry per rank in
rank order with one CPU list per thread (randompix: one), and the commit
HASH (with or without -dirty) when given. --count N: exactly N records in all.
Prints FILE:LINE: reason for each problem; exit 0 when none, 1 otherwise,
2 on bad usage or a missing jsonschema module.
"""
import json
import math
import statistics
import sys

try:
    import jsonschema
except ImportError:
    print("json_check: python3-jsonschema is not installed", file=sys.stderr)
    sys.exit(2)


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def consistent(r, commit):
    times = r["times"]
    if len(times) != r["repeat"]:
        yield f"{len(times)} times for repeat {r['repeat']}"
    if not close(r["seconds"], statistics.median(times)):
        yield f"seconds {r['seconds']} is not the median of {times}"
    if not close(r["min_seconds"], min(times)):
        yield f"min_seconds {r['min_seconds']} is not the minimum of {times}"
    sd = statistics.stdev(times) if len(times) > 1 else 0.0
    if not math.isclose(r["stddev"], sd, rel_tol=1e-5, abs_tol=1e-9):
        yield f"stddev {r['stddev']} is not the standard deviation {sd} of {times}"
    rate = r["n"] / r["seconds"] if r["seconds"] > 0 else 0
    if not math.isclose(r["rate"], rate, rel_tol=1e-6):
        yield f"rate {r['rate']} is not n / seconds = {rate}"
    b = r["binding"]
    if [e["rank"] for e in b] != list(range(r["ranks"])):
        yield f"binding ranks {[e['rank'] for e in b]} for {r['ranks']} ranks"
    want = 1 if r["program"].startswith("randompix") else r["threads"]
    for e in b:
        if len(e["cpus"]) != want:
            yield f"rank {e['rank']}: {len(e['cpus'])} CPU lists for {want} threads"
    if r["host"] != b[0]["host"]:
        yield f"host {r['host']!r} is not rank 0's {b[0]['host']!r}"
    if commit and r["commit"] not in (commit, commit + "-dirty"):
        yield f"commit {r['commit']} is not {commit} (built before the last commit? rebuild)"


def main(argv):
    commit, count = None, None
    args = argv[1:]
    while args and args[0].startswith("--"):
        if args[0] == "--commit" and len(args) > 1:
            commit, args = args[1], args[2:]
        elif args[0] == "--count" and len(args) > 1:
            count, args = int(args[1]), args[2:]
        else:
            print(f"json_check: bad usage near {args[0]!r} (see the docstring)", file=sys.stderr)
            return 2
    if len(args) < 2:
        print("json_check: usage: json_check.py [--commit H] [--count N] SCHEMA FILE...", file=sys.stderr)
        return 2
    with open(args[0], encoding="utf-8") as f:
        validator = jsonschema.Draft202012Validator(json.load(f))
    bad = seen = 0
    for name in args[1:]:
        with open(name, "rb") as f:
            lines = f.read().split(b"\n")
        for lineno, raw in enumerate(lines, 1):
            if not raw.startswith(b'{"program"'):
                continue
            seen += 1
            problems = []
            try:
                r = json.loads(raw.decode("utf-8"))  # strict: raw controls are errors
            except ValueError as e:
                problems = [f"not strict UTF-8 JSON: {e}"]
            else:
                problems = [f"{'/'.join(map(str, e.absolute_path)) or '(record)'}: {e.message}"
                            for e in validator.iter_errors(r)]
                if not problems:
                    problems = list(consistent(r, commit))
            for p in problems:
                print(f"{name}:{lineno}: {p}", file=sys.stderr)
            bad += bool(problems)
    if count is not None and seen != count:
        print(f"json_check: {seen} records, expected {count}", file=sys.stderr)
        bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
