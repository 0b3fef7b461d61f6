/* One result reporter for every program.
 *
 * A human line on stderr, and with --json one JSON object per run (on stdout,
 * or last on stderr when the results are on stdout: report_json_dest), the
 * record docs/json.md describes and docs/concur-result.schema.json checks:
 * the schema's name, the program and the build's facts (buildinfo.h), the
 * host and the date, the run's variant, options, ranks, threads and where
 * each thread may run (binding), every timed run (times) with their median
 * (seconds), minimum and standard deviation, the rate n / seconds, the
 * verdict, then the program's own members (extra_json). */
#ifndef CONCUR_REPORT_H
#define CONCUR_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The "schema" member of every record; its number changes when a member
 * changes meaning or goes (docs/json.md). */
#define REPORT_SCHEMA "concur-result/1"

enum report_verdict { REPORT_UNCHECKED = -1, REPORT_FAILED = 0, REPORT_PASSED = 1 };

struct report {
  const char *program;    /* "msort-omp" */
  const char *variant;    /* the parallel strategy: "tasks", "dynamic", "async", ... */
  int threads;            /* OpenMP threads per rank */
  int ranks;              /* MPI ranks (1 without MPI) */
  uint64_t n;             /* items processed per run */
  const double *seconds;  /* one time per repeat */
  size_t repeat;          /* number of entries in seconds (>= 1) */
  const char *rate_unit;  /* "keys/s", "puzzles/s", ... */
  int verified;           /* enum report_verdict */
  const char *extra_json; /* optional: more members, e.g. "\"type\":\"u64\"" */
  const char *timed;      /* what each time measures: "sort", "solve", "run" */
  const char *options;    /* optional: the members of "options" (json.h builds them) */
  const char *binding;    /* the "binding" array (mpix_binding); NULL: this process's, of
                             `threads` threads (affinity_binding) */
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

/* Write s as a JSON string literal (with quotes and escapes): json_string
 * of json.h. */
void report_json_string(FILE *fp, const char *s);

#endif
