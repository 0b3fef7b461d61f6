/* randompix: the work list (--list FILE, "-" for standard input): one URL a
 * line, read by the toolkit's line reader ("\n", "\r\n" or "\r" ends a line,
 * a byte-order mark at the start is dropped). A line that cannot be a URL
 * (a NUL byte, over RPX_LIST_LINE_MAX bytes) is a bad URL, as rpx_urls.c
 * finds the others: a usage error before anything is fetched, so a damaged
 * list never fetches a part of itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "lines.h"
#include "msglimit.h"
#include "rpx.h"

#define RPX_LIST_SHOWN 20 /* bad lines reported one by one; the rest are counted */

/* Trim blanks at both ends, in place. */
static char *list_trim(char *s, size_t n)
{
  while (*s == ' ' || *s == '\t')
    s++, n--;
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
    s[--n] = '\0';
  return s;
}

/* Append url (from line lineno) to the list. Returns 0, or -1 when out of
 * memory. */
static int list_add(struct rpx_work *w, uint64_t *cap, const char *url, uint64_t lineno)
{
  if (w->n == *cap) {
    uint64_t ncap = *cap ? 2 * *cap : 64;
    char **urls = realloc(w->urls, ncap * sizeof *urls);
    if (urls == NULL)
      return -1;
    w->urls = urls;
    long *lines = realloc(w->lines, ncap * sizeof *lines);
    if (lines == NULL)
      return -1;
    w->lines = lines;
    *cap = ncap;
  }
  if ((w->urls[w->n] = strdup(url)) == NULL)
    return -1;
  w->lines[w->n++] = (long)lineno;
  return 0;
}

int rpx_work_load_list(struct rpx_work *w, const char *path)
{
  struct lines in;
  memset(w, 0, sizeof *w);
  w->list_name = path;
  if (lines_open(&in, path, RPX_LIST_LINE_MAX) != 0) {
    err_sys("%s", path);
    return EXIT_FAIL;
  }
  w->list_name = in.name;
  struct msglimit bad;
  msglimit_init(&bad, RPX_LIST_SHOWN);
  struct lines_rec ln;
  enum lines_status ls;
  uint64_t cap = 0;
  int status = EXIT_OK;
  while (status != EXIT_FAIL && (ls = lines_next(&in, &ln)) != LINES_EOF) {
    if (ls == LINES_ERROR) { /* never an early end: the URLs after it would be lost */
      err_at(in.name, (long)in.lineno + 1, "read failed: %s", strerror(in.err));
      status = EXIT_FAIL;
    } else if (ls == LINES_TOO_LONG || ln.nul != LINES_NONE) {
      if (!msglimit_take(&bad, "bad URL"))
        ; /* counted only */
      else if (ls == LINES_TOO_LONG)
        err_at(in.name, (long)ln.no, "line longer than %zu bytes: not a URL", RPX_LIST_LINE_MAX);
      else
        err_at(in.name, (long)ln.no, "NUL byte at column %zu: not a URL", ln.nul + 1);
      status = EXIT_USAGE;
    } else {
      char *s = list_trim(ln.s, ln.len);
      if (*s == '\0' || *s == '#' || status != EXIT_OK)
        continue;
      if (list_add(w, &cap, s, ln.no) != 0) {
        err_msg("%s: out of memory", in.name);
        status = EXIT_FAIL;
      }
    }
  }
  msglimit_summary(&bad);
  msglimit_destroy(&bad);
  lines_close(&in);
  if (status != EXIT_OK)
    rpx_work_free(w);
  return status;
}

int rpx_work_pack(const struct rpx_work *w, char **blob, size_t *len)
{
  FILE *ms = open_memstream(blob, len);
  if (ms == NULL)
    return -1;
  for (uint64_t i = 0; i < w->n; i++)
    fprintf(ms, "%ld %s\n", w->lines[i], w->urls[i]);
  return fclose(ms) == 0 ? 0 : -1;
}

int rpx_work_unpack(struct rpx_work *w, const char *name, const char *blob, size_t len)
{
  uint64_t cap = 0;
  memset(w, 0, sizeof *w);
  w->list_name = name;
  for (const char *p = blob, *end = blob + len; p < end;) {
    const char *nl = memchr(p, '\n', (size_t)(end - p)), *sp = memchr(p, ' ', (size_t)(end - p));
    if (nl == NULL || sp == NULL || sp > nl)
      break; /* not what rpx_work_pack wrote */
    char *url = strndup(sp + 1, (size_t)(nl - sp - 1));
    int bad = url == NULL || list_add(w, &cap, url, strtoull(p, NULL, 10)) != 0;
    free(url);
    if (bad) {
      rpx_work_free(w);
      return -1;
    }
    p = nl + 1;
  }
  return 0;
}

void rpx_work_free(struct rpx_work *w)
{
  if (w->urls != NULL)
    for (uint64_t i = 0; i < w->n; i++)
      free(w->urls[i]);
  free(w->urls);
  free(w->lines);
  memset(w, 0, sizeof *w);
}
