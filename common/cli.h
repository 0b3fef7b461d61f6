/* Checked parsing of numeric command-line values.
 *
 * Every parser rejects rather than clamps: empty strings, signs where none are
 * allowed, overflow, trailing junk and out-of-range values all fail with a
 * one-line reason in `err` (which names the option). Size suffixes: k M G T
 * (powers of 1000) and Ki Mi Gi Ti (powers of 1024), so `-n 10M` is ten
 * million and `-n 1Gi` is 2^30. */
#ifndef CONCUR_CLI_H
#define CONCUR_CLI_H

#include <stddef.h>
#include <stdint.h>

#define CLI_ERR_MAX 256

/* Outcome of a program's option parsing. */
enum cli_status {
  CLI_OK = 0,  /* run the program */
  CLI_EXIT_OK, /* --help or --version was printed: exit 0 */
  CLI_USAGE    /* bad usage: print err, exit 2 */
};

/* Unsigned integer with optional size suffix, in [min, max]. */
int cli_parse_u64(const char *opt, const char *s, uint64_t min, uint64_t max, uint64_t *out,
                  char err[CLI_ERR_MAX]);
/* Signed integer with optional size suffix, in [min, max]. */
int cli_parse_i64(const char *opt, const char *s, int64_t min, int64_t max, int64_t *out,
                  char err[CLI_ERR_MAX]);
/* int convenience wrapper (no suffixes needed, but accepted). */
int cli_parse_int(const char *opt, const char *s, int min, int max, int *out,
                  char err[CLI_ERR_MAX]);
/* Finite floating-point number in [min, max] (e.g. seconds). */
int cli_parse_double(const char *opt, const char *s, double min, double max, double *out,
                     char err[CLI_ERR_MAX]);
/* Index of `s` in the NULL-terminated list `choices`, or -1 with err set. */
int cli_parse_choice(const char *opt, const char *s, const char *const *choices, int *out,
                     char err[CLI_ERR_MAX]);

/* Error for an unknown option or missing argument, as getopt_long reports it
 * (call with the argv element and getopt's optopt). */
void cli_unknown_option(const char *arg, int optopt, char err[CLI_ERR_MAX]);

/* Print "prog: reason" and "Try 'prog --help'." to stderr. */
void cli_print_usage_error(const char *prog, const char *err);

/* Print "prog (concur) VERSION" to stdout. */
void cli_print_version(const char *prog);

#endif
