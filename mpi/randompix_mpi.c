/* randompix-mpi: the downloader with ranks splitting the work. Each rank
 * takes a contiguous share of the count or of the list and runs the chosen
 * engine (async by default) on it; rank 0 prints the merged summary, timed
 * by the slowest rank. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "mpi_util.h"
#include "rpx.h"

/* `--list -`: rank 0 reads the list and sends it to the others. Returns
 * rank 0's exit code on every rank. */
static int load_stdin_list(struct rpx_work *w, int rank)
{
  char *blob = NULL;
  size_t len = 0;
  int rc = rank == 0 ? rpx_work_load_list(w, "-") : EXIT_OK;
  if (rank == 0 && rc == EXIT_OK && (rpx_work_pack(w, &blob, &len) != 0 || len > INT_MAX)) {
    err_msg("<stdin>: a list of %zu bytes: too big to share out", len);
    rc = EXIT_FAIL;
  }
  uint64_t hdr[2] = {(uint64_t)rc, len};
  MPI_Bcast(hdr, 2, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  if (rank != 0 && hdr[0] == EXIT_OK && (blob = malloc(hdr[1] + 1)) == NULL)
    mpix_abort(EXIT_FAIL, "out of memory");
  if (hdr[0] == EXIT_OK)
    MPI_Bcast(blob, (int)hdr[1], MPI_CHAR, 0, MPI_COMM_WORLD);
  if (rank != 0 && hdr[0] == EXIT_OK && rpx_work_unpack(w, "<stdin>", blob, hdr[1]) != 0)
    mpix_abort(EXIT_FAIL, "out of memory");
  free(blob);
  return (int)hdr[0];
}

static void sink_to_file(void *ctx, const char *bytes, size_t n)
{
  if (ctx != NULL) /* NULL: rank 0 could not open the file, and said so */
    fwrite(bytes, 1, n, (FILE *)ctx);
}

/* --manifest and --failed: each rank's lines in item order, rank 0 writing
 * its own and then the others' (their shares follow in rank order). The
 * same verdict on every rank: 0, or -1 when rank 0 could not write. */
static int write_outputs(const struct rpx_opts *o, struct rpx_out *out, const struct rpx_work *w,
                         int rank)
{
  const char *names[2] = {o->manifest, o->failed};
  int bad = 0;
  for (int k = 0; k < 2; k++) {
    if (names[k] == NULL)
      continue;
    struct afile af;
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = NULL;
    int mine = 0;
    if (rank == 0) {
      mine = afile_open(&af, names[k]);
      fp = mine == 0 ? af.fp : NULL;
    } else if ((fp = open_memstream(&buf, &len)) == NULL) {
      mpix_abort(EXIT_FAIL, "out of memory");
    }
    if (fp != NULL && rpx_out_ordered(out, w, k == 0 ? fp : NULL, k == 1 ? fp : NULL) != 0) {
      err_sys("%s: cannot read the journal back", names[k]);
      mine = -1;
    }
    if (rank != 0 && fclose(fp) != 0)
      mpix_abort(EXIT_FAIL, "out of memory");
    mpix_stream_to_zero(buf, len, 77 + k, sink_to_file, rank == 0 && mine == 0 ? af.fp : NULL);
    free(buf);
    if (rank == 0 && mine == 0 && afile_commit(&af) != 0)
      mine = -1;
    bad |= mine != 0;
  }
  return mpix_agree(bad) != 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
  const char *prog = "randompix-mpi";
  int rank, size;
  mpix_init(&argc, &argv, prog, &rank, &size);
  struct rpx_opts o;
  char err[CLI_ERR_MAX];
  enum cli_status cs = rpx_parse_opts(argc, argv, prog, &o, err);
  if (cs != CLI_OK)
    return mpix_finish(rpx_opts_answer(prog, 1, cs, err, rank == 0));

  /* Every rank reads the list (same file on a shared file system), but
   * standard input, which only rank 0 can read. */
  struct rpx_work all = {0};
  int bad = 0;
  if (o.list != NULL && strcmp(o.list, "-") == 0)
    bad = load_stdin_list(&all, rank);
  else if (o.list != NULL)
    bad = rpx_work_load_list(&all, o.list);
  else
    all.url = o.url, all.n = o.count;
  if ((bad = mpix_agree(bad)) != 0) {
    rpx_work_free(&all);
    return mpix_finish(bad);
  }
  if (rpx_work_check_urls(&all, rank == 0) != 0) { /* the same verdict on every rank */
    rpx_work_free(&all);
    return mpix_finish(EXIT_USAGE);
  }
  bad = o.names == RPX_NAMES_REMOTE && rpx_names_plan(&all) != 0;
  bad = bad || (o.skip_existing && rpx_skip_plan(&o, &all) != 0);
  if (mpix_agree(bad ? EXIT_FAIL : 0) != 0) {
    rpx_names_free(&all);
    rpx_skip_free(&all);
    rpx_work_free(&all);
    return mpix_finish(EXIT_FAIL);
  }
  uint64_t lo = all.n * (uint64_t)rank / (uint64_t)size;
  uint64_t hi = all.n * (uint64_t)(rank + 1) / (uint64_t)size;
  struct rpx_work mine = all;
  mine.n = hi - lo;
  mine.base = lo;
  if (all.skip != NULL)
    mine.skip = all.skip + lo;
  if (all.names != NULL)
    mine.names = all.names + lo;
  if (all.urls != NULL) {
    mine.urls = all.urls + lo;
    mine.lines = all.lines + lo;
  }
  setvbuf(stdout, NULL, _IOLBF, 0);
  rpx_install_signals();

  /* Rank 0 creates the manifest (with what is skipped), then all append. */
  struct rpx_out out;
  bad = rpx_out_start(&out, &o, &mine, rank == 0 ? &all : NULL) != 0;
  if (mpix_agree(bad) == 0)
    bad = rpx_out_attach(&out) != 0;
  if (mpix_agree(bad) != 0) {
    rpx_out_free(&out);
    rpx_skip_free(&all);
    rpx_names_free(&all);
    rpx_work_free(&all);
    return mpix_finish(EXIT_FAIL);
  }

  struct rpx_stats st;
  double t0 = mpix_timer_start();
  int status = rpx_run(&o, &mine, (uint64_t)rank, rank == 0, &out, &st);
  double seconds = mpix_elapsed_max(t0);
  if (write_outputs(&o, &out, &mine, rank) != 0)
    status = -1;

  uint64_t local[7] = {st.ok,       st.failed,  st.retried,         st.bytes,
                       st.not_done, st.skipped, (uint64_t)st.signal},
           sum[7] = {0}, sig = 0;
  MPI_Reduce(local, sum, 7, MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
  MPI_Reduce(&local[6], &sig, 1, MPI_UINT64_T, MPI_MAX, 0, MPI_COMM_WORLD);
  struct rpx_stats total = {.ok = sum[0],
                            .failed = sum[1],
                            .retried = sum[2],
                            .bytes = sum[3],
                            .not_done = sum[4],
                            .skipped = sum[5],
                            .requested = all.n,
                            .signal = (int)sig,
                            .seconds = seconds};
  char *binding = o.json ? mpix_binding(1) : NULL; /* collective; the transfers need no OpenMP */
  if (rank == 0)
    rpx_print_summary(prog, &o, &total, size, binding);
  free(binding);
  rpx_out_free(&out);
  rpx_skip_free(&all);
  rpx_names_free(&all);
  rpx_work_free(&all);
  int code = status != 0 ? EXIT_FAIL : rpx_exit_code(&st);
  return mpix_finish(code);
}
