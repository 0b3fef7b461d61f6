/* The message budget of msglimit.h. */
#include "msglimit.h"

#include "errors.h"

void msglimit_init(struct msglimit *m, uint64_t max, const char *what)
{
  m->max = max;
  m->seen = 0;
  m->what = what;
}

int msglimit_take(struct msglimit *m)
{
  return __atomic_fetch_add(&m->seen, 1, __ATOMIC_RELAXED) < m->max;
}

void msglimit_skip(struct msglimit *m, uint64_t n)
{
  __atomic_fetch_add(&m->seen, n, __ATOMIC_RELAXED);
}

uint64_t msglimit_held(const struct msglimit *m)
{
  uint64_t seen = __atomic_load_n(&m->seen, __ATOMIC_RELAXED);
  return seen > m->max ? seen - m->max : 0;
}

uint64_t msglimit_report(const struct msglimit *m)
{
  uint64_t held = msglimit_held(m);
  if (held > 0)
    err_msg("... and %llu more %s", (unsigned long long)held, m->what);
  return held;
}
