/* randompix --skip-existing: which items an earlier run already saved.
 *
 * Decided once, before any transfer and for the whole work (every MPI rank
 * decides it alike for the whole list and takes its share), so that every
 * engine skips the same items. An item is skipped when --manifest FILE
 * holds a "saved" (or "skipped") line for its URL whose file is still there
 * with the recorded size; a URL saved k times covers its first k items
 * (-n with one --url). A damaged line is not trusted: that item is fetched
 * again. With --names remote and no line for it, an item whose name (from
 * its URL) is a file in the folder is skipped as well. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "errors.h"
#include "lines.h"
#include "rpx.h"
#include "rpx_mline.h"

struct skip_node {
  char *url;
  struct rpx_old *old;
  struct skip_node *next;
};

struct skip_map {
  struct skip_node **b;
  size_t mask;
};

static size_t skip_hash(const char *s)
{
  return (size_t)rpx_hash(s);
}

/* An earlier saved line worth trusting: its file is there, of its size. */
static int skip_still_there(const struct rpx_mline *m)
{
  struct stat sb;
  if (strcmp(m->result, "saved") != 0 && strcmp(m->result, "skipped") != 0)
    return 0;
  return m->path[0] != '\0' && stat(m->path, &sb) == 0 && S_ISREG(sb.st_mode) &&
         (uint64_t)sb.st_size == m->bytes;
}

/* Add the saved items of the manifest to map. Returns 0, or -1 after
 * printing why (a manifest that is missing is not an error: none saved). */
static int skip_read(const char *path, struct skip_map *map, size_t nbuckets)
{
  struct lines in;
  if (lines_open(&in, path, RPX_LIST_LINE_MAX * 3) != 0)
    return errno == ENOENT ? 0 : (err_sys("%s", path), -1);
  map->b = calloc(nbuckets, sizeof *map->b);
  map->mask = nbuckets - 1;
  if (map->b == NULL) {
    lines_close(&in);
    err_msg("%s: out of memory", path);
    return -1;
  }
  struct lines_rec ln;
  enum lines_status ls;
  int rc = 0;
  while (rc == 0 && (ls = lines_next(&in, &ln)) != LINES_EOF) {
    struct rpx_mline m;
    if (ls == LINES_ERROR) {
      err_at(in.name, (long)in.lineno + 1, "read failed: %s", strerror(in.err));
      rc = -1;
    } else if (ls == LINES_LINE && ln.nul == LINES_NONE && rpx_mline_parse(ln.s, ln.len, &m) == 0) {
      struct skip_node *nd = NULL;
      struct rpx_old *old = NULL;
      if (skip_still_there(&m) && (nd = malloc(sizeof *nd)) != NULL &&
          (old = calloc(1, sizeof *old)) != NULL) {
        size_t h = skip_hash(m.url) & map->mask;
        old->path = m.path, old->bytes = m.bytes;
        if (m.sha256 != NULL && strlen(m.sha256) == 64)
          memcpy(old->sha256, m.sha256, 65);
        nd->url = m.url, nd->old = old, nd->next = map->b[h];
        map->b[h] = nd;
        m.url = m.path = NULL; /* owned by the node now */
      } else {
        free(nd);
      }
      rpx_mline_clear(&m);
    }
  }
  lines_close(&in);
  return rc;
}

/* --names remote: an item not skipped yet whose planned name is a file in
 * the folder (not empty) is skipped too. */
static int skip_folder(const struct rpx_opts *o, const struct rpx_work *w)
{
  if (o->names != RPX_NAMES_REMOTE || w->names == NULL)
    return 0;
  int dot = strcmp(o->out, ".") == 0;
  for (uint64_t i = 0; i < w->n; i++) {
    struct stat sb;
    char *path = NULL;
    if (w->skip[i] != NULL)
      continue;
    if (dot ? (path = strdup(w->names[i])) == NULL
            : asprintf(&path, "%s/%s", o->out, w->names[i]) < 0) {
      err_msg("out of memory");
      return -1;
    }
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size == 0 ||
        (w->skip[i] = calloc(1, sizeof *w->skip[i])) == NULL) {
      free(path);
      continue;
    }
    w->skip[i]->path = path;
    w->skip[i]->bytes = (uint64_t)sb.st_size;
  }
  return 0;
}

int rpx_skip_plan(const struct rpx_opts *o, struct rpx_work *w)
{
  struct skip_map map = {0};
  size_t nb = 1024;
  while (nb < 2 * w->n && nb < ((size_t)1 << 30))
    nb *= 2;
  w->skip = calloc(w->n ? w->n : 1, sizeof *w->skip);
  if (w->skip == NULL) {
    err_msg("out of memory for %llu items", (unsigned long long)w->n);
    return -1;
  }
  if (o->manifest != NULL && skip_read(o->manifest, &map, nb) != 0) {
    free(map.b);
    return -1;
  }
  if (map.b == NULL)
    return skip_folder(o, w);
  /* Each item takes one saved entry of its URL, if one is left. */
  for (uint64_t i = 0; i < w->n; i++) {
    const char *url = rpx_work_url(w, i);
    struct skip_node **pp = &map.b[skip_hash(url) & map.mask];
    while (*pp != NULL && strcmp((*pp)->url, url) != 0)
      pp = &(*pp)->next;
    if (*pp == NULL)
      continue;
    struct skip_node *nd = *pp;
    w->skip[i] = nd->old;
    *pp = nd->next;
    free(nd->url);
    free(nd);
  }
  for (size_t h = 0; h <= map.mask; h++)
    for (struct skip_node *nd = map.b[h], *next; nd != NULL; nd = next) {
      next = nd->next;
      free(nd->old->path);
      free(nd->old);
      free(nd->url);
      free(nd);
    }
  free(map.b);
  return skip_folder(o, w);
}

void rpx_skip_free(struct rpx_work *w)
{
  if (w->skip == NULL)
    return;
  for (uint64_t i = 0; i < w->n; i++)
    if (w->skip[i] != NULL) {
      free(w->skip[i]->path);
      free(w->skip[i]);
    }
  free(w->skip);
  w->skip = NULL;
}
