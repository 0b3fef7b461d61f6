/* randompix: the verdict on a finished attempt - saved, retried after a
 * backoff, or given up with a reason - and the one place that decides what
 * is worth retrying. Shared by the serial, threads and async engines. */
#include "rpx_int.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "errors.h"
#include "escape.h"
#include "rng.h"
#include "rpx_mline.h"
#include "timer.h"

#define RPX_BACKOFF_CAP     30.0 /* longest computed backoff, seconds */
#define RPX_RETRY_AFTER_CAP 60.0 /* longest Retry-After honoured, seconds */

/* A message about item i, pointing at the list line or the URL: the first
 * 20 of each kind only (c->notes), a count of the rest at the end. */
static void verdict_report(const struct rpx_xfer *x, const char *kind, const char *a, const char *b)
{
  const struct rpx_work *w = x->c->w;
  const char *url = rpx_work_url(w, x->item);
  if (!msglimit_take(&x->c->notes, kind))
    return;
  if (w->urls != NULL)
    err_at(w->list_name, w->lines[x->item], "%s: %s%s", url, a, b);
  else
    err_at(url, 0, "%s%s", a, b);
}

static int verdict_retryable(CURLcode rc)
{
  switch (rc) {
  case CURLE_OPERATION_TIMEDOUT: /* timeouts */
  case CURLE_GOT_NOTHING:        /* connection closed before an answer */
  case CURLE_SEND_ERROR:         /* resets */
  case CURLE_RECV_ERROR:
  case CURLE_PARTIAL_FILE: /* body shorter than its Content-Length */
  case CURLE_HTTP2:
  case CURLE_HTTP2_STREAM:
    return 1;
  default:
    return 0;
  }
}

/* An answer whose headers are over libcurl's limits: asking again gets the
 * same headers. libcurl 7.88 refuses a header line over 100 KB
 * (CURL_MAX_HTTP_HEADER) with CURLE_OUT_OF_MEMORY, once the status line is
 * in and before any body byte (nothing else allocates there), and more than
 * 300 KB of headers with CURLE_RECV_ERROR "Too large response headers";
 * 8.6 and later say CURLE_TOO_LARGE for both. */
static int verdict_header_too_large(const struct rpx_xfer *x, CURLcode rc, long code)
{
#if LIBCURL_VERSION_NUM >= 0x080600
  if (rc == CURLE_TOO_LARGE)
    return 1;
#endif
  if (rc == CURLE_OUT_OF_MEMORY)
    return code > 0 && !x->started;
  return rc == CURLE_RECV_ERROR && strncmp(x->errbuf, "Too large response headers", 26) == 0;
}

static double verdict_backoff(struct rpx_xfer *x, long code)
{
  struct rpx_ctx *c = x->c;
  double d = c->o->retry_delay;
  for (int i = 0; i < x->attempt && d < RPX_BACKOFF_CAP; i++)
    d *= 2.0;
  if (d > RPX_BACKOFF_CAP)
    d = RPX_BACKOFF_CAP;
  /* "Equal jitter": between half and all of the exponential delay, so that
   * transfers failing together do not come back together. */
  uint64_t k = __atomic_fetch_add(&c->jitter_ctr, 1, __ATOMIC_RELAXED);
  d *= 0.5 + 0.5 * rng_unit_at(c->name_seed ^ 0x6a09e667f3bcc908ULL, k);
  if (code == 429 || code == 503) {
    curl_off_t ra = -1;
    if (curl_easy_getinfo(x->h, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0)
      d = (double)ra < RPX_RETRY_AFTER_CAP ? (double)ra : RPX_RETRY_AFTER_CAP;
  }
  return d;
}

/* Put the outcome of x's item in the manifest. */
static void verdict_record(struct rpx_xfer *x, enum rpx_result res, const char *path,
                           const char *sha, const char *error)
{
  char *final = NULL;
  long code = 0;
  curl_easy_getinfo(x->h, CURLINFO_EFFECTIVE_URL, &final);
  curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &code);
  struct rpx_rec r = {.result = res,
                      .final_url = final ? final : "",
                      .status = code,
                      .path = path,
                      .bytes = res == RPX_R_SAVED ? x->prefix + x->bytes : 0,
                      .sha256 = sha,
                      .attempts = x->attempt + 1,
                      .seconds = timer_now() - x->t_first,
                      .error = error};
  rpx_record(x->c, x->item, &r);
}

static void verdict_saved(struct rpx_xfer *x, const char *sha)
{
  struct rpx_ctx *c = x->c;
  if (c->out->journal != NULL) {
    char path[4200];
    if (strcmp(c->o->out, ".") == 0)
      snprintf(path, sizeof path, "%s", x->name);
    else
      snprintf(path, sizeof path, "%s/%s", c->o->out, x->name);
    verdict_record(x, RPX_R_SAVED, path, sha, "");
  } else {
    c->out->result[x->item] = RPX_R_SAVED;
  }
  __atomic_fetch_add(&c->st.ok, 1, __ATOMIC_RELAXED);
  __atomic_fetch_add(&c->st.bytes, x->prefix + x->bytes, __ATOMIC_RELAXED);
  /* the saved path is the result line: --json never takes its place */
  pthread_mutex_lock(&c->lock);
  if (c->bar)
    fputs("\r\033[K", stderr); /* keep the bar off the names on a shared terminal */
  char shown[sizeof x->name * ESC_GROWTH];
  esc_str(shown, sizeof shown, x->name); /* a remote name is clean, but stay safe */
  if (strcmp(c->o->out, ".") == 0)
    printf("%s\n", shown);
  else
    printf("%s/%s\n", c->out_shown, shown);
  pthread_mutex_unlock(&c->lock);
}

