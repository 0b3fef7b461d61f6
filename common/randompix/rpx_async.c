/* randompix's async engine: up to --jobs transfers at once on one thread
 * (a curl multi handle), retries queued until they are due. File creation
 * (rpx_fdpool.c) and the bodies' writes and hashes (rpx_writer.c) run on
 * helper threads, so this one only moves bytes; a transfer libcurl has
 * finished is judged once the writer has written all of it. */
#include "rpx_int.h"

#include <stdlib.h>

#include "errors.h"
#include "timer.h"

/* A retry waiting for its time. */
struct run_pending {
  uint64_t item;
  int attempt;
  double due, t_first;
};

/* Take the next attempt to start: a due retry first, then a new item.
 * Returns 0 when there is none now. */
static int run_async_next(struct rpx_ctx *c, struct run_pending *pend, size_t *npend, double now,
                          uint64_t *item, int *attempt, double *t_first)
{
  size_t best = *npend;
  for (size_t k = 0; k < *npend; k++)
    if (pend[k].due <= now && (best == *npend || pend[k].due < pend[best].due))
      best = k;
  if (best < *npend) {
    *item = pend[best].item;
    *attempt = pend[best].attempt;
    *t_first = pend[best].t_first;
    pend[best] = pend[--*npend];
    return 1;
  }
  while (c->w->skip != NULL && c->next < c->w->n && c->w->skip[c->next] != NULL)
    c->next++;
  if (c->next < c->w->n) {
    *item = c->next++;
    *attempt = 0;
    *t_first = now;
    return 1;
  }
  return 0;
}

/* Milliseconds to wait in curl_multi_poll: at most 100 (to see an
 * interrupt), less when a retry comes due and a slot is free. */
static int run_async_wait_ms(const struct run_pending *pend, size_t npend, int nfree, double now)
{
  double wait = 0.1;
  if (nfree > 0)
    for (size_t k = 0; k < npend; k++)
      if (pend[k].due - now < wait)
        wait = pend[k].due - now;
  return wait <= 0 ? 0 : (int)(wait * 1000.0) + 1;
}

/* The engine's state: slots (an easy handle each), the free ones, retries
 * waiting for their time, and finished transfers waiting for the writer. */
struct async_state {
  struct rpx_ctx *c;
  CURLM *m;
  struct rpx_xfer *xs;
  int *freel, nfree;
  struct run_pending *pend;
  size_t npend, cap_pend;
  int *waiting, nwait; /* finished by libcurl, pieces still queued */
  CURLcode *rcs;       /* libcurl's result of each waiting slot */
  int in_flight;       /* added to the multi handle, or waiting */
};

/* Judge a finished transfer, queue its retry, free its slot. */
static int async_judge(struct async_state *s, struct rpx_xfer *x, CURLcode rc)
{
  double delay = 0;
  s->in_flight--;
  if (rpx_xfer_end(x, rc, &delay) == RPX_RETRY) {
    if (s->npend == s->cap_pend) {
      struct run_pending *more = realloc(s->pend, 2 * s->cap_pend * sizeof *s->pend);
      if (more == NULL) {
        err_msg("out of memory");
        rpx_stop = 1;
        return -1;
      }
      s->pend = more;
      s->cap_pend *= 2;
    }
    s->pend[s->npend++] =
        (struct run_pending){x->item, x->attempt + 1, timer_now() + delay, x->t_first};
  }
  s->freel[s->nfree++] = (int)(x - s->xs);
  return 0;
}

/* Judge the waiting transfers whose pieces are all written. Returns the
 * number judged. */
static int async_judge_written(struct async_state *s)
{
  int judged = 0;
  for (int k = 0; k < s->nwait;) {
    struct rpx_xfer *x = &s->xs[s->waiting[k]];
    if (!rpx_writer_idle(s->c->writer, x)) {
      k++;
      continue;
    }
    CURLcode rc = s->rcs[s->waiting[k]];
    s->waiting[k] = s->waiting[--s->nwait];
    judged++;
    if (async_judge(s, x, rc) != 0)
      break;
  }
  return judged;
}

/* Take what libcurl has finished. Returns the number of slots freed. */
static int async_take_done(struct async_state *s)
{
  int freed = 0, left = 0;
  CURLMsg *msg;
  while ((msg = curl_multi_info_read(s->m, &left)) != NULL) {
    if (msg->msg != CURLMSG_DONE)
      continue;
    struct rpx_xfer *x = NULL;
    CURLcode rc = msg->data.result;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
    curl_multi_remove_handle(s->m, x->h);
    if (!rpx_writer_idle(s->c->writer, x)) { /* its last pieces are still being written */
      s->rcs[x - s->xs] = rc;
      s->waiting[s->nwait++] = (int)(x - s->xs);
      continue;
    }
    freed++;
    if (async_judge(s, x, rc) != 0)
      break;
  }
  return freed + async_judge_written(s);
}

