/* The progress line (progress.h). */
#include "progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "timer.h"

void progress_init(struct progress *p, const char *prog)
{
  const char *off = getenv("CONCUR_PROGRESS"), *after = getenv("CONCUR_PROGRESS_AFTER");
  *p = (struct progress){.prog = prog, .unit = ""};
  /* CONCUR_PROGRESS=1 forces it on: under mpirun a rank's stderr is a pipe
   * even when mpirun's is a terminal */
  p->on = off != NULL && *off ? off[0] == '1' : isatty(STDERR_FILENO);
  p->after = PROGRESS_AFTER;
  if (after != NULL && *after) {
    char *end;
    double v = strtod(after, &end);
    if (*end == '\0' && v >= 0)
      p->after = v;
  }
  p->t0 = p->phase_t0 = timer_now();
}

void progress_phase(struct progress *p, const char *phase, uint64_t total, const char *unit)
{
  if (p == NULL || !p->on)
    return;
  p->phase = phase;
  p->unit = unit ? unit : "";
  p->total = total;
  __atomic_store_n(&p->done, 0, __ATOMIC_RELAXED);
  p->phase_t0 = timer_now();
  p->next = 0;
  progress_show(p);
}

/* n with a k/M/G suffix, in 6 characters or so. */
static const char *human(char *buf, size_t cap, double n)
{
  static const char sfx[] = " kMGTP";
  int i = 0;
  while (n >= 1000 && i < 5) {
    n /= 1000;
    i++;
  }
  snprintf(buf, cap, i ? "%.3g%c" : "%.0f", n, sfx[i]);
  return buf;
}

void progress_show(struct progress *p)
{
  if (p == NULL || !p->on || p->phase == NULL)
    return;
  double now = timer_now();
  if (now - p->t0 < p->after || now < p->next)
    return;
  if (__atomic_exchange_n(&p->drawing, 1, __ATOMIC_ACQUIRE))
    return; /* another thread is drawing */
  p->next = now + 0.25;
  uint64_t done = __atomic_load_n(&p->done, __ATOMIC_RELAXED);
  double dt = now - p->phase_t0, rate = dt > 0 ? (double)done / dt : 0;
  char a[16], b[16], r[16];
  if (p->total > 0) {
    double share = done > p->total ? 1.0 : (double)done / (double)p->total;
    int eta =
        rate > 0 ? (int)((double)(p->total - (done > p->total ? p->total : done)) / rate) : -1;
    fprintf(stderr, "\r%s: %s %3.0f%%  %s/%s %s  %s %s/s", p->prog, p->phase, 100 * share,
            human(a, sizeof a, (double)done), human(b, sizeof b, (double)p->total), p->unit,
            human(r, sizeof r, rate), p->unit);
    if (eta >= 0)
      fprintf(stderr, "  ETA %d s", eta);
  } else if (done > 0) {
    fprintf(stderr, "\r%s: %s  %s %s  %s %s/s  %.0f s", p->prog, p->phase,
            human(a, sizeof a, (double)done), p->unit, human(r, sizeof r, rate), p->unit, dt);
  } else {
    fprintf(stderr, "\r%s: %s  %.0f s", p->prog, p->phase, dt);
  }
  fputs("\033[K", stderr);
  fflush(stderr);
  p->shown = 1;
  __atomic_store_n(&p->drawing, 0, __ATOMIC_RELEASE);
}

void progress_clear(struct progress *p)
{
  if (p == NULL || !p->shown)
    return;
  fputs("\r\033[K", stderr);
  fflush(stderr);
  p->shown = 0;
}
