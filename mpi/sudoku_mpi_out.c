/* sudoku (MPI): where the records go, decided and opened by rank 0 before
 * the read (a bad -o fails before any work), and the distributed write at
 * the end: into a named temporary file that every rank writes at its own
 * offset, or through rank 0. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errors.h"
#include "mpi_util.h"
#include "sudoku_mpi_int.h"

/* Rank 0 alone writes the records: open the output it resolved. */
static int open_zero(void *ctx, const struct afile_target *t)
{
  const struct dist_ctx *c = ctx;
  return sudoku_out_open_target(c->o, t, &c->out->out);
}

int dist_out_open(struct dist_ctx *c)
{
  const struct sudoku_opts *o = c->o;
  const char *name = NULL; /* none: --quiet and no -o */
  if (c->rank == 0 && sudoku_wants_output(o))
    name = o->output ? o->output : "-";
  return mpix_out_plan(name, &c->out->p, open_zero, c) == MPIX_OUT_FAILED ? -1 : 0;
}

void dist_out_abort(const struct dist_ctx *c)
{
  struct dist_out *d = c->out;
  if (c->rank == 0 && d->p.how == MPIX_OUT_PARALLEL)
    afile_discard(d->p.tmp);
  if (c->rank == 0 && d->p.how == MPIX_OUT_THROUGH_ZERO)
    sudoku_out_abort(&d->out);
  d->p.how = MPIX_OUT_NONE;
}

/* Write buf whole at offset `at` of the file `tmp`; returns 0, or -1 after
 * a message that names the output. */
static int pwrite_all(const char *tmp, const char *name, const char *buf, size_t len, off_t at)
{
  int fd = open(tmp, O_WRONLY);
  if (fd < 0) {
    err_sys("%s: cannot open the temporary output %s", name, tmp);
    return -1;
  }
  int rc = 0;
  for (size_t done = 0; done < len && rc == 0;) {
    ssize_t k = pwrite(fd, buf + done, len - done, at + (off_t)done);
    if (k < 0 && errno == EINTR)
      continue;
    if (k <= 0) {
      err_sys("%s: write error", name);
      rc = -1;
    } else {
      done += (size_t)k;
    }
  }
  if (close(fd) != 0 && rc == 0) {
    err_sys("%s: write error", name);
    rc = -1;
  }
  return rc;
}

/* Rank 0's sink for the other ranks' records: the output, which remembers
 * a failed write and reports it on close. */
static void zero_sink_write(void *ctx, const char *bytes, size_t n)
{
  sudoku_out_write(ctx, bytes, n);
}

/* Rank 0 writes its records, then every other rank's as they come. */
static int write_through_zero(const struct dist_ctx *c, const char *text, size_t textlen)
{
  if (c->rank != 0) {
    mpix_stream_to_zero(text, textlen, TAG_TEXT, zero_sink_write, NULL);
    return 0;
  }
  struct sudoku_out *out = &c->out->out;
  sudoku_out_write(out, text, textlen); /* after a failure, still receive (and drop) the rest */
  mpix_stream_to_zero(NULL, 0, TAG_TEXT, zero_sink_write, out);
  c->out->p.how = MPIX_OUT_NONE; /* closed: nothing left to abort */
  return sudoku_out_close(out);
}

int dist_write_records(const struct dist_ctx *c, const char *text, size_t textlen)
{
  struct dist_out *d = c->out;
  if (d->p.how == MPIX_OUT_NONE)
    return 0;
  if (d->p.how == MPIX_OUT_THROUGH_ZERO)
    return write_through_zero(c, text, textlen);
  /* every rank at its offset: the records of the ranks before it */
  uint64_t mine = textlen, at = 0;
  MPI_Exscan(&mine, &at, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
  if (c->rank == 0)
    at = 0;
  int bad = pwrite_all(d->p.tmp, c->o->output, text, textlen, (off_t)at) != 0, any = 0;
  MPI_Reduce(&bad, &any, 1, MPI_INT, MPI_MAX, 0, MPI_COMM_WORLD);
  int rc = 0;
  if (c->rank == 0 && any) {
    afile_discard(d->p.tmp);
    rc = -1;
  } else if (c->rank == 0) {
    rc = afile_publish(d->p.tmp, &d->p.t, c->o->fsync);
  }
  d->p.how = MPIX_OUT_NONE;
  return rc;
}
