/* randompix engines: serial, threads (OpenMP) and async (curl multi). Each
 * hands out items, runs attempts through rpx_xfer.c and waits out retry
 * delays (async: rpx_async.c); an interrupt (rpx_stop) stops them within about a second. */
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
      status = rpx_run_async(&c, (uint64_t)jobs > n ? (int)n : jobs);
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
