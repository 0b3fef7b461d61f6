/* randompix: the file of a transfer, from its creation to its final name,
 * which never replaces anything (--names decides the candidates). */
#include "rpx_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rng.h"

/* Candidate k (0 first) of x's final name into x->name and x->part.
 * Returns 0, or 1 when there is no other: with --names sha256 a taken name
 * holds this very content. */
static int commit_candidate(struct rpx_xfer *x, unsigned k)
{
  struct rpx_ctx *c = x->c;
  if (c->o->names == RPX_NAMES_RANDOM || (c->o->names == RPX_NAMES_SHA256 && x->base[0] == '\0')) {
    uint64_t n = __atomic_fetch_add(&c->name_ctr, 1, __ATOMIC_RELAXED);
    unsigned v = (unsigned)(rng_at(c->name_seed, n) & 0xffffffffu);
    snprintf(x->name, sizeof x->name, "%08x%s", v, x->ext);
  } else if (k == 0) {
    snprintf(x->name, sizeof x->name, "%s", x->base);
  } else if (c->o->names == RPX_NAMES_SHA256) {
    return 1;
  } else {
    rpx_name_variant(x->base, k + 1, x->name, sizeof x->name);
  }
  snprintf(x->part, sizeof x->part, "%s.part", x->name);
  return 0;
}

/* Whether unnamed files (O_TMPFILE) can be given a name later here: the
 * link goes through /proc/self/fd, which must be mounted. */
static int commit_can_link_unnamed(void)
{
  static int can = -1;
  if (can < 0)
    can = access("/proc/self/fd", X_OK) == 0;
  return can;
}

static void commit_why(struct rpx_xfer *x, const char *name)
{
  snprintf(x->why, sizeof x->why, "%s/%s: %s", x->c->o->out, name, strerror(errno));
  x->kind = "cannot write the file";
}

/* The name the file is meant to get: --names remote takes the server's
 * Content-Disposition filename, else the one planned from the URL. */
static void commit_base(struct rpx_xfer *x)
{
  const struct rpx_ctx *c = x->c;
  struct curl_header *hd = NULL;
  x->base[0] = '\0';
  if (c->o->names != RPX_NAMES_REMOTE)
    return;
  char name[RPX_NAME_MAX + 1];
  if (curl_easy_header(x->h, "Content-Disposition", 0, CURLH_HEADER, -1, &hd) == CURLHE_OK &&
      rpx_name_from_disposition(hd->value, name) == 0)
    snprintf(x->base, sizeof x->base, "%s", name);
  else if (c->w->names != NULL)
    snprintf(x->base, sizeof x->base, "%s", c->w->names[x->item]);
  else
    rpx_name_from_url(rpx_work_url(c->w, x->item), x->base);
  rpx_name_add_ext(x->base, x->ext);
}

int rpx_xfer_open_file(struct rpx_xfer *x, const char *ext)
{
  snprintf(x->ext, sizeof x->ext, "%s", ext);
  commit_base(x);
  x->dup = 0;
  if (x->c->o->resume)
    return rpx_resume_open(x);
  for (unsigned tries = 0; tries < 1000; tries++) {
    if (commit_candidate(x, tries) != 0)
      break;
    struct stat sb;
    if (fstatat(x->c->dirfd, x->name, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
        x->c->o->names != RPX_NAMES_SHA256)
      continue; /* taken (maybe by a dangling symlink): the next one */
    if (commit_can_link_unnamed()) {
      x->fd = rpx_fdpool_take(x->c->pool); /* made ahead, off this thread */
      if (x->fd < 0)
        x->fd = openat(x->c->dirfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
      if (x->fd >= 0) {
        x->part[0] = '\0';
        return 0;
      }
    }
    x->fd = openat(x->c->dirfd, x->part, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (x->fd >= 0)
      return 0;
    if (errno != EEXIST) {
      commit_why(x, x->part);
      return -1;
    }
  }
  snprintf(x->why, sizeof x->why, "%s: no free name found", x->c->o->out);
  x->kind = "cannot write the file";
  return -1;
}

/* Before the final name: --names sha256 names by content. */
static void commit_content_name(struct rpx_xfer *x)
{
  if (x->c->o->names == RPX_NAMES_SHA256)
    snprintf(x->base, sizeof x->base, "%s%s", x->sha_hex, x->ext);
}

/* Give the complete unnamed file (x->fd, still open) its final name, never
 * replacing a file: linkat fails on a taken name, then the next is tried. */
static int commit_link_unnamed(struct rpx_xfer *x)
{
  struct rpx_ctx *c = x->c;
  char proc[64];
  snprintf(proc, sizeof proc, "/proc/self/fd/%d", x->fd);
  for (unsigned k = 0; k < 1000; k++) {
    if (commit_candidate(x, k) != 0) {
      commit_candidate(x, 0); /* the same content is there: name it */
      x->dup = 1;
      x->part[0] = '\0';
      return 0;
    }
    x->part[0] = '\0';
    if (linkat(AT_FDCWD, proc, c->dirfd, x->name, AT_SYMLINK_FOLLOW) == 0)
      return 0;
    if (errno != EEXIST)
      break;
  }
  commit_why(x, x->name);
  return -1;
}

int rpx_xfer_commit(struct rpx_xfer *x)
{
  struct rpx_ctx *c = x->c;
  int fd = x->fd;
  commit_content_name(x);
  if (x->part[0] == '\0') { /* unnamed: fsync, name it, then close */
    int bad = (c->o->fsync && fsync(fd) != 0);
    if (bad)
      commit_why(x, x->name);
    bad = bad || commit_link_unnamed(x) != 0;
    x->fd = -1;
    if (close(fd) != 0 && !bad) { /* named already: the bytes may be lost */
      commit_why(x, x->name);
      if (!x->dup)
        unlinkat(c->dirfd, x->name, 0);
      bad = 1;
    }
    return bad ? -1 : 0;
  }
  x->fd = -1;
  if (c->o->resume)
    rpx_resume_forget(fd);
  if ((c->o->fsync && fsync(fd) != 0) || close(fd) != 0) {
    commit_why(x, x->part);
    unlinkat(c->dirfd, x->part, 0);
    return -1;
  }
  char part[sizeof x->part];
  memcpy(part, x->part, sizeof part); /* the file on disk keeps its .part name */
  for (unsigned k = 0; k < 1000; k++) {
    if (commit_candidate(x, k) != 0) { /* sha256: the content is there already */
      commit_candidate(x, 0);
      x->dup = 1;
      unlinkat(c->dirfd, part, 0);
      return 0;
    }
    memcpy(x->part, part, sizeof part);
    if (renameat2(c->dirfd, part, c->dirfd, x->name, RENAME_NOREPLACE) == 0)
      return 0;
    if (errno == EINVAL || errno == ENOSYS) {
      /* No RENAME_NOREPLACE here: link() never replaces either. */
      if (linkat(c->dirfd, part, c->dirfd, x->name, 0) == 0) {
        unlinkat(c->dirfd, part, 0);
        return 0;
      }
    }
    if (errno != EEXIST)
      break;
  }
  commit_why(x, x->name);
  unlinkat(c->dirfd, part, 0);
  return -1;
}
