/* Error messages and exit codes shared by every program.
 *
 * Messages go to stderr on one line: `prog: reason`, or `prog: file:line:
 * reason` for bad input. In MPI runs with more than one rank the program name
 * carries the rank: `msort[3]: reason`. */
#ifndef CONCUR_ERRORS_H
#define CONCUR_ERRORS_H

#include <stdio.h>

/* Exit codes of the design notes. */
enum {
  EXIT_OK = 0,    /* success */
  EXIT_FAIL = 1,  /* runtime or verification failure */
  EXIT_USAGE = 2, /* bad usage: unknown option, bad number, conflict */
  EXIT_DATA = 3   /* some input records were rejected, the rest processed */
};

/* Set the program name (and, for MPI runs, rank and rank count) used as the
 * message prefix. */
void err_init(const char *prog);
void err_set_rank(int rank, int nranks);
const char *err_prog(void);

/* `prog: reason` */
void err_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* `prog: reason: strerror(errno)` */
void err_sys(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* `prog: file:line: reason` (line 0 omits the line). */
void err_at(const char *file, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same line written to fp instead (a buffer of messages that another
 * process prints later, in order). */
void err_at_to(FILE *fp, const char *file, long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
