#!/usr/bin/env python3
"""Check a randompix manifest against what is on disk and what was asked.

Usage: randompix_manifest_check.py MANIFEST REQUESTED [RESULT=COUNT ...]

Every line is one JSON object with exactly the documented members; the
items are 0..REQUESTED-1, once each, in order; every saved or skipped line
names a file whose SHA-256 and size match; RESULT=COUNT pairs (saved=30,
failed=2, skipped=0, not_started=0) must hold. Prints one line per problem
and exits 1 if there is any."""
import hashlib
import json
import sys

KEYS = {"item", "url", "final_url", "status", "result", "path", "bytes", "sha256",
        "attempts", "seconds", "error"}


def main():
    path, requested = sys.argv[1], int(sys.argv[2])
    want = dict(a.split("=") for a in sys.argv[3:])
    bad = []
    counts = {}
    items = []
    with open(path, "rb") as f:
        for no, raw in enumerate(f, 1):
            try:
                rec = json.loads(raw)
            except ValueError as e:
                bad.append("%s:%d: not JSON: %s" % (path, no, e))
                continue
            keys = set(rec) - {"line"}
            if keys != KEYS:
                bad.append("%s:%d: members %s" % (path, no, sorted(keys ^ KEYS)))
                continue
            items.append(rec["item"])
            counts[rec["result"]] = counts.get(rec["result"], 0) + 1
            if rec["result"] in ("saved", "skipped"):
                try:
                    data = open(rec["path"], "rb").read()
                except OSError as e:
                    bad.append("%s:%d: %s" % (path, no, e))
                    continue
                if hashlib.sha256(data).hexdigest() != rec["sha256"] and rec["sha256"]:
                    bad.append("%s:%d: sha256 of %s differs" % (path, no, rec["path"]))
                if len(data) != rec["bytes"]:
                    bad.append("%s:%d: %s has %d bytes, not %d" % (path, no, rec["path"],
                                                                   len(data), rec["bytes"]))
            elif rec["path"] or rec["bytes"] or rec["sha256"]:
                bad.append("%s:%d: a %s item with a file" % (path, no, rec["result"]))
    if items != list(range(requested)):
        bad.append("%s: items %s..., not 0..%d once each in order" % (path, items[:8], requested - 1))
    for k, v in want.items():
        if counts.get(k, 0) != int(v):
            bad.append("%s: %d %s, expected %s" % (path, counts.get(k, 0), k, v))
    for b in bad[:20]:
        print(b)
    sys.exit(1 if bad else 0)


main()
