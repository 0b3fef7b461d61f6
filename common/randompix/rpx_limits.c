/* randompix --per-host and --rate in the blocking engines (serial,
 * threads), and --rate in all of them.
 *
 * --per-host N: a thread takes a slot of the URL's host (scheme, host and
 * port, as libcurl parses them) before its transfer and gives it back
 * after; with N taken it waits. (The async engine leaves this to libcurl:
 * CURLMOPT_MAX_HOST_CONNECTIONS, one transfer per connection.)
 * --rate B: pacing on the bytes received by the whole process: after T
 * seconds at most B*T bytes (plus the piece being written); a write that
 * runs ahead sleeps in the write callback, which holds back every transfer
 * of its engine (the async engine is one thread). */
#include "rpx_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rpx_mline.h"
#include "timer.h"

#define HOSTS_BUCKETS 4096

struct rpx_host {
  char *key;
  int active;
  struct rpx_host *next;
};

/* "scheme://host:port" of url into key. */
static void limits_key(const char *url, char *key, size_t cap)
{
  CURLU *u = curl_url();
  char *scheme = NULL, *host = NULL, *port = NULL;
  if (u != NULL && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK) {
    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0);
    curl_url_get(u, CURLUPART_HOST, &host, 0);
    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT);
  }
  snprintf(key, cap, "%s://%s:%s", scheme ? scheme : "", host ? host : "", port ? port : "");
  curl_free(scheme);
  curl_free(host);
  curl_free(port);
  curl_url_cleanup(u);
}

static size_t limits_hash(const char *s)
{
  return (size_t)(rpx_hash(s) % HOSTS_BUCKETS);
}

void *rpx_host_acquire(struct rpx_ctx *c, const char *url)
{
  if (c->o->per_host <= 0)
    return NULL;
  char key[600];
  limits_key(url, key, sizeof key);
  pthread_mutex_lock(&c->host_lock);
  if (c->hosts == NULL)
    c->hosts = calloc(HOSTS_BUCKETS, sizeof *c->hosts);
  struct rpx_host *h = NULL;
  if (c->hosts != NULL) {
    struct rpx_host **pp = &c->hosts[limits_hash(key)];
    while (*pp != NULL && strcmp((*pp)->key, key) != 0)
      pp = &(*pp)->next;
    if (*pp == NULL && (*pp = calloc(1, sizeof **pp)) != NULL &&
        ((*pp)->key = strdup(key)) == NULL) {
      free(*pp);
      *pp = NULL;
    }
    h = *pp;
  }
  /* out of memory: no cap rather than no transfer */
  while (h != NULL && h->active >= c->o->per_host && !rpx_stop) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 100000000L; /* look at rpx_stop ten times a second */
    if (ts.tv_nsec >= 1000000000L)
      ts.tv_sec++, ts.tv_nsec -= 1000000000L;
    pthread_cond_timedwait(&c->host_free, &c->host_lock, &ts);
  }
  if (h != NULL)
    h->active++;
  pthread_mutex_unlock(&c->host_lock);
  return h;
}

void rpx_host_release(struct rpx_ctx *c, void *slot)
{
  struct rpx_host *h = slot;
  if (h == NULL)
    return;
  pthread_mutex_lock(&c->host_lock);
  h->active--;
  pthread_cond_broadcast(&c->host_free);
  pthread_mutex_unlock(&c->host_lock);
}

void rpx_hosts_free(struct rpx_ctx *c)
{
  if (c->hosts == NULL)
    return;
  for (size_t b = 0; b < HOSTS_BUCKETS; b++)
    for (struct rpx_host *h = c->hosts[b], *next; h != NULL; h = next) {
      next = h->next;
      free(h->key);
      free(h);
    }
  free(c->hosts);
  c->hosts = NULL;
}

void rpx_rate_take(struct rpx_ctx *c, size_t n)
{
  double rate = (double)c->o->rate;
  if (rate <= 0)
    return;
  uint64_t total = __atomic_add_fetch(&c->rate_bytes, n, __ATOMIC_RELAXED);
  double due = c->t0 + (double)total / rate; /* when these bytes may have come */
  for (double now = timer_now(); now < due && !rpx_stop; now = timer_now()) {
    double s = due - now < 0.05 ? due - now : 0.05;
    struct timespec ts = {0, (long)(s * 1e9)};
    nanosleep(&ts, NULL);
  }
}
