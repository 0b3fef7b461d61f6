/* randompix --names remote: names from URLs and Content-Disposition, made
 * safe; see rpx_names.h. */
#include "rpx_names.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "errors.h"
#include "escape.h"
#include "rpx_mline.h"

#define NAMES_IN_MAX 4096 /* bytes of a raw name looked at */

void rpx_name_clean(const char *s, size_t len, char *out)
{
  char buf[NAMES_IN_MAX + 1];
  const unsigned char *p = (const unsigned char *)s;
  size_t o = 0;
  if (len > NAMES_IN_MAX)
    len = NAMES_IN_MAX;
  for (size_t i = 0; i < len;) {
    size_t k = esc_utf8_len(p + i, len - i);
    int bad = k == 0 || p[i] < 0x20 || p[i] == 0x7f || p[i] == '/' || p[i] == '\\' ||
              (k == 2 && p[i] == 0xc2 && p[i + 1] < 0xa0); /* C1 controls */
    if (bad) {
      buf[o++] = '_';
      i++;
    } else {
      memcpy(buf + o, p + i, k);
      o += k, i += k;
    }
  }
  buf[o] = '\0';
  char *b = buf;
  while (*b == '.' || *b == ' ') /* never ".", "..", hidden or blank-led */
    b++;
  size_t n = strlen(b);
  while (n > 0 && b[n - 1] == ' ')
    b[--n] = '\0';
  if (n == 0) {
    strcpy(out, "index");
    return;
  }
  if (n > RPX_NAME_MAX) { /* keep a short extension, cut the stem at a character */
    const char *dot = strrchr(b, '.');
    size_t ext = dot != NULL && n - (size_t)(dot - b) <= 16 ? n - (size_t)(dot - b) : 0;
    size_t stem = RPX_NAME_MAX - ext;
    while (stem > 0 && ((unsigned char)b[stem] & 0xc0) == 0x80)
      stem--;
    memmove(b + stem, b + n - ext, ext + 1);
    n = stem + ext;
  }
  memcpy(out, b, n + 1);
}

static int names_hex(int c)
{
  return c >= '0' && c <= '9'   ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                : -1;
}

/* Percent-decode len bytes of s into out (cap >= len); returns the length. */
static size_t names_unescape(const char *s, size_t len, char *out)
{
  size_t o = 0;
  for (size_t i = 0; i < len; i++) {
    int hi, lo;
    if (s[i] == '%' && i + 2 < len && (hi = names_hex((unsigned char)s[i + 1])) >= 0 &&
        (lo = names_hex((unsigned char)s[i + 2])) >= 0) {
      out[o++] = (char)(hi * 16 + lo);
      i += 2;
    } else {
      out[o++] = s[i];
    }
  }
  return o;
}

void rpx_name_from_url(const char *url, char *out)
{
  CURLU *u = curl_url();
  char *path = NULL;
  if (u != NULL && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK)
    curl_url_get(u, CURLUPART_PATH, &path, 0);
  const char *seg = path ? path : "";
  const char *slash = strrchr(seg, '/');
  seg = slash ? slash + 1 : seg;
  size_t len = strlen(seg) < NAMES_IN_MAX ? strlen(seg) : NAMES_IN_MAX;
  char raw[NAMES_IN_MAX];
  len = names_unescape(seg, len, raw);
  rpx_name_clean(raw, len, out);
  curl_free(path);
  curl_url_cleanup(u);
}

/* The value of parameter `want` in a Content-Disposition value, unquoted
 * (or, for the extended form, percent-decoded after its charset'lang'),
 * into out (NAMES_IN_MAX bytes); returns its length, or -1. */
