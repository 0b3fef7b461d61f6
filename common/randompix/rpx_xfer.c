/* randompix: one transfer attempt, from the first byte of the body to the
 * verdict. Shared by the serial, threads and async engines. */
#include "rpx_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errors.h"
#include "fd_write.h"
#include "timer.h"

#define RPX_MAX_REDIRS  10L
#define RPX_DISCARD_MAX (1u << 20) /* longest error page read to keep a connection */

/* File extension (with the dot) for a Content-Type, or NULL when the type is
 * not saved (not an image and no --any-type). */
static const char *xfer_extension(const char *ct, int any_type)
{
  static const struct {
    const char *type, *ext;
  } known[] = {
      {"image/jpeg", ".jpg"},  {"image/jpg", ".jpg"},    {"image/pjpeg", ".jpg"},
      {"image/png", ".png"},   {"image/gif", ".gif"},    {"image/webp", ".webp"},
      {"image/avif", ".avif"}, {"image/bmp", ".bmp"},    {"image/svg+xml", ".svg"},
      {"image/tiff", ".tif"},  {"image/x-icon", ".ico"}, {"image/vnd.microsoft.icon", ".ico"},
      {"text/html", ".html"},  {"text/plain", ".txt"},   {"application/json", ".json"},
  };
  char mt[80];
  size_t len = 0;
  if (ct != NULL) {
    while (*ct == ' ' || *ct == '\t')
      ct++;
    while (ct[len] != '\0' && ct[len] != ';' && ct[len] != ' ' && len + 1 < sizeof mt) {
      mt[len] = ct[len];
      len++;
    }
  }
  mt[len] = '\0';
  int image = strncasecmp(mt, "image/", 6) == 0 && mt[6] != '\0';
  if (!image && !any_type)
    return NULL;
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
    if (strcasecmp(mt, known[i].type) == 0)
      return known[i].ext;
  return image ? ".img" : ".bin";
}

/* The first body bytes of an answer: decide whether to keep them. */
static int xfer_first_bytes(struct rpx_xfer *x)
{
  long code = 0;
  char *ct = NULL;
  curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &code);
  if (code < 200 || code >= 300) {
    x->discard = 1;
    return 0;
  }
  curl_easy_getinfo(x->h, CURLINFO_CONTENT_TYPE, &ct);
  const char *ext = xfer_extension(ct, x->c->o->any_type);
  if (ext == NULL) {
    snprintf(x->why, sizeof x->why, "not an image (Content-Type: %s)", ct ? ct : "none");
    x->kind = "not an image";
    x->fatal = 1;
    return -1;
  }
  if (x->c->hash)
    rpx_sha256_init(&x->sha);
  if (rpx_xfer_open_file(x, ext) != 0) {
    x->fatal = 1;
    return -1;
  }
  return 0;
}

void rpx_xfer_write_failed(struct rpx_xfer *x, int err)
{
  snprintf(x->why, sizeof x->why, "%s/%s: %s", x->c->o->out, x->part[0] ? x->part : x->name,
           strerror(err));
  x->kind = "cannot write the file";
  x->fatal = 1;
}

static size_t xfer_on_write(char *ptr, size_t size, size_t nmemb, void *arg)
{
  struct rpx_xfer *x = arg;
  size_t n = size * nmemb;
  uint64_t max = x->c->o->max_size;
  if (rpx_stop)
    return 0;
  if (!x->started) {
    x->started = 1;
    if (xfer_first_bytes(x) != 0)
      return 0;
  }
  if (x->discard) {
    /* An error page: drained to keep the connection, up to a limit. */
    x->bytes += n;
    return x->bytes > RPX_DISCARD_MAX ? 0 : n;
  }
  if (max > 0 && x->prefix + x->bytes + n > max) {
    snprintf(x->why, sizeof x->why, "body larger than --max-size (%llu bytes)",
             (unsigned long long)max);
    x->kind = "body larger than --max-size";
    x->fatal = 1;
    return 0;
  }
  int werr = __atomic_load_n(&x->wq_errno, __ATOMIC_RELAXED);
  if (werr != 0) { /* the writer thread could not write an earlier piece */
    rpx_xfer_write_failed(x, werr);
    return 0;
  }
  if (rpx_writer_wants(x->c->writer, x, n)) {
    if (rpx_writer_put(x->c->writer, x, ptr, n) != 0) {
      rpx_xfer_write_failed(x, ENOMEM);
      return 0;
    }
    x->bytes += n;
    goto taken;
  }
  x->bytes += n;
  if (fd_write_all(x->fd, ptr, n) != 0) {
    rpx_xfer_write_failed(x, errno);
    return 0;
  }
  if (x->c->hash)
    rpx_sha256_update(&x->sha, ptr, n);
taken:
  rpx_rate_take(x->c, n);
  x->shown += n;
  __atomic_fetch_add(&x->c->inflight, n, __ATOMIC_RELAXED);
  return n;
}

