/* Options shared by msort-omp and msort (the MPI program). */
#ifndef CONCUR_MSORT_OPTS_H
#define CONCUR_MSORT_OPTS_H

#include <stdint.h>

#include "cli.h"
#include "msort.h"

#define MSORT_DEFAULT_N    10000000ULL
#define MSORT_DEFAULT_SEED 1ULL
#define MSORT_MAX_N        (1ULL << MSORT_REC_IDX_BITS)

struct msort_opts {
  uint64_t n;           /* generated input size */
  enum msort_type type; /* element type */
  enum msort_dist dist;
  uint64_t seed;
  int algo;           /* index into the program's algorithm list */
  const char *input;  /* NULL: generate */
  const char *output; /* NULL: no output file */
  int text;           /* --format text */
  int threads;        /* 0: OpenMP's default */
  int repeat;
  int json;
  int fsync; /* --fsync: the output file forced to disk before its rename */
  int verify;
  int parts; /* refk's k */
};

/* The program's identity for --help. */
struct msort_prog {
  const char *name;               /* "msort-omp" */
  const char *const *algos;       /* NULL-terminated */
  int default_algo;               /* index into algos */
  const char *algo_help;          /* lines describing the algorithms */
  const char *synopsis, *example; /* usage line and example */
};

/* Parse argv into o. Prints --help / --version only when `speak` (rank 0).
 * On CLI_USAGE, err holds the reason. */
enum cli_status msort_opts_parse(int argc, char **argv, const struct msort_prog *p, int speak,
                                 struct msort_opts *o, char err[CLI_ERR_MAX]);

#endif
