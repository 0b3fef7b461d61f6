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
  uint64_t lo = all.n * (uint64_t)rank / (uint64_t)size;
  uint64_t hi = all.n * (uint64_t)(rank + 1) / (uint64_t)size;
  struct rpx_work mine = all;
  mine.n = hi - lo;
  if (all.urls != NULL) {
    mine.urls = all.urls + lo;
    mine.lines = all.lines + lo;
  }
  setvbuf(stdout, NULL, _IOLBF, 0);
  rpx_install_signals();

  struct rpx_stats st;
  double t0 = mpix_timer_start();
  int status = rpx_run(&o, &mine, (uint64_t)rank, rank == 0, &st);
  double seconds = mpix_elapsed_max(t0);

  uint64_t local[5] = {st.ok, st.failed, st.retried, st.bytes, st.not_done}, sum[5] = {0};
  MPI_Reduce(local, sum, 5, MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
  struct rpx_stats total = {sum[0], sum[1], sum[2], sum[3], sum[4], seconds};
  char *binding = o.json ? mpix_binding(1) : NULL; /* collective; the transfers need no OpenMP */
  if (rank == 0)
    rpx_print_summary(prog, &o, &total, size, binding);
  free(binding);
  rpx_work_free(&all);
  int code = status != 0 ? EXIT_FAIL : rpx_exit_code(&st);
  return mpix_finish(code);
}