static int async_loop(struct async_state *s)
{
  struct rpx_ctx *c = s->c;
  while (!rpx_stop) {
    double now = timer_now();
    uint64_t item;
    int attempt;
    double t_first;
    while (s->nfree > 0 && run_async_next(c, s->pend, &s->npend, now, &item, &attempt, &t_first)) {
      struct rpx_xfer *x = &s->xs[s->freel[--s->nfree]];
      rpx_xfer_begin(x, item, attempt, t_first);
      curl_multi_add_handle(s->m, x->h);
      s->in_flight++;
    }
    if (s->in_flight == 0 && s->npend == 0)
      break;
    int running = 0;
    CURLMcode mc = curl_multi_perform(s->m, &running);
    if (mc != CURLM_OK) {
      err_msg("libcurl: %s", curl_multi_strerror(mc));
      return -1;
    }
    int freed = async_take_done(s);
    rpx_progress(c, 0);
    if (s->in_flight == 0 && s->npend == 0 && c->next >= c->w->n)
      break;
    if (freed && c->next < c->w->n)
      continue; /* refill the free slots at once */
    /* the writer's curl_multi_wakeup ends the wait when a waiting transfer
     * is written; it writes what is queued meanwhile */
    rpx_writer_kick(c->writer);
    mc = curl_multi_poll(s->m, NULL, 0, run_async_wait_ms(s->pend, s->npend, s->nfree, timer_now()),
                         NULL);
    if (mc != CURLM_OK) {
      err_msg("libcurl: %s", curl_multi_strerror(mc));
      return -1;
    }
  }
  return 0;
}

int rpx_run_async(struct rpx_ctx *c, int jobs)
{
  struct async_state s = {.c = c, .cap_pend = 2 * (size_t)jobs}; /* pend grows if retries pile up */
  s.m = curl_multi_init();
  s.xs = calloc((size_t)jobs, sizeof *s.xs);
  s.freel = malloc((size_t)jobs * sizeof *s.freel);
  s.waiting = malloc((size_t)jobs * sizeof *s.waiting);
  s.rcs = malloc((size_t)jobs * sizeof *s.rcs);
  s.pend = malloc(s.cap_pend * sizeof *s.pend);
  int status = 0;
  if (s.m == NULL || s.xs == NULL || s.freel == NULL || s.waiting == NULL || s.rcs == NULL ||
      s.pend == NULL) {
    err_msg("out of memory or libcurl multi handle unavailable");
    status = -1;
    goto out;
  }
  /* Keep one idle connection per slot so every transfer finds one to reuse. */
  curl_multi_setopt(s.m, CURLMOPT_MAXCONNECTS, (long)jobs);
  /* HTTP/2 streams share a connection (CURLPIPE_MULTIPLEX); with --per-host
   * each transfer has its own, so that capping a host's connections
   * (transfers over the cap wait inside libcurl) caps its transfers. */
  curl_multi_setopt(s.m, CURLMOPT_PIPELINING,
                    c->o->per_host > 0 ? (long)CURLPIPE_NOTHING : (long)CURLPIPE_MULTIPLEX);
  if (c->o->per_host > 0)
    curl_multi_setopt(s.m, CURLMOPT_MAX_HOST_CONNECTIONS, (long)c->o->per_host);
  for (int i = 0; i < jobs; i++) {
    CURL *h = curl_easy_init();
    if (h == NULL || rpx_easy_setup(h, &s.xs[i], c) != 0) {
      curl_easy_cleanup(h);
      s.xs[i].h = NULL;
      status = -1;
      goto out;
    }
    s.freel[s.nfree++] = i;
  }
  c->writer = rpx_writer_start(s.m); /* NULL: write on this thread, as the others do */
  status = async_loop(&s);
out:
  if (s.xs != NULL) {
    /* Interrupted or failed: abort what is in flight, leave no .part. */
    for (int i = 0; i < jobs; i++) {
      if (s.xs[i].h == NULL)
        continue;
      int idle = 0;
      for (int k = 0; k < s.nfree && !idle; k++)
        idle = s.freel[k] == i;
      if (!idle) {
        curl_multi_remove_handle(s.m, s.xs[i].h); /* a waiting one is removed already: no-op */
        rpx_xfer_drop(&s.xs[i]);
      }
      curl_easy_cleanup(s.xs[i].h);
      curl_slist_free_all(s.xs[i].hdrs);
      rpx_sha256_free(&s.xs[i].sha);
    }
  }
  rpx_writer_stop(c->writer);
  c->writer = NULL;
  curl_multi_cleanup(s.m);
  free(s.pend);
  free(s.rcs);
  free(s.waiting);
  free(s.freel);
  free(s.xs);
  return status;
}
