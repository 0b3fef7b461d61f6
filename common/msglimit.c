#include "msglimit.h"

#include <stdio.h>
#include <string.h>

#include "errors.h"

void msglimit_init(struct msglimit *l, uint64_t max_per_kind)
{
  memset(l, 0, sizeof *l);
  pthread_mutex_init(&l->lock, NULL);
  l->max = max_per_kind;
}

void msglimit_destroy(struct msglimit *l)
{
  pthread_mutex_destroy(&l->lock);
}

/* Count n messages of `kind`; returns how many there were before them. */
static uint64_t msglimit_count(struct msglimit *l, const char *kind, uint64_t n)
{
  char name[MSGLIMIT_KIND_LEN];
  snprintf(name, sizeof name, "%s", kind); /* compared as it is kept: cut alike */
  pthread_mutex_lock(&l->lock);
  uint64_t *seen = &l->other;
  int k = 0;
  while (k < l->nkinds && strcmp(l->kinds[k].name, name) != 0)
    k++;
  if (k < l->nkinds || l->nkinds < MSGLIMIT_KINDS) {
    if (k == l->nkinds)
      memcpy(l->kinds[l->nkinds++].name, name, sizeof name);
    seen = &l->kinds[k].seen;
  }
  uint64_t before = *seen;
  *seen += n;
  pthread_mutex_unlock(&l->lock);
  return before;
}

int msglimit_take(struct msglimit *l, const char *kind)
{
  return msglimit_count(l, kind, 1) < l->max;
}

void msglimit_skip(struct msglimit *l, const char *kind, uint64_t n)
{
  msglimit_count(l, kind, n);
}

uint64_t msglimit_summary(struct msglimit *l)
{
  uint64_t hidden = 0;
  pthread_mutex_lock(&l->lock);
  for (int k = 0; k < l->nkinds; k++)
    if (l->kinds[k].seen > l->max) {
      uint64_t n = l->kinds[k].seen - l->max;
      err_msg("%llu more \"%s\" messages not shown", (unsigned long long)n, l->kinds[k].name);
      hidden += n;
    }
  if (l->other > l->max) {
    uint64_t n = l->other - l->max;
    err_msg("%llu more messages of other kinds not shown", (unsigned long long)n);
    hidden += n;
  }
  pthread_mutex_unlock(&l->lock);
  return hidden;
}
