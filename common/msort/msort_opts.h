/* Options shared by msort-omp and msort (the MPI program). */
#ifndef CONCUR_MSORT_OPTS_H
#define CONCUR_MSORT_OPTS_H

#include <stdint.h>

#include "cli.h"
#include "msort.h"

#define MSORT_DEFAULT_N    10000000ULL
#define MSORT_DEFAULT_SEED 1ULL
#define MSORT_MAX_N        (1ULL << MSORT_REC_IDX_BITS)

/* The two programs (variants of one option table). */
enum { MSORT_PROG_OMP = 1, MSORT_PROG_MPI = 2 };

struct msort_opts {
  uint64_t n;           /* generated input size */
  enum msort_type type; /* element type */
  enum msort_dist dist;
  uint64_t seed;
  int algo;           /* index into msort_prog_algos(program) */
  const char *input;  /* NULL: generate */
  const char *output; /* NULL: no output file */
  int text;           /* --format text */
  int threads;        /* 0: the program's default */
  int repeat;
  int json;
  int fsync; /* --fsync: the output file forced to disk before its rename */
  int verify;
  int parts; /* refk's k */
};

/* The program's name ("msort-omp", "msort") and its algorithms
 * (NULL-terminated; o->algo indexes them). */
const char *msort_prog_name(unsigned prog);
const char *const *msort_prog_algos(unsigned prog);

/* Parse argv for the program `prog` (MSORT_PROG_*). Prints nothing: hand
 * the outcome to msort_opts_answer. On CLI_USAGE, err holds the reason. */
enum cli_status msort_opts_parse(int argc, char **argv, unsigned prog, struct msort_opts *o,
                                 char err[CLI_ERR_MAX]);
/* Print what the outcome asks for (help, version, usage error) when
 * `speak` (rank 0); returns the exit status for it. */
int msort_opts_answer(enum cli_status st, unsigned prog, const char *err, int speak);
/* The members of the JSON record's "options" (docs/json.md): algo, type,
 * input, format, dist, seed, parts, verify, output. malloc()ed, or NULL. */
char *msort_options_json(const struct msort_opts *o, unsigned prog);

#endif