/* Called by libcurl at least once a second: lets an interrupt abort a
 * transfer that is waiting for a slow or silent server. */
static int xfer_on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                            curl_off_t ulnow)
{
  struct rpx_xfer *x = arg;
  (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
  if (rpx_stop)
    return 1;
  rpx_progress(x->c, 0); /* a long transfer shows its bytes as they come */
  return 0;
}

int rpx_easy_setup(CURL *h, struct rpx_xfer *x, struct rpx_ctx *c)
{
  const struct rpx_opts *o = c->o;
  memset(x, 0, sizeof *x);
  x->c = c;
  x->h = h;
  x->fd = -1;
  CURLcode rc = CURLE_OK;
#define SET(opt, val)                                                                              \
  do {                                                                                             \
    if (rc == CURLE_OK)                                                                            \
      rc = curl_easy_setopt(h, opt, val);                                                          \
  } while (0)
  SET(CURLOPT_WRITEFUNCTION, xfer_on_write);
  SET(CURLOPT_WRITEDATA, x);
  SET(CURLOPT_NOPROGRESS, 0L);
  SET(CURLOPT_XFERINFOFUNCTION, xfer_on_progress);
  SET(CURLOPT_XFERINFODATA, x);
  SET(CURLOPT_PRIVATE, x);
  SET(CURLOPT_ERRORBUFFER, x->errbuf);
  SET(CURLOPT_NOSIGNAL, 1L);
  SET(CURLOPT_FOLLOWLOCATION, 1L);
  SET(CURLOPT_MAXREDIRS, RPX_MAX_REDIRS);
  /* HTTP/2 where TLS negotiates it (ALPN), HTTP/1.1 in clear text: libcurl
   * 7.88 fails reused HTTP/2 prior-knowledge (h2c) connections. */
  SET(CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
  SET(CURLOPT_PROTOCOLS_STR, "http,https");
  SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  SET(CURLOPT_USERAGENT, "randompix/" CONCUR_VERSION);
  SET(CURLOPT_BUFFERSIZE, 65536L);
  if (o->timeout > 0)
    SET(CURLOPT_TIMEOUT_MS, (long)(o->timeout * 1000.0 + 0.5));
  if (o->connect_timeout > 0)
    SET(CURLOPT_CONNECTTIMEOUT_MS, (long)(o->connect_timeout * 1000.0 + 0.5));
  if (o->cacert != NULL)
    SET(CURLOPT_CAINFO, o->cacert);
  if (o->max_size > 0)
    SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_size);
#undef SET
  if (rc != CURLE_OK) {
    err_msg("libcurl: %s", curl_easy_strerror(rc));
    return -1;
  }
  return 0;
}

void rpx_xfer_begin(struct rpx_xfer *x, uint64_t item, int attempt, double t_first)
{
  x->item = item;
  x->attempt = attempt;
  x->t_first = t_first > 0 ? t_first : timer_now();
  x->fd = -1;
  x->started = x->discard = x->fatal = 0;
  x->wq_errno = x->wq_used = 0; /* wq_pending is 0: judged after it was */
  __atomic_store_n(&x->wq_finishing, 0, __ATOMIC_RELAXED); /* the writer may read it late */
  x->bytes = x->shown = 0;
  x->name[0] = x->part[0] = x->why[0] = x->errbuf[0] = '\0';
  x->kind = NULL;
  curl_easy_setopt(x->h, CURLOPT_URL, rpx_work_url(x->c->w, item));
  /* https: wait for a connection being set up that may multiplex this
   * transfer (HTTP/2) rather than open another; never for http, where one
   * answer that hangs would hold back the transfers waiting on it. */
  curl_easy_setopt(x->h, CURLOPT_PIPEWAIT,
                   strncasecmp(rpx_work_url(x->c->w, item), "https:", 6) == 0 ? 1L : 0L);
  rpx_resume_begin(x);
}

void rpx_xfer_unshow(struct rpx_xfer *x)
{
  __atomic_fetch_sub(&x->c->inflight, x->shown, __ATOMIC_RELAXED);
  x->shown = 0;
}

void rpx_xfer_drop(struct rpx_xfer *x)
{
  rpx_xfer_unshow(x);
  rpx_writer_wait(x->c->writer, x); /* no queued piece may outlive its file */
  if (x->fd >= 0) {
    close(x->fd);
    x->fd = -1;
    /* An unnamed file is gone with its descriptor; --resume keeps a .part
     * that holds bytes of a right answer, for the next attempt or run. */
    int keep = x->c->o->resume && !x->restart && x->prefix + x->bytes > 0;
    if (x->part[0] && !keep)
      unlinkat(x->c->dirfd, x->part, 0);
  }
}
