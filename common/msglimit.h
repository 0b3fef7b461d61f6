/* A limit on messages of one kind: the first few are printed, the rest
 * only counted, and one line per kind at the end says how many were not
 * shown. A million failures of one kind then print 20 lines and a count,
 * not a million lines, while a failure of another kind still shows.
 *
 *   struct msglimit lim;
 *   msglimit_init(&lim, 20);
 *   if (msglimit_take(&lim, "HTTP 404"))          // counts; 1 = print it
 *     err_at(list, line, "%s: HTTP 404", url);
 *   msglimit_summary(&lim);   // "prog: 480 more "HTTP 404" messages not shown"
 *   msglimit_destroy(&lim);
 *
 * Thread-safe: every call may come from any thread. */
#ifndef CONCUR_MSGLIMIT_H
#define CONCUR_MSGLIMIT_H

#include <pthread.h>
#include <stdint.h>

#define MSGLIMIT_KINDS    32 /* distinct kinds kept apart; later ones share one count */
#define MSGLIMIT_KIND_LEN 64 /* longer kind names are cut */

struct msglimit {
  pthread_mutex_t lock;
  uint64_t max; /* messages printed per kind */
  int nkinds;
  struct {
    char name[MSGLIMIT_KIND_LEN];
    uint64_t seen;
  } kinds[MSGLIMIT_KINDS];
  uint64_t other; /* messages of kinds beyond the table, printed up to max */
};

void msglimit_init(struct msglimit *l, uint64_t max_per_kind);
void msglimit_destroy(struct msglimit *l);
/* Count one message of `kind`; 1 if the caller should print it (one of
 * the first max of its kind), 0 if it is only counted. */
int msglimit_take(struct msglimit *l, const char *kind);
/* Count n messages of `kind` offered elsewhere first, as if taken (by the
 * MPI ranks before this one, whose messages come out first). */
void msglimit_skip(struct msglimit *l, const char *kind, uint64_t n);
/* One line per kind with messages not shown; returns how many were not
 * shown in all. */
uint64_t msglimit_summary(struct msglimit *l);

#endif
