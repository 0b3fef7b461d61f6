/* The line reader of lines.h: one buffer that holds the unread part of the
 * input; it grows only while a line is incomplete and at most `max` bytes
 * long, so no input makes it larger than about twice the limit. */
#include "lines.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LINES_BLOCK ((size_t)64 << 10)

void lines_from_fd(struct lines *r, int fd, const char *name, size_t max)
{
  memset(r, 0, sizeof *r);
  r->fd = fd;
  r->name = name;
  r->max = max;
}

int lines_open(struct lines *r, const char *path, size_t max)
{
  if (strcmp(path, "-") == 0) {
    lines_from_fd(r, 0, "<stdin>", max);
    return 0;
  }
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  lines_from_fd(r, fd, path, max);
  r->own_fd = 1;
  return 0;
}

void lines_close(struct lines *r)
{
  if (r->own_fd)
    close(r->fd);
  free(r->buf);
  memset(r, 0, sizeof *r);
  r->fd = -1;
}

/* Hand out s[0..len) as the next line. */
static enum lines_status lines_give(struct lines *r, struct lines_rec *rec, char *s, size_t len)
{
  s[len] = '\0';
  if (r->lineno == 0 && len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
    s += 3; /* a UTF-8 byte-order mark */
    len -= 3;
  }
  const char *nul = memchr(s, '\0', len);
  rec->s = s;
  rec->len = len;
  rec->no = ++r->lineno;
  rec->nul = nul ? (size_t)(nul - s) : LINES_NONE;
  return LINES_LINE;
}

static enum lines_status lines_too_long(struct lines *r, struct lines_rec *rec)
{
  rec->s = NULL;
  rec->len = 0;
  rec->no = ++r->lineno;
  rec->nul = LINES_NONE;
  return LINES_TOO_LONG;
}

/* Read more bytes after the unread ones (moved to the front first). Returns
 * 0, or -1 with r->err set. */
static int lines_fill(struct lines *r)
{
  if (r->pos > 0) {
    memmove(r->buf, r->buf + r->pos, r->end - r->pos);
    r->end -= r->pos;
    r->pos = 0;
  }
  if (r->end + 1 >= r->cap) { /* full (one byte kept for the NUL after a line) */
    size_t ncap = r->cap ? 2 * r->cap : LINES_BLOCK;
    char *nb = realloc(r->buf, ncap);
    if (nb == NULL) {
      r->err = ENOMEM;
      return -1;
    }
    r->buf = nb;
    r->cap = ncap;
  }
  for (;;) {
    ssize_t got = read(r->fd, r->buf + r->end, r->cap - r->end - 1);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0) {
      r->err = errno;
      return -1;
    }
    if (got == 0)
      r->eof = 1;
    r->end += (size_t)got;
    return 0;
  }
}

enum lines_status lines_next(struct lines *r, struct lines_rec *rec)
{
  if (r->err || (r->buf == NULL && lines_fill(r) != 0))
    return LINES_ERROR;
  for (;;) {
    if (r->skip_lf && r->pos < r->end) { /* "\r\n" is one line end */
      r->pos += r->buf[r->pos] == '\n';
      r->skip_lf = 0;
    }
    char *s = r->buf + r->pos, *p = s + r->scan, *e = r->buf + r->end;
    while (p < e && *p != '\n' && *p != '\r')
      p++;
    if (p < e) { /* a whole line */
      size_t len = (size_t)(p - s);
      r->skip_lf = *p == '\r';
      r->pos += len + 1;
      r->scan = 0;
      if (r->skipping) { /* the end of a line reported too long */
        r->skipping = 0;
        continue;
      }
      if (len > r->max)
        return lines_too_long(r, rec);
      return lines_give(r, rec, s, len);
    }
    r->scan = (size_t)(e - s);
    if (r->skipping) { /* drop what is read of it */
      r->pos = r->end;
      r->scan = 0;
    } else if (r->scan > r->max) { /* too long already: skip the rest later */
      r->skipping = 1;
      r->pos = r->end;
      r->scan = 0;
      return lines_too_long(r, rec);
    }
    if (r->eof) {
      if (r->pos == r->end)
        return LINES_EOF;
      size_t len = r->end - r->pos; /* the last line has no end */
      r->pos = r->end;
      r->scan = 0;
      return lines_give(r, rec, s, len);
    }
    if (lines_fill(r) != 0)
      return LINES_ERROR;
  }
}

int lines_binary(const char *buf, size_t len, size_t *at)
{
  const char *nul = memchr(buf, '\0', len);
  if (nul != NULL) {
    *at = (size_t)(nul - buf);
    return 1;
  }
  size_t ctl = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)buf[i];
    ctl += (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b) || c == 0x7f;
  }
  *at = ctl;
  return ctl * 10 > len ? 2 : 0;
}
