/* Atomic outputs written with stdio (see atomic_file.h): open the target,
 * write, commit or abort. */
#include "atomic_file.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "atomic_int.h"
#include "errors.h"

/* Open what af->t names: the descriptor, the device, or a temporary. */
static int open_target(struct afile *af)
{
  const struct afile_target *t = &af->t;
  int fd = -1;
  if (t->kind == AFILE_FD) {
    if (t->fd == 1 || t->fd == 2) { /* the streams themselves: one buffer, no close */
      af->fp = t->fd == 1 ? stdout : stderr;
      return 0;
    }
    fd = dup(t->fd);
    if (fd < 0) {
      err_at(t->name, 0, "cannot open the output: %s", strerror(errno));
      return -1;
    }
  } else if (t->kind == AFILE_IN_PLACE) {
    if ((af->fp = fopen(t->path, "wb")) == NULL) {
      err_at(t->name, 0, "cannot open the output: %s", strerror(errno));
      return -1;
    }
    return 0;
  } else if ((fd = afile_anon_temp(t)) >= 0) {
    af->anon = 1;
  } else if ((fd = afile_named_temp(t, af->tmp, sizeof af->tmp, 0)) < 0) {
    return -1;
  }
  if ((af->fp = fdopen(fd, "wb")) == NULL) {
    err_at(t->name, 0, "cannot open the output stream: %s", strerror(errno));
    close(fd);
    afile_discard(af->tmp);
    af->tmp[0] = '\0';
    return -1;
  }
  return 0;
}

int afile_open(struct afile *af, const char *name)
{
  memset(af, 0, sizeof *af);
  if (afile_target(name, &af->t) != 0)
    return -1;
  return open_target(af);
}

int afile_open_target(struct afile *af, const struct afile_target *t)
{
  memset(af, 0, sizeof *af);
  af->t = *t;
  return open_target(af);
}

static int is_std_stream(const struct afile *af)
{
  return af->fp == stdout || af->fp == stderr;
}

/* Flush (and fsync when durable) what was written; 0 or an errno. */
static int flush_all(struct afile *af)
{
  errno = 0;
  if (fflush(af->fp) != 0 || ferror(af->fp))
    return errno ? errno : EIO;
  /* a pipe or a terminal cannot be synced (EINVAL): nothing to force */
  if (af->durable && fsync(fileno(af->fp)) != 0 && errno != EINVAL && errno != EROFS)
    return errno;
  return 0;
}

int afile_commit(struct afile *af)
{
  int failed = flush_all(af);
  /* an unnamed file is linked in while it is open: its descriptor names it */
  if (!failed && af->anon && afile_link_anon(fileno(af->fp), &af->t) != 0)
    failed = -1;
  if (is_std_stream(af)) {
    af->fp = NULL;
  } else {
    if (fclose(af->fp) != 0 && !failed)
      failed = errno ? errno : EIO;
    af->fp = NULL;
  }
  if (failed) {
    if (failed > 0)
      err_at(af->t.name, 0, "write failed: %s", strerror(failed));
    afile_discard(af->tmp);
    af->tmp[0] = '\0';
    return -1;
  }
  if (af->tmp[0] != '\0' && afile_publish(af->tmp, &af->t, 0) != 0) {
    af->tmp[0] = '\0';
    return -1;
  }
  af->tmp[0] = '\0';
  if (af->durable && AFILE_BY_NAME(&af->t))
    afile_sync_folder(af->t.path);
  return 0;
}

void afile_abort(struct afile *af)
{
  if (af->fp != NULL && !is_std_stream(af))
    fclose(af->fp); /* an unnamed file vanishes with it */
  af->fp = NULL;
  if (af->tmp[0] != '\0')
    afile_discard(af->tmp);
  af->tmp[0] = '\0';
}
