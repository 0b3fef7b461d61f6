/* randompix engines: serial, threads (OpenMP) and async (curl multi). Each
 * hands out items, runs attempts through rpx_xfer.c and waits out retry
 * delays; an interrupt (rpx_stop) stops them within about a second. */
#include "rpx_int.h"

#include <errno.h>
#include <fcntl.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "errors.h"
#include "escape.h"
#include "rng.h"
#include "timer.h"

/* Failure and retry messages printed per kind; the rest are counted and
 * summed up in one line per kind at the end (a flood of a million identical
 * lines helps nobody). */
#define RPX_NOTES_PER_KIND 20

volatile sig_atomic_t rpx_stop = 0;

static void run_on_signal(int sig)
{
  rpx_stop = sig; /* SA_RESETHAND: a second Ctrl-C kills at once */
}

void rpx_install_signals(void)
{
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = run_on_signal;
  sa.sa_flags = SA_RESETHAND;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
}

/* Sleep for s seconds, waking early on an interrupt. */
static void run_sleep(double s)
{
  double end = timer_now() + s;
  while (!rpx_stop) {
    double left = end - timer_now();
    if (left <= 0)
      break;
    if (left > 0.05)
      left = 0.05;
    struct timespec ts = {0, (long)(left * 1e9)};
    nanosleep(&ts, NULL);
  }
}

/* All attempts of one item on a blocking easy handle. */
static void run_fetch_blocking(struct rpx_xfer *x, uint64_t item)
{
  double t_first = timer_now();
  for (int attempt = 0;; attempt++) {
    rpx_xfer_begin(x, item, attempt, t_first);
    void *slot = rpx_host_acquire(x->c, rpx_work_url(x->c->w, item));
    CURLcode rc = rpx_stop ? CURLE_ABORTED_BY_CALLBACK : curl_easy_perform(x->h);
    rpx_host_release(x->c, slot);
    double delay = 0;
    if (rpx_xfer_end(x, rc, &delay) != RPX_RETRY)
      break;
    run_sleep(delay);
    if (rpx_stop)
      break;
  }
  rpx_progress(x->c, 0);
}

/* Hand out items until none is left; used by serial and by each thread. */
static int run_blocking_worker(struct rpx_ctx *c)
{
  CURL *h = curl_easy_init();
  struct rpx_xfer x;
  if (h == NULL || rpx_easy_setup(h, &x, c) != 0) {
    if (h == NULL)
      err_msg("libcurl: cannot create a handle");
    curl_easy_cleanup(h);
    return -1;
  }
  while (!rpx_stop) {
    uint64_t item = __atomic_fetch_add(&c->next, 1, __ATOMIC_RELAXED);
    if (item >= c->w->n)
      break;
    if (c->w->skip == NULL || c->w->skip[item] == NULL)
      run_fetch_blocking(&x, item);
  }
  curl_easy_cleanup(h);
  curl_slist_free_all(x.hdrs);
  rpx_sha256_free(&x.sha);
  return 0;
}

static int run_threads(struct rpx_ctx *c, int team)
{
  int failed = 0;
#pragma omp parallel num_threads(team) reduction(| : failed)
  failed |= run_blocking_worker(c) != 0;
  return failed ? -1 : 0;
}

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