/* The reason (and its kind) for an answer that is not a saved file; sets
 * *retry when another attempt may succeed. Returns 1 if the file was saved
 * instead. */
static int verdict_judge(struct rpx_xfer *x, CURLcode rc, long code, char *reason, size_t cap,
                         char *kind, size_t kcap, int *retry)
{
  const struct rpx_opts *o = x->c->o;
  int is_2xx = code >= 200 && code < 300;
  if ((x->discard && rc == CURLE_WRITE_ERROR) || (rc == CURLE_FILESIZE_EXCEEDED && !is_2xx))
    rc = CURLE_OK; /* a long error page, cut short: judge it by its status */
  if (rc == CURLE_OK && is_2xx) {
    curl_off_t cl = -1;
    curl_easy_getinfo(x->h, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl);
    if (x->fd < 0) {
      snprintf(reason, cap, "empty body (HTTP %ld)", code);
      snprintf(kind, kcap, "empty body");
    } else if (cl >= 0 && (uint64_t)cl != x->bytes) {
      snprintf(reason, cap, "body of %llu bytes but Content-Length %lld",
               (unsigned long long)x->bytes, (long long)cl);
      snprintf(kind, kcap, "body shorter than its Content-Length");
      *retry = 1;
    } else {
      if (x->c->hash) /* before the name: --names sha256 needs it */
        rpx_sha256_hex(&x->sha, x->sha_hex);
      else
        x->sha_hex[0] = '\0';
      if (rpx_xfer_commit(x) == 0) {
        verdict_saved(x, x->sha_hex);
        return 1;
      }
      snprintf(reason, cap, "%s", x->why);
      snprintf(kind, kcap, "%s", x->kind ? x->kind : "cannot write the file");
    }
  } else if (rc == CURLE_OK && (code < 100 || code > 599)) {
    snprintf(reason, cap, "HTTP %ld is not a valid status (100-599)", code);
    snprintf(kind, kcap, "invalid HTTP status");
  } else if (rc == CURLE_OK) {
    snprintf(reason, cap, "HTTP %ld", code);
    snprintf(kind, kcap, "HTTP %ld", code);
    *retry = code == 429 || code == 408 || code >= 500;
  } else if (x->why[0] != '\0') {
    snprintf(reason, cap, "%s", x->why); /* refused by a callback */
    snprintf(kind, kcap, "%s", x->kind ? x->kind : "refused");
  } else if (rc == CURLE_FILESIZE_EXCEEDED) {
    snprintf(reason, cap, "body larger than --max-size (%llu bytes)",
             (unsigned long long)o->max_size);
    snprintf(kind, kcap, "body larger than --max-size");
  } else if (verdict_header_too_large(x, rc, code)) {
    snprintf(reason, cap,
             "response header too large (libcurl takes lines of 100 KB and "
             "300 KB in all)");
    snprintf(kind, kcap, "response header too large");
  } else {
    snprintf(reason, cap, "%s", x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc));
    snprintf(kind, kcap, "%s", curl_easy_strerror(rc)); /* errbuf varies: times, ports */
    *retry = verdict_retryable(rc);
  }
  return 0;
}

enum rpx_outcome rpx_xfer_end(struct rpx_xfer *x, CURLcode rc, double *delay)
{
  const struct rpx_opts *o = x->c->o;
  long code = 0;
  char reason[CURL_ERROR_SIZE + 600], kind[MSGLIMIT_KIND_LEN];
  int retry = 0;
  curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &code);
  rpx_xfer_unshow(x);
  rpx_writer_wait(x->c->writer, x); /* async: the body's last pieces (rpx_writer.c) */
  if (x->wq_errno != 0 && x->why[0] == '\0') {
    rpx_xfer_write_failed(x, x->wq_errno); /* a write on the writer thread failed */
    rc = CURLE_WRITE_ERROR;
  }
  if (rc != CURLE_OK && rpx_stop) {
    rpx_xfer_drop(x);
    return RPX_STOPPED;
  }
  if (verdict_judge(x, rc, code, reason, sizeof reason, kind, sizeof kind, &retry))
    return RPX_SAVED;
  if (o->resume && (x->restart || (code == 416 && x->prefix > 0))) {
    /* The .part cannot be continued: drop it and ask for all of it, now
     * (this does not use up a retry: the next attempt has no Range). */
    x->restart = 1;
    rpx_xfer_drop(x);
    unlinkat(x->c->dirfd, x->part, 0);
    if (!o->quiet)
      verdict_report(x, "resume refused", reason[0] ? reason : "HTTP 416", "; starting over");
    *delay = 0;
    return RPX_RETRY;
  }
  rpx_xfer_drop(x);
  if (retry && rpx_stop)
    return RPX_STOPPED;
  if (retry && x->attempt < o->retries) {
    *delay = verdict_backoff(x, code);
    __atomic_fetch_add(&x->c->st.retried, 1, __ATOMIC_RELAXED);
    if (!o->quiet) {
      char note[96], rkind[MSGLIMIT_KIND_LEN + 8];
      snprintf(note, sizeof note, "; retry %d of %d in %.2f s", x->attempt + 1, o->retries, *delay);
      snprintf(rkind, sizeof rkind, "retry: %s", kind);
      verdict_report(x, rkind, reason, note);
    }
    return RPX_RETRY;
  }
  char note[64] = "";
  if (retry)
    snprintf(note, sizeof note, " (gave up after %d attempts)", x->attempt + 1);
  verdict_report(x, kind, reason, note);
  char error[sizeof reason + sizeof note];
  snprintf(error, sizeof error, "%s%s", reason, note);
  verdict_record(x, RPX_R_FAILED, "", "", error);
  __atomic_fetch_add(&x->c->st.failed, 1, __ATOMIC_RELAXED);
  return RPX_FAILED;
}
