/* randompix --resume: a .part file left by a cut-short attempt or run is
 * continued with a Range request, and the answer is trusted only when it
 * continues exactly that file: a 206 whose Content-Range starts at the
 * .part's size, with the same ETag (or Last-Modified) as the answer the
 * .part began with, when that was known (kept in an extended attribute of
 * the .part; If-Range asks the server to send everything when it changed).
 * A 200 starts the file over; any other 206 (or a 416) drops the .part and
 * asks again without a Range. With --resume the .part is named (the name
 * from the URL + ".part", so the next run finds it), never unnamed. */
#include "rpx_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#define RESUME_XATTR "user.randompix.validator" /* "E<etag>" or "L<last-modified>" */

void rpx_resume_begin(struct rpx_xfer *x)
{
  struct rpx_ctx *c = x->c;
  x->prefix = 0;
  x->restart = 0;
  if (!c->o->resume)
    return;
  curl_slist_free_all(x->hdrs);
  x->hdrs = NULL;
  curl_easy_setopt(x->h, CURLOPT_RANGE, NULL);
  curl_easy_setopt(x->h, CURLOPT_HTTPHEADER, NULL);
  snprintf(x->part, sizeof x->part, "%s.part", c->w->names[x->item]);
  int fd = openat(c->dirfd, x->part, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  struct stat sb;
  if (fd < 0)
    return;
  if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0) {
    char v[512], line[600], range[32];
    ssize_t n = fgetxattr(fd, RESUME_XATTR, v, sizeof v - 1);
    x->prefix = (uint64_t)sb.st_size;
    /* CURLOPT_RANGE, not RESUME_FROM: libcurl then hands over a 200 (the
     * whole body) instead of failing the transfer, and it starts over. */
    snprintf(range, sizeof range, "%llu-", (unsigned long long)x->prefix);
    curl_easy_setopt(x->h, CURLOPT_RANGE, range);
    if (n > 1) {
      v[n] = '\0';
      snprintf(line, sizeof line, "If-Range: %s", v + 1);
      x->hdrs = curl_slist_append(NULL, line);
      curl_easy_setopt(x->h, CURLOPT_HTTPHEADER, x->hdrs);
    }
  }
  close(fd);
}

/* The value of header `name` in the answer, or NULL. */
static const char *resume_header(CURL *h, const char *name)
{
  struct curl_header *hd = NULL;
  return curl_easy_header(h, name, 0, CURLH_HEADER, -1, &hd) == CURLHE_OK ? hd->value : NULL;
}

/* Whether a 206 continues the .part: Content-Range starts at its size and
 * the validator it began with, if known, is unchanged. */
static int resume_matches(struct rpx_xfer *x, int fd)
{
  const char *cr = resume_header(x->h, "Content-Range");
  unsigned long long first = 0, last = 0;
  if (cr == NULL || sscanf(cr, "bytes %llu-%llu/", &first, &last) != 2 || first != x->prefix ||
      last < first)
    return 0;
  char v[512];
  ssize_t n = fgetxattr(fd, RESUME_XATTR, v, sizeof v - 1);
  if (n > 1) {
    v[n] = '\0';
    const char *now = resume_header(x->h, v[0] == 'E' ? "ETag" : "Last-Modified");
    if (now != NULL && strcmp(now, v + 1) != 0)
      return 0;
  }
  return 1;
}

/* The validator of this answer onto a .part begun with it: a strong ETag,
 * else Last-Modified (If-Range takes no weak ETag). */
static void resume_remember(struct rpx_xfer *x, int fd)
{
  char v[512];
  const char *etag = resume_header(x->h, "ETag"), *lm = resume_header(x->h, "Last-Modified");
  if (etag != NULL && strncmp(etag, "W/", 2) != 0)
    snprintf(v, sizeof v, "E%s", etag);
  else if (lm != NULL)
    snprintf(v, sizeof v, "L%s", lm);
  else
    return;
  if (fsetxattr(fd, RESUME_XATTR, v, strlen(v), 0) != 0)
    (void)0; /* no extended attributes here: the Content-Range check alone */
}

/* Feed the .part's first x->prefix bytes to the digest. */
static int resume_hash_prefix(struct rpx_xfer *x, int fd)
{
  if (!x->c->hash)
    return 0;
  char buf[65536];
  for (uint64_t at = 0; at < x->prefix;) {
    size_t want = x->prefix - at < sizeof buf ? (size_t)(x->prefix - at) : sizeof buf;
    ssize_t n = pread(fd, buf, want, (off_t)at);
    if (n <= 0)
      return -1;
    rpx_sha256_update(&x->sha, buf, (size_t)n);
    at += (uint64_t)n;
  }
  return 0;
}

int rpx_resume_open(struct rpx_xfer *x)
{
  struct rpx_ctx *c = x->c;
  long code = 0;
  curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &code);
  int cont = code == 206 && x->prefix > 0;
  x->fd = openat(c->dirfd, x->part, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (x->fd < 0) {
    snprintf(x->why, sizeof x->why, "%s/%s: %s", c->o->out, x->part, strerror(errno));
    x->kind = "cannot write the file";
    return -1;
  }
  if (code == 206 && !cont) { /* never asked for a range: not to be trusted */
    snprintf(x->why, sizeof x->why, "a 206 answer to a request without a Range");
    x->kind = "resume refused";
    return -1;
  }
  if (cont && !resume_matches(x, x->fd)) {
    snprintf(x->why, sizeof x->why,
             "a 206 answer that does not continue %s (Content-Range or validator): starting over",
             x->part);
    x->kind = "resume refused";
    x->restart = 1;
    return -1;
  }
  if (cont) { /* append to what is there */
    if (lseek(x->fd, (off_t)x->prefix, SEEK_SET) < 0 || resume_hash_prefix(x, x->fd) != 0) {
      snprintf(x->why, sizeof x->why, "%s/%s: cannot read it back", c->o->out, x->part);
      x->kind = "cannot write the file";
      return -1;
    }
    return 0;
  }
  x->prefix = 0; /* a 200: the whole body again, from the start */
  if (ftruncate(x->fd, 0) != 0) {
    snprintf(x->why, sizeof x->why, "%s/%s: %s", c->o->out, x->part, strerror(errno));
    x->kind = "cannot write the file";
    return -1;
  }
  fremovexattr(x->fd, RESUME_XATTR);
  resume_remember(x, x->fd);
  return 0;
}

void rpx_resume_forget(int fd)
{
  fremovexattr(fd, RESUME_XATTR);
}
