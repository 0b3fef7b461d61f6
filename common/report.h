/* One result reporter for every program.
 *
 * A human line on stderr, and with --json one JSON object per run (on stdout,
 * or last on stderr when the results are on stdout: report_json_dest):
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

/* Where report_print puts the JSON object. */
enum report_json { REPORT_JSON_OFF = 0, REPORT_JSON_STDOUT = 1, REPORT_JSON_STDERR = 2 };
/* The suite's rule for --json (README, "Conventions"): the JSON object goes
 * to stdout, unless the run's results go there; then it is the last line of
 * stderr, so that --json never takes the place of the results. */
int report_json_dest(int json, int results_on_stdout);

/* Print the human line to stderr and the JSON object where `json` (enum
 * report_json; 1 is stdout) says, after the human line. */
void report_print(const struct report *r, int json);

/* Write s as a JSON string literal (with quotes and escapes). */
void report_json_string(FILE *fp, const char *s);

#endif
