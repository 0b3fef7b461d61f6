/* One result reporter for every program.
 *
 * A human line on stderr, and with --json one JSON object per run on stdout:
 *   {"program":..,"variant":..,"threads":..,"ranks":..,"n":..,"seconds":..,
 *    "min_seconds":..,"repeat":..,"rate":..,"rate_unit":..,"verified":..}
 * `seconds` is the median over the repeats; `rate` is n / seconds. */
#ifndef CONCUR_REPORT_H
#define CONCUR_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum report_verdict { REPORT_UNCHECKED = -1, REPORT_FAILED = 0, REPORT_PASSED = 1 };

struct report {
  const char *program;    /* "msort-omp" */
  const char *variant;    /* "tasks", "dynamic", "async", ... */
  int threads;            /* OpenMP threads per rank */
  int ranks;              /* MPI ranks (1 without MPI) */
  uint64_t n;             /* items processed per run */
  const double *seconds;  /* one time per repeat */
  size_t repeat;          /* number of entries in seconds (>= 1) */
  const char *rate_unit;  /* "keys/s", "puzzles/s", ... */
  int verified;           /* enum report_verdict */
  const char *extra_json; /* optional: more members, e.g. "\"type\":\"u64\"" */
};

/* Print the human line to stderr and, when json is set, the JSON object to
 * stdout. */
void report_print(const struct report *r, int json);

/* Write s as a JSON string literal (with quotes and escapes). */
void report_json_string(FILE *fp, const char *s);

#endif
