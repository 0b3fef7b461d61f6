/* A budget for repeated messages of one kind: the first `max` are printed,
 * the rest only counted, and one line at the end says how many were held
 * back ("prog: ... and 1226 more lines rejected"). A bad input then costs a
 * screenful, not a flood, and the count is still exact.
 *
 *   struct msglimit lim;
 *   msglimit_init(&lim, MSGLIMIT_DEFAULT, "lines rejected");
 *   for (each bad line)
 *     if (msglimit_take(&lim))
 *       err_at(file, line, "%s", reason);
 *   msglimit_report(&lim);
 *
 * msglimit_take may be called from several threads at once. */
#ifndef CONCUR_MSGLIMIT_H
#define CONCUR_MSGLIMIT_H

#include <stdint.h>

#define MSGLIMIT_DEFAULT 20

struct msglimit {
  uint64_t max;     /* messages printed at most */
  uint64_t seen;    /* messages offered so far (printed or not) */
  const char *what; /* what the held-back messages were: "lines rejected" */
};

void msglimit_init(struct msglimit *m, uint64_t max, const char *what);
/* One more message of the kind: 1 if it is to be printed, 0 if only
 * counted. */
int msglimit_take(struct msglimit *m);
/* Count n messages offered elsewhere first (by an earlier MPI rank, or by
 * an earlier pass), as if taken. */
void msglimit_skip(struct msglimit *m, uint64_t n);
/* The messages held back so far. */
uint64_t msglimit_held(const struct msglimit *m);
/* When some were held back, print "prog: ... and N more WHAT" on stderr.
 * Returns N. */
uint64_t msglimit_report(const struct msglimit *m);

#endif
