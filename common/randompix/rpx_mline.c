/* randompix: manifest lines, written and read back; see rpx_mline.h. */
#include "rpx_mline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

void rpx_buf_add(struct rpx_buf *b, const char *s, size_t n)
{
  if (b->oom)
    return;
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n + 1)
      cap *= 2;
    char *p = realloc(b->p, cap);
    if (p == NULL) {
      b->oom = 1;
      return;
    }
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
}

uint64_t rpx_hash(const char *s)
{
  uint64_t h = 1469598103934665603ULL;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return h;
}

void rpx_buf_str(struct rpx_buf *b, const char *str)
{
  const unsigned char *s = (const unsigned char *)(str ? str : "");
  size_t left = strlen((const char *)s);
  rpx_buf_add(b, "\"", 1);
  while (left > 0) {
    size_t run = 0, k;
    /* the longest stretch that needs no escape, copied at once */
    while (run < left && s[run] >= 0x20 && s[run] != '"' && s[run] != '\\' && s[run] != 0x7f &&
           (k = esc_utf8_len(s + run, left - run)) > 0)
      run += k;
    rpx_buf_add(b, (const char *)s, run);
    s += run, left -= run;
    if (left == 0)
      break;
    char esc[8];
    if (*s == '"' || *s == '\\')
      snprintf(esc, sizeof esc, "\\%c", *s);
    else
      snprintf(esc, sizeof esc, "\\u%04x", *s); /* a control or a byte outside UTF-8 */
    rpx_buf_add(b, esc, strlen(esc));
    s++, left--;
  }
  rpx_buf_add(b, "\"", 1);
}

static void buf_fmt(struct rpx_buf *b, const char *fmt, unsigned long long v)
{
  char num[48];
  int n = snprintf(num, sizeof num, fmt, v);
  rpx_buf_add(b, num, (size_t)n);
}

void rpx_mline_format(struct rpx_buf *b, const struct rpx_work *w, uint64_t i,
                      const struct rpx_rec *r)
{
  static const char *const results[] = {"not_started", "saved", "failed", "skipped"};
  char secs[48];
  buf_fmt(b, "{\"item\":%llu", (unsigned long long)(w->base + i));
  if (w->lines != NULL)
    buf_fmt(b, ",\"line\":%llu", (unsigned long long)w->lines[i]);
  rpx_buf_add(b, ",\"url\":", 7);
  rpx_buf_str(b, rpx_work_url(w, i));
  rpx_buf_add(b, ",\"final_url\":", 13);
  rpx_buf_str(b, r->final_url);
  buf_fmt(b, ",\"status\":%llu", (unsigned long long)(r->status > 0 ? r->status : 0));
  rpx_buf_add(b, ",\"result\":", 10);
  rpx_buf_str(b, results[r->result]);
  rpx_buf_add(b, ",\"path\":", 8);
  rpx_buf_str(b, r->path);
  buf_fmt(b, ",\"bytes\":%llu", (unsigned long long)r->bytes);
  rpx_buf_add(b, ",\"sha256\":", 10);
  rpx_buf_str(b, r->sha256);
  buf_fmt(b, ",\"attempts\":%llu", (unsigned long long)r->attempts);
  int n = snprintf(secs, sizeof secs, ",\"seconds\":%.6f", r->seconds);
  rpx_buf_add(b, secs, (size_t)n);
  rpx_buf_add(b, ",\"error\":", 9);
  rpx_buf_str(b, r->error);
  rpx_buf_add(b, "}\n", 2);
}

/* --- reading ------------------------------------------------------------- */

static const char *mline_ws(const char *p, const char *end)
{
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
    p++;
  return p;
}

static int mline_hex4(const char *p, const char *end, unsigned *v)
{
  *v = 0;
  if (end - p < 4)
    return -1;
  for (int k = 0; k < 4; k++) {
    char ch = p[k];
    unsigned d = ch >= '0' && ch <= '9'   ? (unsigned)(ch - '0')
                 : ch >= 'a' && ch <= 'f' ? (unsigned)(ch - 'a' + 10)
                 : ch >= 'A' && ch <= 'F' ? (unsigned)(ch - 'A' + 10)
                                          : 16u;
    if (d > 15)
      return -1;
    *v = *v * 16 + d;
  }
  return 0;
}

/* A JSON string at *pp (after its opening quote) into a malloc'ed copy. */
static char *mline_string(const char **pp, const char *end)
{
  struct rpx_buf b = {0};
  const char *p = *pp;
  rpx_buf_add(&b, "", 0);
  while (p < end && *p != '"') {
    char out[4];
    size_t n = 1;
    if (*p != '\\') {
      out[0] = *p++;
    } else if (++p < end) {
      char e = *p++;
      const char *simple = strchr("\"\\/bfnrt", e);
      unsigned v;
      if (simple != NULL && e != '\0')
        out[0] = "\"\\/\b\f\n\r\t"[simple - "\"\\/bfnrt"];
      else if (e == 'u' && mline_hex4(p, end, &v) == 0 && v < 0x800 && v != 0) {
        p += 4; /* this writer's \u00XX: the byte itself; the rest, UTF-8 */
        if (v < 0x100)
          out[0] = (char)v;
        else
          out[0] = (char)(0xc0 | (v >> 6)), out[1] = (char)(0x80 | (v & 0x3f)), n = 2;
      } else {
        break;
      }
    } else {
      break;
    }
    rpx_buf_add(&b, out, n);
  }
  if (p >= end || *p != '"' || b.oom) {
    free(b.p);
    return NULL;
  }
  *pp = p + 1;
  return b.p;
}

int rpx_mline_parse(const char *s, size_t len, struct rpx_mline *m)
{
  const char *p = s, *end = s + len;
  memset(m, 0, sizeof *m);
  p = mline_ws(p, end);
  if (p >= end || *p++ != '{')
    return -1;
  for (;;) {
    p = mline_ws(p, end);
    if (p >= end || *p++ != '"')
      break;
    char *key = mline_string(&p, end), *sval = NULL;
    p = mline_ws(p, end);
    if (key == NULL || p >= end || *p++ != ':') {
      free(key);
      break;
    }
    p = mline_ws(p, end);
    unsigned long long num = 0;
    if (p < end && *p == '"') {
      p++;
      sval = mline_string(&p, end);
      if (sval == NULL) {
        free(key);
        break;
      }
    } else {
      char *q;
      num = strtoull(p, &q, 10);
      while (q < end && strchr("0123456789.eE+-", *q) && *q != '\0')
        q++; /* seconds: a fraction */
      if (q == p) {
        free(key);
        break;
      }
      p = q;
    }
    char **slot = strcmp(key, "url") == 0      ? &m->url
                  : strcmp(key, "result") == 0 ? &m->result
                  : strcmp(key, "path") == 0   ? &m->path
                  : strcmp(key, "sha256") == 0 ? &m->sha256
                                               : NULL;
    if (strcmp(key, "bytes") == 0)
      m->bytes = num;
    free(key);
    if (slot != NULL && sval != NULL) {
      free(*slot);
      *slot = sval;
    } else {
      free(sval);
    }
    p = mline_ws(p, end);
    if (p < end && *p == ',') {
      p++;
      continue;
    }
    if (p < end && *p == '}' && m->url && m->result && m->path)
      return 0;
    break;
  }
  rpx_mline_clear(m);
  return -1;
}

void rpx_mline_clear(struct rpx_mline *m)
{
  free(m->url);
  free(m->result);
  free(m->path);
  free(m->sha256);
  memset(m, 0, sizeof *m);
}
