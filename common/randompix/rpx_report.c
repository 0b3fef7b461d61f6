/* randompix: what a run reports: the progress line while it runs, the
 * summary and the JSON object at the end, and the exit status. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "affinity.h"
#include "errors.h"
#include "json.h"
#include "report.h"
#include "rpx_int.h"
#include "timer.h"

int rpx_exit_code(const struct rpx_stats *st)
{
  if (st->not_done > 0) /* 1 = stopped without a signal (out of memory, a libcurl error) */
    return st->signal > 1 ? 128 + st->signal : EXIT_FAIL;
  return st->failed == 0 ? EXIT_OK : EXIT_FAIL;
}

/* The members of the record's "options" (docs/json.md). malloc()ed, or NULL. */
static char *rpx_options_json(const struct rpx_opts *o)
{
  struct json_members m;
  json_begin(&m);
  json_str(&m, "mode", rpx_mode_names[o->mode]);
  json_int(&m, "jobs", o->jobs);
  json_str(&m, "url", o->url);
  json_u64_or_null(&m, "count", o->list == NULL, o->count);
  json_str(&m, "list", o->list);
  json_str(&m, "out", o->out);
  json_int(&m, "retries", o->retries);
  json_num(&m, "retry_delay", o->retry_delay);
  json_num(&m, "timeout", o->timeout);
  json_num(&m, "connect_timeout", o->connect_timeout);
  json_u64(&m, "max_size", o->max_size);
  json_bool(&m, "any_type", o->any_type);
  json_u64_or_null(&m, "seed", o->have_seed, o->seed);
  json_str(&m, "names", rpx_names_names[o->names]);
  json_str(&m, "manifest", o->manifest);
  json_str(&m, "failed", o->failed);
  json_bool(&m, "skip_existing", o->skip_existing);
  json_bool(&m, "resume", o->resume);
  json_int(&m, "per_host", o->per_host);
  json_u64(&m, "rate", o->rate);
  return json_end(&m);
}

void rpx_print_summary(const char *prog, const struct rpx_opts *o, const struct rpx_stats *st,
                       int ranks, const char *binding)
{
  double s = st->seconds > 0 ? st->seconds : 1e-9;
  double rate = (double)st->ok / s, mbs = (double)st->bytes / 1e6 / s;
  if (st->not_done > 0)
    fprintf(stderr, "%s: interrupted: %llu not fetched\n", prog, (unsigned long long)st->not_done);
  fprintf(stderr,
          "%s: ok %llu, failed %llu, retried %llu, %llu bytes in %.3f s: %.1f images/s, "
          "%.2f MB/s; requested %llu = %llu saved + %llu failed + %llu skipped + %llu not "
          "fetched\n",
          prog, (unsigned long long)st->ok, (unsigned long long)st->failed,
          (unsigned long long)st->retried, (unsigned long long)st->bytes, st->seconds, rate, mbs,
          (unsigned long long)st->requested, (unsigned long long)st->ok,
          (unsigned long long)st->failed, (unsigned long long)st->skipped,
          (unsigned long long)st->not_done);
  if (!o->json)
    return;
  char extra[640];
  snprintf(extra, sizeof extra,
           "\"ok\":%llu,\"failed\":%llu,\"retried\":%llu,\"not_done\":%llu,\"bytes\":%llu,"
           "\"mb_per_s\":%.6g,\"requested\":%llu,\"skipped\":%llu,\"interrupted\":%s,"
           "\"exit\":%d",
           (unsigned long long)st->ok, (unsigned long long)st->failed,
           (unsigned long long)st->retried, (unsigned long long)st->not_done,
           (unsigned long long)st->bytes, mbs, (unsigned long long)st->requested,
           (unsigned long long)st->skipped, st->signal ? "true" : "false", rpx_exit_code(st));
  char *options = rpx_options_json(o);
  char *mine = NULL, *own = NULL;
  if (binding == NULL && (mine = affinity_binding(0, 1)) != NULL &&
      (own = malloc(strlen(mine) + 3)) != NULL)
    sprintf(own, "[%s]", mine); /* one entry: the transfers run on no OpenMP team */
  int threads = o->mode == RPX_THREADS ? (o->threads > 0 ? o->threads : o->jobs) : 1;
  struct report r = {
      .program = prog,
      .variant = rpx_mode_names[o->mode],
      .threads = threads,
      .ranks = ranks,
      .n = st->ok,
      .seconds = &st->seconds,
      .repeat = 1,
      .rate_unit = "images/s",
      .verified = rpx_exit_code(st) == EXIT_OK ? REPORT_PASSED : REPORT_FAILED,
      .extra_json = extra,
      .timed = "run",
      .options = options,
      .binding = binding != NULL ? binding : own,
  };
  report_print(&r, report_json_dest(1, 1)); /* the saved paths are on stdout */
  free(options);
  free(mine);
  free(own);
}

/* n bytes as "512 B", "12.3 kB", "25.0 MB", "1.20 GB". */
static void report_bytes(char *buf, size_t cap, double n)
{
  if (n < 1e3)
    snprintf(buf, cap, "%.0f B", n);
  else if (n < 1e6)
    snprintf(buf, cap, "%.1f kB", n / 1e3);
  else if (n < 1e9)
    snprintf(buf, cap, "%.1f MB", n / 1e6);
  else
    snprintf(buf, cap, "%.2f GB", n / 1e9);
}

void rpx_progress(struct rpx_ctx *c, int final)
{
  if (!c->bar)
    return;
  if (final) {
    pthread_mutex_lock(&c->lock);
  } else if (pthread_mutex_trylock(&c->lock) != 0) {
    return;
  }
  double now = timer_now();
  if (final) {
    fputs("\r\033[K", stderr);
  } else if (now - c->last_bar >= 0.1) {
    c->last_bar = now;
    uint64_t ok = __atomic_load_n(&c->st.ok, __ATOMIC_RELAXED);
    uint64_t bad = __atomic_load_n(&c->st.failed, __ATOMIC_RELAXED);
    /* saved files and the bytes of the transfers still running */
    uint64_t bytes = __atomic_load_n(&c->st.bytes, __ATOMIC_RELAXED) +
                     __atomic_load_n(&c->inflight, __ATOMIC_RELAXED);
    uint64_t n = c->w->n, skipped = c->st.skipped, done = ok + bad + skipped;
    char bar[25], got[32], rate[32], eta[32] = "ETA --", sk[48] = "";
    if (skipped > 0)
      snprintf(sk, sizeof sk, ", %llu skipped", (unsigned long long)skipped);
    int fill = n ? (int)(24 * done / n) : 24;
    for (int i = 0; i < 24; i++)
      bar[i] = i < fill ? '#' : '.';
    bar[24] = '\0';
    double dt = now - c->t0, fetched = (double)(ok + bad);
    report_bytes(got, sizeof got, (double)bytes);
    report_bytes(rate, sizeof rate, dt > 0 ? (double)bytes / dt : 0.0);
    if (fetched > 0 && dt > 0) {
      double left = (double)(n - done) * dt / fetched;
      snprintf(eta, sizeof eta, "ETA %d:%02d", (int)(left / 60), (int)left % 60);
    }
    fprintf(stderr, "\r[%s] %llu/%llu done, %llu failed%s  %s  %s/s  %.0f images/s  %s\033[K", bar,
            (unsigned long long)done, (unsigned long long)n, (unsigned long long)bad, sk, got, rate,
            dt > 0 ? (double)ok / dt : 0.0, eta);
  }
  pthread_mutex_unlock(&c->lock);
}