static int run_async(struct rpx_ctx *c, int jobs)
{
  CURLM *m = curl_multi_init();
  struct rpx_xfer *xs = calloc((size_t)jobs, sizeof *xs);
  int *freel = malloc((size_t)jobs * sizeof *freel);
  size_t npend = 0, cap_pend = 2 * (size_t)jobs; /* grows if retries pile up */
  struct run_pending *pend = malloc(cap_pend * sizeof *pend);
  int nfree = 0, status = 0;
  if (m == NULL || xs == NULL || freel == NULL || pend == NULL) {
    err_msg("out of memory or libcurl multi handle unavailable");
    status = -1;
    goto out;
  }
  /* Keep one idle connection per slot so every transfer finds one to reuse. */
  curl_multi_setopt(m, CURLMOPT_MAXCONNECTS, (long)jobs);
  /* HTTP/2 streams share a connection (CURLPIPE_MULTIPLEX); with --per-host
   * each transfer has its own, so that capping a host's connections
   * (transfers over the cap wait inside libcurl) caps its transfers. */
  curl_multi_setopt(m, CURLMOPT_PIPELINING,
                    c->o->per_host > 0 ? (long)CURLPIPE_NOTHING : (long)CURLPIPE_MULTIPLEX);
  if (c->o->per_host > 0)
    curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, (long)c->o->per_host);
  for (int i = 0; i < jobs; i++) {
    CURL *h = curl_easy_init();
    if (h == NULL || rpx_easy_setup(h, &xs[i], c) != 0) {
      curl_easy_cleanup(h);
      xs[i].h = NULL;
      status = -1;
      goto out;
    }
    freel[nfree++] = i;
  }
  int in_flight = 0;
  while (!rpx_stop) {
    double now = timer_now();
    uint64_t item;
    int attempt;
    double t_first;
    while (nfree > 0 && run_async_next(c, pend, &npend, now, &item, &attempt, &t_first)) {
      struct rpx_xfer *x = &xs[freel[--nfree]];
      rpx_xfer_begin(x, item, attempt, t_first);
      curl_multi_add_handle(m, x->h);
      in_flight++;
    }
    if (in_flight == 0 && npend == 0)
      break;
    int running = 0, freed = 0, left = 0;
    CURLMcode mc = curl_multi_perform(m, &running);
    if (mc != CURLM_OK) {
      err_msg("libcurl: %s", curl_multi_strerror(mc));
      status = -1;
      break;
    }
    CURLMsg *msg;
    while ((msg = curl_multi_info_read(m, &left)) != NULL) {
      if (msg->msg != CURLMSG_DONE)
        continue;
      struct rpx_xfer *x = NULL;
      CURLcode rc = msg->data.result;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
      curl_multi_remove_handle(m, x->h);
      in_flight--;
      double delay = 0;
      if (rpx_xfer_end(x, rc, &delay) == RPX_RETRY) {
        if (npend == cap_pend) {
          struct run_pending *more = realloc(pend, 2 * cap_pend * sizeof *pend);
          if (more == NULL) {
            err_msg("out of memory");
            rpx_stop = 1;
            break;
          }
          pend = more;
          cap_pend *= 2;
        }
        pend[npend++] =
            (struct run_pending){x->item, x->attempt + 1, timer_now() + delay, x->t_first};
      }
      freel[nfree++] = (int)(x - xs);
      freed = 1;
    }
    rpx_progress(c, 0);
    if (in_flight == 0 && npend == 0 && c->next >= c->w->n)
      break;
    if (freed && c->next < c->w->n)
      continue; /* refill the free slots at once */
    mc = curl_multi_poll(m, NULL, 0, run_async_wait_ms(pend, npend, nfree, timer_now()), NULL);
    if (mc != CURLM_OK) {
      err_msg("libcurl: %s", curl_multi_strerror(mc));
      status = -1;
      break;
    }
  }
out:
  if (xs != NULL) {
    /* Interrupted or failed: abort what is in flight, leave no .part. */
    for (int i = 0; i < jobs; i++) {
      if (xs[i].h == NULL)
        continue;
      int idle = 0;
      for (int k = 0; k < nfree && !idle; k++)
        idle = freel[k] == i;
      if (!idle) {
        curl_multi_remove_handle(m, xs[i].h);
        rpx_xfer_drop(&xs[i]);
      }
      curl_easy_cleanup(xs[i].h);
      curl_slist_free_all(xs[i].hdrs);
      rpx_sha256_free(&xs[i].sha);
    }
  }
  curl_multi_cleanup(m);
  free(pend);
  free(freel);
  free(xs);
  return status;
}

