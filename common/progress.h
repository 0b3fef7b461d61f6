/* A one-line progress report for long work, on a terminal only.
 *
 * Nothing is drawn unless stderr is a terminal (CONCUR_PROGRESS=1 forces it,
 * =0 forbids it) and the work has gone on for PROGRESS_AFTER seconds
 * (CONCUR_PROGRESS_AFTER overrides it; tests set 0),
 * so short runs and redirected output never see it. The line is redrawn at
 * most every 0.25 s and erased before anything else is printed
 * (progress_clear), so it never mixes with results or messages.
 *
 * Any thread may call progress_add and progress_show while the work runs:
 * counting is one relaxed atomic add, and one thread at a time draws. */
#ifndef CONCUR_PROGRESS_H
#define CONCUR_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

#define PROGRESS_AFTER 2.0

struct progress {
  int on;            /* draw at all: stderr is a terminal, or CONCUR_PROGRESS=1 */
  const char *prog;  /* "msort-omp" */
  const char *phase; /* "sort", "solve", ... */
  const char *unit;  /* "keys", "puzzles", "bytes" */
  uint64_t total;    /* the phase's amount of work; 0: unknown (elapsed time only) */
  uint64_t done;     /* added to by the workers */
  double t0, after;  /* when the whole work started; delay before the first draw */
  double phase_t0, next;
  int drawing, shown;
};

/* Start the clock of a program's work; `on` is decided here. */
void progress_init(struct progress *p, const char *prog);
/* A new phase of `total` units (0: unknown), done = 0; draws it when due. */
void progress_phase(struct progress *p, const char *phase, uint64_t total, const char *unit);
/* k more units done (cheap; nothing at all when the report is off). */
static inline void progress_add(struct progress *p, uint64_t k)
{
  if (p != NULL && p->on)
    __atomic_add_fetch(&p->done, k, __ATOMIC_RELAXED);
}
/* Redraw the line if it is due. */
void progress_show(struct progress *p);
/* One unit done, counted per thread and handed on (added, and the line
 * redrawn if due) every 64 units: for per-item loops of a few microseconds. */
static inline void progress_tick(struct progress *p)
{
  static _Thread_local unsigned pending;
  if (p == NULL || !p->on || ++pending < 64)
    return;
  progress_add(p, pending);
  pending = 0;
  progress_show(p);
}
/* Erase the line (before results, messages or the summary). */
void progress_clear(struct progress *p);

#endif
