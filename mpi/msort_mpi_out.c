/* msort (MPI): where the sorted data go, decided and opened by rank 0 before
 * the input is read (a bad -o fails before any work), and the write at the
 * end: every rank into a named temporary with MPI-IO (msortm_write_output),
 * or every rank's slice through rank 0, in rank order. */
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "mpi_util.h"
#include "msort_mpi_int.h"

/* Rank 0 alone writes the output: open it (and say how durable). */
static int open_zero(void *ctx, const struct afile_target *t)
{
  const struct run *R = ctx;
  if (afile_open_target(&R->out->af, t) != 0)
    return -1;
  R->out->af.durable = R->o.fsync;
  return 0;
}

int msortm_out_open(const struct run *R)
{
  const char *name = R->rank == 0 ? R->o.output : NULL;
  return mpix_out_plan(name, &R->out->p, open_zero, (void *)R) == MPIX_OUT_FAILED ? EXIT_FAIL
                                                                                  : EXIT_OK;
}

void msortm_out_abort(const struct run *R)
{
  struct msortm_out *d = R->out;
  if (R->rank == 0 && d->p.how == MPIX_OUT_PARALLEL)
    afile_discard(d->p.tmp);
  if (R->rank == 0 && d->p.how == MPIX_OUT_THROUGH_ZERO)
    afile_abort(&d->af);
  d->p.how = MPIX_OUT_NONE;
}

/* My slice as bytes: the elements themselves, or their text (*text, to
 * free). Returns 0, or -1 when out of memory. */
static int slice_bytes(const struct run *R, const void *res, size_t len, char **text,
                       const char **buf, size_t *bytes)
{
  *text = NULL;
  *buf = res;
  *bytes = len * R->esz;
  if (!R->o.text)
    return 0;
  size_t tlen = 0;
  FILE *ms = open_memstream(text, &tlen);
  int bad = ms == NULL || msort_write_text(ms, R->o.type, res, len) != 0;
  if (ms)
    fclose(ms);
  *buf = *text;
  *bytes = tlen;
  return bad ? -1 : 0;
}

/* Rank 0's sink for the other ranks' bytes: its output stream, where a
 * failed write is remembered (and the rest still received). */
struct zero_sink {
  FILE *fp;
  int bad;
};

static void zero_sink_write(void *ctx, const char *bytes, size_t n)
{
  struct zero_sink *z = ctx;
  z->bad = z->bad || fwrite(bytes, 1, n, z->fp) != n;
}

/* Every rank's slice to rank 0, which writes them in rank order. */
static int write_through_zero(const struct run *R, const void *res, size_t len)
{
  struct msortm_out *d = R->out;
  char *text = NULL;
  const char *buf = NULL;
  size_t bytes = 0;
  int bad = 0;
  if (R->rank != 0)
    bad = slice_bytes(R, res, len, &text, &buf, &bytes) != 0;
  if (mpix_agree(bad)) {
    err_msg("out of memory formatting the output");
    free(text);
    return EXIT_FAIL;
  }
  if (R->rank != 0) {
    mpix_stream_to_zero(buf, bytes, 0, zero_sink_write, NULL);
    free(text);
    return EXIT_OK;
  }
  struct zero_sink z = {d->af.fp, 0};
  if (R->o.text)
    z.bad = msort_write_text(z.fp, R->o.type, res, len) != 0;
  else
    z.bad = len > 0 && fwrite(res, R->esz, len, z.fp) != len;
  mpix_stream_to_zero(NULL, 0, 0, zero_sink_write, &z);
  d->p.how = MPIX_OUT_NONE; /* committed or aborted here */
  if (z.bad) {
    err_at(d->p.t.name, 0, "write failed");
    afile_abort(&d->af);
    return EXIT_FAIL;
  }
  return afile_commit(&d->af) == 0 ? EXIT_OK : EXIT_FAIL;
}

int msortm_out_write(const struct run *R, const void *res, size_t len)
{
  struct msortm_out *d = R->out;
  int rc;
  if (d->p.how == MPIX_OUT_NONE)
    return EXIT_OK;
  if (d->p.how == MPIX_OUT_THROUGH_ZERO) {
    rc = write_through_zero(R, res, len);
  } else {
    rc = msortm_write_output(R, d->p.tmp, res, len);
    if (R->rank == 0 && rc == EXIT_OK) {
      rc = afile_publish(d->p.tmp, &d->p.t, R->o.fsync) == 0 ? EXIT_OK : EXIT_FAIL;
      d->p.how = MPIX_OUT_NONE; /* published, or removed by the failed publish */
    }
  }
  return msortm_bcast_code(rc, NULL);
}
