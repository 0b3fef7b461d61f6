/* randompix: the work list (--list FILE): one URL per line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "rpx.h"

/* Trim white space at both ends, in place. */
static char *opts_trim(char *s)
{
  while (*s == ' ' || *s == '\t' || *s == '\r')
    s++;
  size_t n = strlen(s);
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
    s[--n] = '\0';
  return s;
}

int rpx_work_load_list(struct rpx_work *w, const char *path)
{
  memset(w, 0, sizeof *w);
  w->list_name = path;
  FILE *fp = fopen(path, "r");
  if (fp == NULL) {
    err_sys("%s", path);
    return -1;
  }
  char *line = NULL;
  size_t cap = 0, cap_items = 0;
  long lineno = 0;
  ssize_t len;
  int status = 0;
  while ((len = getline(&line, &cap, fp)) != -1) {
    lineno++;
    char *s = opts_trim(line);
    if (*s == '\0' || *s == '#')
      continue;
    if (w->n == cap_items) {
      cap_items = cap_items ? 2 * cap_items : 64;
      char **urls = realloc(w->urls, cap_items * sizeof *urls);
      long *lines = urls ? realloc(w->lines, cap_items * sizeof *lines) : NULL;
      if (urls != NULL)
        w->urls = urls;
      if (lines == NULL) {
        err_msg("%s: out of memory", path);
        status = -1;
        break;
      }
      w->lines = lines;
    }
    w->urls[w->n] = strdup(s);
    w->lines[w->n] = lineno;
    if (w->urls[w->n] == NULL) {
      err_msg("%s: out of memory", path);
      status = -1;
      break;
    }
    w->n++;
  }
  if (status == 0 && ferror(fp)) {
    err_sys("%s", path);
    status = -1;
  }
  free(line);
  fclose(fp);
  if (status != 0)
    rpx_work_free(w);
  return status;
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
