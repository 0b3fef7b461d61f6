/* randompix: what became of each item, in --manifest FILE and --failed FILE;
 * see rpx.h (struct rpx_out) and rpx_mline.h (the line). */
#include "rpx_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic_file.h"
#include "errors.h"
#include "fd_write.h"
#include "rpx_mline.h"

/* The record of an item an earlier run saved. */
static struct rpx_rec manifest_skipped(const struct rpx_old *old)
{
  return (struct rpx_rec){.result = RPX_R_SKIPPED,
                          .final_url = "",
                          .path = old->path,
                          .bytes = old->bytes,
                          .sha256 = old->sha256,
                          .error = ""};
}

int rpx_out_start(struct rpx_out *out, const struct rpx_opts *o, const struct rpx_work *w,
                  const struct rpx_work *all)
{
  memset(out, 0, sizeof *out);
  out->o = o;
  out->n = w->n;
  out->fd = -1;
  pthread_mutex_init(&out->lock, NULL);
  out->result = calloc(w->n ? w->n : 1, 1);
  if (out->result == NULL) {
    err_msg("out of memory for %llu items", (unsigned long long)w->n);
    return -1;
  }
  struct afile_target ft; /* --failed is written at the end: a bad name fails now */
  if (all != NULL && o->failed != NULL && afile_target(o->failed, &ft) != 0)
    return -1;
  if (o->manifest == NULL)
    return 0;
  out->off = calloc(w->n ? w->n : 1, sizeof *out->off);
  out->len = calloc(w->n ? w->n : 1, sizeof *out->len);
  out->journal = tmpfile();
  if (out->off == NULL || out->len == NULL || out->journal == NULL) {
    err_sys("%s: cannot keep the manifest's journal", o->manifest);
    return -1;
  }
  if (all == NULL)
    return 0;
  w = all;
  struct afile af;
  if (afile_open(&af, o->manifest) != 0)
    return -1;
  if (!AFILE_BY_NAME(&af.t)) {
    afile_abort(&af);
    err_msg("%s: the manifest must be a regular file (it is appended to)", o->manifest);
    return -1;
  }
  struct rpx_buf b = {0};
  for (uint64_t i = 0; i < w->n; i++) {
    if (w->skip == NULL || w->skip[i] == NULL)
      continue;
    struct rpx_rec r = manifest_skipped(w->skip[i]);
    b.len = 0;
    rpx_mline_format(&b, w, i, &r);
    fwrite(b.p, 1, b.len, af.fp);
  }
  free(b.p);
  if (b.oom) {
    afile_abort(&af);
    err_msg("%s: out of memory", o->manifest);
    return -1;
  }
  return afile_commit(&af);
}

int rpx_out_attach(struct rpx_out *out)
{
  if (out->o->manifest == NULL)
    return 0;
  out->fd = open(out->o->manifest, O_WRONLY | O_APPEND | O_CLOEXEC);
  if (out->fd < 0) {
    err_sys("%s", out->o->manifest);
    return -1;
  }
  return 0;
}

void rpx_record(struct rpx_ctx *c, uint64_t item, const struct rpx_rec *r)
{
  struct rpx_out *out = c->out;
  out->result[item] = (uint8_t)r->result;
  if (out->journal == NULL)
    return;
  struct rpx_buf b = {0};
  rpx_mline_format(&b, c->w, item, r);
  pthread_mutex_lock(&out->lock);
  int bad = b.oom || fwrite(b.p, 1, b.len, out->journal) != b.len;
  if (!bad) {
    out->off[item] = out->jlen + 1;
    out->len[item] = (uint32_t)b.len;
    out->jlen += b.len;
    /* One write(2) per line with O_APPEND: a killed run leaves whole lines. */
    bad = out->fd >= 0 && fd_write_all(out->fd, b.p, b.len) != 0;
  }
  if (bad && !out->write_failed) {
    out->write_failed = 1;
    err_sys("%s: cannot write the manifest", out->o->manifest);
  }
  pthread_mutex_unlock(&out->lock);
  free(b.p);
}

int rpx_out_ordered(struct rpx_out *out, const struct rpx_work *w, FILE *mf, FILE *ff)
{
  struct rpx_buf b = {0};
  int rc = 0;
  if (out->journal != NULL && fflush(out->journal) != 0)
    rc = -1;
  for (uint64_t i = 0; i < w->n && rc == 0; i++) {
    int done = out->result[i] == RPX_R_SAVED || out->result[i] == RPX_R_SKIPPED;
    int skipped = w->skip != NULL && w->skip[i] != NULL;
    if (ff != NULL && !done && !skipped)
      fprintf(ff, "%s\n", rpx_work_url(w, i));
    if (mf == NULL)
      continue;
    b.len = 0;
    if (skipped) {
      struct rpx_rec r = manifest_skipped(w->skip[i]);
      rpx_mline_format(&b, w, i, &r);
    } else if (out->off != NULL && out->off[i] > 0) {
      rpx_buf_add(&b, "", 0);
      if (!b.oom && b.cap < (size_t)out->len[i] + 1) {
        char *p = realloc(b.p, (size_t)out->len[i] + 1);
        b.oom = p == NULL;
        b.p = p ? p : b.p, b.cap = p ? (size_t)out->len[i] + 1 : b.cap;
      }
      if (b.oom || pread(fileno(out->journal), b.p, out->len[i], (off_t)(out->off[i] - 1)) !=
                       (ssize_t)out->len[i])
        rc = -1;
      b.len = out->len[i];
    } else {
      struct rpx_rec r = {.result = RPX_R_NONE,
                          .final_url = "",
                          .path = "",
                          .sha256 = "",
                          .error = rpx_stop ? "interrupted" : "not started"};
      rpx_mline_format(&b, w, i, &r);
    }
    if (b.oom)
      rc = -1;
    else
      fwrite(b.p, 1, b.len, mf);
  }
  free(b.p);
  return rc;
}

int rpx_out_finish(struct rpx_out *out, const struct rpx_work *w)
{
  const struct rpx_opts *o = out->o;
  if (out->fd >= 0)
    close(out->fd);
  out->fd = -1;
  const char *names[2] = {o->manifest, o->failed};
  int rc = 0;
  for (int k = 0; k < 2; k++) {
    struct afile af;
    if (names[k] == NULL)
      continue;
    if (afile_open(&af, names[k]) != 0) {
      rc = -1;
      continue;
    }
    if (rpx_out_ordered(out, w, k == 0 ? af.fp : NULL, k == 1 ? af.fp : NULL) != 0) {
      err_sys("%s: cannot read the journal back", names[k]);
      afile_abort(&af);
      rc = -1;
    } else if (afile_commit(&af) != 0) {
      rc = -1;
    }
  }
  return rc;
}

void rpx_out_free(struct rpx_out *out)
{
  if (out->fd >= 0)
    close(out->fd);
  if (out->journal != NULL)
    fclose(out->journal);
  free(out->result);
  free(out->off);
  free(out->len);
  pthread_mutex_destroy(&out->lock);
  memset(out, 0, sizeof *out);
  out->fd = -1;
}