static long names_param(const char *v, const char *want, char *out)
{
  size_t wl = strlen(want);
  for (const char *p = v; *p;) {
    while (*p == ';' || *p == ' ' || *p == '\t')
      p++;
    const char *eq = p;
    while (*eq && *eq != '=' && *eq != ';')
      eq++;
    const char *key_end = eq;
    while (key_end > p && (key_end[-1] == ' ' || key_end[-1] == '\t'))
      key_end--;
    int match = *eq == '=' && (size_t)(key_end - p) == wl && strncasecmp(p, want, wl) == 0;
    const char *q = *eq == '=' ? eq + 1 : eq;
    while (*q == ' ' || *q == '\t')
      q++;
    size_t o = 0;
    if (*q == '"') { /* a quoted string, with \-escapes */
      for (q++; *q && *q != '"'; q++) {
        if (*q == '\\' && q[1])
          q++;
        if (o < NAMES_IN_MAX)
          out[o++] = *q;
      }
      if (*q == '"')
        q++;
    } else {
      for (; *q && *q != ';'; q++)
        if (o < NAMES_IN_MAX)
          out[o++] = *q;
      while (o > 0 && (out[o - 1] == ' ' || out[o - 1] == '\t'))
        o--;
    }
    if (match) {
      if (want[wl - 1] == '*') { /* charset'language'percent-encoded */
        char *a = memchr(out, '\'', o),
             *b = a ? memchr(a + 1, '\'', o - (size_t)(a + 1 - out)) : NULL;
        if (b == NULL)
          return -1;
        size_t rest = o - (size_t)(b + 1 - out);
        memmove(out, b + 1, rest);
        return (long)names_unescape(out, rest, out);
      }
      return (long)o;
    }
    while (*q && *q != ';')
      q++;
    p = q;
  }
  return -1;
}

int rpx_name_from_disposition(const char *value, char *out)
{
  char raw[NAMES_IN_MAX];
  long n = names_param(value, "filename*", raw);
  if (n < 0)
    n = names_param(value, "filename", raw);
  if (n <= 0)
    return -1;
  size_t start = 0; /* no folder part: after the last '/' or '\' */
  for (long i = 0; i < n; i++)
    if (raw[i] == '/' || raw[i] == '\\')
      start = (size_t)i + 1;
  if (start == (size_t)n)
    return -1;
  rpx_name_clean(raw + start, (size_t)n - start, out);
  return 0;
}

void rpx_name_add_ext(char *name, const char *ext)
{
  if (strrchr(name, '.') != NULL || ext == NULL)
    return;
  size_t n = strlen(name), e = strlen(ext);
  if (n + e > RPX_NAME_MAX) {
    n = RPX_NAME_MAX - e;
    while (n > 0 && ((unsigned char)name[n] & 0xc0) == 0x80)
      n--;
  }
  memcpy(name + n, ext, e + 1);
}

void rpx_name_variant(const char *name, unsigned k, char *out, size_t cap)
{
  const char *dot = strrchr(name, '.');
  size_t stem = dot ? (size_t)(dot - name) : strlen(name);
  snprintf(out, cap, "%.*s~%u%s", (int)stem, name, k, dot ? dot : "");
}

/* A set of strings (open addressing, FNV-1a), for the plan. */
struct names_set {
  const char **slot;
  size_t mask;
};

static int names_insert(struct names_set *set, const char *s)
{
  for (size_t i = (size_t)rpx_hash(s) & set->mask;; i = (i + 1) & set->mask) {
    if (set->slot[i] == NULL) {
      set->slot[i] = s;
      return 1;
    }
    if (strcmp(set->slot[i], s) == 0)
      return 0; /* taken */
  }
}

int rpx_names_plan(struct rpx_work *w)
{
  size_t cap = 1024;
  while (cap < 4 * w->n && cap < ((size_t)1 << 40))
    cap *= 2;
  struct names_set set = {calloc(cap, sizeof *set.slot), cap - 1};
  w->names = calloc(w->n ? w->n : 1, sizeof *w->names);
  int rc = set.slot != NULL && w->names != NULL ? 0 : -1;
  char name[RPX_NAME_MAX + 1], alt[RPX_NAME_MAX + 16];
  for (uint64_t i = 0; i < w->n && rc == 0; i++) {
    rpx_name_from_url(rpx_work_url(w, i), name);
    char *mine = strdup(name); /* the set points at the names it holds */
    for (unsigned k = 2; mine != NULL && !names_insert(&set, mine); k++) {
      rpx_name_variant(name, k, alt, sizeof alt);
      free(mine);
      mine = strdup(alt);
    }
    if (mine == NULL)
      rc = -1;
    w->names[i] = mine;
  }
  free(set.slot);
  if (rc != 0) {
    err_msg("out of memory for the names of %llu items", (unsigned long long)w->n);
    rpx_names_free(w);
  }
  return rc;
}

void rpx_names_free(struct rpx_work *w)
{
  if (w->names == NULL)
    return;
  for (uint64_t i = 0; i < w->n; i++)
    free(w->names[i]);
  free(w->names);
  w->names = NULL;
}