/* mkdir -p */
static int run_make_dir(const char *path)
{
  char buf[4096];
  if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
    errno = ENAMETOOLONG;
    return -1;
  }
  for (char *p = buf + 1; *p; p++) {
    if (*p != '/')
      continue;
    *p = '\0';
    if (mkdir(buf, 0777) != 0 && errno != EEXIST)
      return -1;
    *p = '/';
  }
  if (mkdir(buf, 0777) != 0 && errno != EEXIST)
    return -1;
  return 0;
}

int rpx_run(const struct rpx_opts *o, const struct rpx_work *w, uint64_t stream, int progress,
            struct rpx_out *out, struct rpx_stats *st)
{
  struct rpx_ctx c;
  memset(&c, 0, sizeof c);
  memset(st, 0, sizeof *st);
  st->requested = w->n;
  c.o = o;
  c.w = w;
  c.out = out;
  c.hash = o->manifest != NULL || o->names == RPX_NAMES_SHA256; /* else no digest at all */
  c.st.requested = w->n;
  for (uint64_t i = 0; w->skip != NULL && i < w->n; i++)
    if (w->skip[i] != NULL) {
      out->result[i] = RPX_R_SKIPPED;
      c.st.skipped++;
    }
  st->skipped = c.st.skipped;
  st->not_done = w->n - c.st.skipped; /* if the run cannot start */
  if (run_make_dir(o->out) != 0) {
    err_sys("%s: cannot create folder", o->out);
    return -1;
  }
  c.dirfd = open(o->out, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (c.dirfd < 0) {
    err_sys("%s", o->out);
    return -1;
  }
  uint64_t seed = o->seed;
  if (!o->have_seed && getrandom(&seed, sizeof seed, 0) != (ssize_t)sizeof seed)
    seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
  c.name_seed = rng_at(seed, stream);
  c.bar = progress && !o->quiet && isatty(STDERR_FILENO);
  c.out_shown = esc_dup(o->out);
  if (c.out_shown == NULL || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    err_msg(c.out_shown ? "libcurl: global initialisation failed" : "out of memory");
    free(c.out_shown);
    close(c.dirfd);
    return -1;
  }
  pthread_mutex_init(&c.lock, NULL);
  pthread_mutex_init(&c.host_lock, NULL);
  pthread_cond_init(&c.host_free, NULL);
  msglimit_init(&c.notes, RPX_NOTES_PER_KIND);

  int status = 0;
  uint64_t n = w->n;
  int jobs = o->jobs, team = o->threads > 0 ? o->threads : o->jobs;
  c.t0 = timer_now();
  c.last_bar = c.t0 - 1.0; /* draw at the first completion */
  if (n > c.st.skipped) {
    switch (o->mode) {
    case RPX_SERIAL:
      status = run_blocking_worker(&c);
      break;
    case RPX_THREADS:
      status = run_threads(&c, (uint64_t)team > n ? (int)n : team);
      break;
    case RPX_ASYNC:
      /* File creation off the one thread, where files are unnamed at first. */
      if (!o->resume) {
        int probe = openat(c.dirfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
        if (probe >= 0) {
          close(probe);
          c.pool = rpx_fdpool_start(c.dirfd, jobs < 4 ? 8 : 2 * jobs);
        }
      }
      status = run_async(&c, (uint64_t)jobs > n ? (int)n : jobs);
      rpx_fdpool_stop(c.pool);
      c.pool = NULL;
      break;
    }
  }
  c.st.seconds = timer_now() - c.t0;
  rpx_progress(&c, 1);
  msglimit_summary(&c.notes);
  c.st.not_done = n - c.st.ok - c.st.failed - c.st.skipped;
  c.st.signal = rpx_stop;
  *st = c.st;
  curl_global_cleanup();
  msglimit_destroy(&c.notes);
  pthread_mutex_destroy(&c.lock);
  rpx_hosts_free(&c);
  pthread_mutex_destroy(&c.host_lock);
  pthread_cond_destroy(&c.host_free);
  free(c.out_shown);
  close(c.dirfd);
  return status;
}
