/* msort: stable merge sort across MPI ranks, OpenMP inside each rank.
 *
 *   --algo sample  distributed sample sort (default): every rank generates or
 *                  reads its own slice, sorts it, splitters come from a
 *                  regular sample, one MPI_Alltoallv moves every element to
 *                  its rank, which merges the runs it received. Data never
 *                  gather on one rank.
 *   --algo gather  the textbook design: rank 0 holds the input, MPI_Scatterv
 *                  deals chunks, every rank sorts its chunk, and a tree of
 *                  pairwise merges brings the result back to rank 0 in
 *                  ceil(log2 p) rounds.
 *
 * Phases: parse (every rank), input (untimed), sort (timed from a barrier,
 * slowest rank reported), verify (untimed: sorted within and across ranks,
 * checksum reduced over ranks, stability for generated rec100), write with
 * MPI-IO into a temporary file that rank 0 renames into place (or through
 * rank 0: stdout, a FIFO, one rank). The output is opened first, so that a
 * bad -o fails before any work. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "errors.h"
#include "memory.h"
#include "mpi_util.h"
#include "msort.h"
#include "msort_opts.h"
#include "msort_mpi_int.h"
#include "progress.h"
#include "report.h"

static size_t block_lo(uint64_t n, int r, int p)
{
  return (size_t)((msort_u128)n * (unsigned)r / (unsigned)p);
}

/* Input size: generated, or counted (binary file) / read whole (text, or a
 * stream such as standard input, which only rank 0 sees) by rank 0, which
 * then deals it out. */
static int input_size(struct run *R, void **text0)
{
  int rc = EXIT_OK;
  R->n = R->o.n;
  if (R->o.input && R->rank == 0) {
    R->whole = R->o.text || msort_input_is_stream(R->o.input);
    if (R->whole) {
      size_t cnt = 0;
      rc = msort_read_whole(R->o.input, R->o.type, R->o.text, text0, &cnt);
      R->n = cnt;
    } else {
      rc = msort_file_count(R->o.input, R->o.type, &R->n);
    }
  }
  MPI_Bcast(&R->whole, 1, MPI_INT, 0, MPI_COMM_WORLD);
  return msortm_bcast_code(rc, &R->n);
}

/* Refuse before allocating more than the limits allow: each rank's own need
 * against its own limits (RLIMIT_AS), and the sum over the ranks of a node
 * against that node's shared ones (available memory, memory cgroup), judged
 * by the node's first rank. The lowest rank that finds a breach says so. */
static int check_memory(const struct run *R, double mine)
{
  MPI_Comm node;
  int lrank, nlocal;
  double node_need = 0;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
  MPI_Comm_rank(node, &lrank);
  MPI_Comm_size(node, &nlocal);
  MPI_Reduce(&mine, &node_need, 1, MPI_DOUBLE, MPI_SUM, 0, node);
  MPI_Comm_free(&node);
  struct mem_limit lim;
  double need = mine;
  int whole_node = need <= (double)mem_limit(&lim, MEM_LIMIT_PROCESS);
  if (whole_node) {
    need = lrank == 0 ? node_need : 0;
    mem_limit(&lim, MEM_LIMIT_SHARED);
  }
  int breach = need > (double)lim.room ? R->rank : INT_MAX, first = INT_MAX;
  MPI_Allreduce(&breach, &first, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  if (first == R->rank) {
    char a[32], b[600];
    mem_human_bytes(need, a, sizeof a);
    mem_limit_describe(&lim, b, sizeof b);
    if (whole_node)
      err_msg("%llu %s elements need %s of memory on this node (%d rank%s, data and scratch); %s",
              (unsigned long long)R->n, msort_type_names[R->o.type], a, nlocal,
              nlocal == 1 ? "" : "s", b);
    else
      err_msg("%llu %s elements need %s of memory on this rank (data and scratch); %s",
              (unsigned long long)R->n, msort_type_names[R->o.type], a, b);
  }
  return first == INT_MAX ? EXIT_OK : EXIT_FAIL;
}

#ifndef CAP_SLACK                            /* tests of the regrow path build with a smaller one */
#define CAP_SLACK(m) ((m) + (m) / 16 + 1024) /* sample sort: room for imbalance */
#endif

/* MPI-IO read and write rates (binary input file; output file): rank 0
 * prints them, and they go into buf as JSON members (read_MBps, write_MBps). */
static int io_rates(const struct run *R, double t_read, double t_write, char *buf, size_t len)
{
  double mb = (double)R->n * (double)R->esz / 1e6;
  int w = 0, rd = R->o.input != NULL && !R->whole && t_read > 0, wr = R->o.output && t_write > 0;
  char line[160];
  int lw = snprintf(line, sizeof line, "%.1f MB", mb);
  if (rd) {
    w += snprintf(buf + w, len - (size_t)w, ",\"read_MBps\":%.1f", mb / t_read);
    lw += snprintf(line + lw, sizeof line - (size_t)lw, ", read %.1f MB/s (%.3f s)", mb / t_read,
                   t_read);
  }
  if (wr) {
    w += snprintf(buf + w, len - (size_t)w, ",\"write_MBps\":%.1f", mb / t_write);
    snprintf(line + lw, sizeof line - (size_t)lw, ", write %.1f MB/s (%.3f s)", mb / t_write,
             t_write);
  }
  if (rd || wr)
    fprintf(stderr, "%s: I/O: %s\n", msort_prog_name(MSORT_PROG_MPI), line);
  return w;
}

static int run_sort(struct run *R, void *text0)
{
  const struct msort_opts *o = &R->o;
  int p = R->size, r = R->rank, gather = o->algo == ALGO_GATHER, rec = o->type == MSORT_REC100;
  for (int q = 0; q <= p; q++)
    if (q < p) {
      R->displs[q] = block_lo(R->n, q, p);
      R->counts[q] = block_lo(R->n, q + 1, p) - R->displs[q];
    }
  /* my input slice, and buffer capacity */
  size_t lo = gather ? 0 : R->displs[r], m = gather ? (r == 0 ? (size_t)R->n : 0) : R->counts[r];
  size_t cap = gather ? msortm_region(R, r, msortm_final_span(r, p)) : CAP_SLACK(m);
  size_t wsn = gather ? (rec ? R->counts[r] : 0) : (rec ? cap : 0);
  int keep = o->input != NULL && o->repeat > 1;
  double need = (double)cap * (double)R->esz * (rec && !gather ? 1 : 2) +
                (wsn ? (double)msort_ws_bytes(o->type, wsn) : 0) +
                (keep ? (double)m * (double)R->esz : 0);
  int rc = check_memory(R, need);
  if (rc != EXIT_OK)
    return rc;
  if (R->counts[0] + 1 > INT_MAX) { /* MPI counts are ints */
    if (r == 0)
      err_msg("%llu elements make %zu per rank, more than one MPI message holds: use more ranks",
              (unsigned long long)R->n, R->counts[0]);
    return EXIT_FAIL;
  }
  struct msort_ws ws;
  memset(&ws, 0, sizeof ws);
  void *a = mem_alloc_touched(cap * R->esz, R->threads);
  void *t = mem_alloc_touched(rec && !gather ? 1 : cap * R->esz, R->threads);
  void *orig = keep ? malloc(m * R->esz + 1) : NULL;
  int bad = a == NULL || t == NULL || (keep && orig == NULL) ||
            (wsn && msort_ws_alloc(&ws, o->type, wsn, R->threads) != 0);
  if (bad)
    err_msg("cannot allocate %.0f bytes", need);
  double *secs = calloc((size_t)o->repeat, sizeof *secs);
  rc = mpix_agree(bad || secs == NULL) ? EXIT_FAIL : EXIT_OK;
  /* input (untimed, but timed for the MB/s), its checksum; rank 0 draws
   * the progress line of its own part (progress.h: on a terminal, for long
   * runs) */
  struct progress bar = {0};
  if (r == 0)
    progress_init(&bar, msort_prog_name(MSORT_PROG_MPI));
  progress_phase(&bar, o->input ? "read" : "generate", 0, NULL);
  double t_read = 0, t_write = 0;
  if (rc == EXIT_OK) {
    double t0 = mpix_timer_start();
    rc = msortm_load_slice(R, lo, m, a, text0);
    t_read = mpix_elapsed_max(t0);
  }
  if (rc == EXIT_OK && keep)
    memcpy(orig, a, m * R->esz);
  struct msort_sum before = {0, 0};
  if (rc == EXIT_OK && o->verify) {
    before = msort_checksum(o->type, a, m, R->threads);
    MPI_Allreduce(MPI_IN_PLACE, &before.sum, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
    MPI_Allreduce(MPI_IN_PLACE, &before.xr, 1, MPI_UINT64_T, MPI_BXOR, MPI_COMM_WORLD);
  }
  /* the timed runs */
  void *res = a;
  size_t len = 0;
  progress_phase(&bar, "sort", (uint64_t)o->repeat, "runs");
  for (int k = 0; rc == EXIT_OK && k < o->repeat; k++) {
    if (k > 0 && keep)
      memcpy(a, orig, m * R->esz);
    else if (k > 0)
      msort_generate(o->type, o->dist, o->seed, R->n, lo, m, a, R->threads);
    double t0 = mpix_timer_start();
    if (gather)
      res = msortm_sort_gather(R, a, t, &ws, &len);
    else
      res = msortm_sort_sample(R, &a, &t, &cap, &ws, m, &len);
    secs[k] = mpix_elapsed_max(t0);
    progress_add(&bar, 1);
    progress_show(&bar);
  }
  /* verify, write, report: a run whose output was not written is no PASS */
  int verdict = REPORT_UNCHECKED;
  if (rc == EXIT_OK && o->verify) {
    progress_phase(&bar, "verify", 0, NULL);
    rc = msortm_verify(R, res, len, before);
    verdict = rc == EXIT_OK ? REPORT_PASSED : REPORT_FAILED;
  }
  char vjson[200] = "";
  if (rc == EXIT_OK && o->verify && rec)
    msortm_valsort(R, res, len, verdict == REPORT_PASSED, vjson, sizeof vjson);
  if (rc == EXIT_OK) {
    progress_phase(&bar, "write", 0, NULL);
    double t0 = mpix_timer_start();
    rc = msortm_out_write(R, res, len);
    t_write = mpix_elapsed_max(t0);
    if (rc != EXIT_OK)
      verdict = REPORT_FAILED;
  }
  progress_clear(&bar);
  uint64_t maxlen = len;
  MPI_Allreduce(MPI_IN_PLACE, &maxlen, 1, MPI_UINT64_T, MPI_MAX, MPI_COMM_WORLD);
  int reported = secs && (rc == EXIT_OK || verdict == REPORT_FAILED);
  char *binding = reported && o->json ? mpix_binding(R->threads) : NULL; /* collective */
  if (r == 0 && reported) {
    char extra[400]; /* largest share of the result on one rank, relative to n/p */
    int w = snprintf(extra, sizeof extra, "\"max_rank_share\":%.4f",
                     R->n ? (double)maxlen * p / (double)R->n : 1.0);
    if (vjson[0])
      w += snprintf(extra + w, sizeof extra - (size_t)w, ",%s", vjson);
    w += io_rates(R, t_read, t_write, extra + w, sizeof extra - (size_t)w);
    char *options = msort_options_json(o, MSORT_PROG_MPI);
    struct report rep = {.program = msort_prog_name(MSORT_PROG_MPI),
                         .variant = msort_prog_algos(MSORT_PROG_MPI)[o->algo],
                         .threads = R->threads,
                         .ranks = p,
                         .n = R->n,
                         .seconds = secs,
                         .repeat = (size_t)o->repeat,
                         .rate_unit = "keys/s",
                         .verified = verdict,
                         .extra_json = extra,
                         .timed = "sort",
                         .options = options,
                         .binding = binding};
    report_print(&rep, report_json_dest(o->json, o->output && afile_is_stdout(o->output)));
    free(options);
  }
  free(binding);
  free(secs);
  free(orig);
  free(a);
  free(t);
  msort_ws_free(&ws);
  return rc;
}

int main(int argc, char **argv)
{
  struct run R;
  char err[CLI_ERR_MAX];
  memset(&R, 0, sizeof R);
  mpix_init(&argc, &argv, msort_prog_name(MSORT_PROG_MPI), &R.rank, &R.size);
  enum cli_status st = msort_opts_parse(argc, argv, MSORT_PROG_MPI, &R.o, err);
  if (st != CLI_OK)
    return mpix_finish(msort_opts_answer(st, MSORT_PROG_MPI, err, R.rank == 0));
  R.threads = mpix_threads_per_rank(R.o.threads);
  R.esz = msort_type_size(R.o.type);
  R.ksz = msort_key_size(R.o.type);
  MPI_Type_contiguous((int)R.esz, MPI_BYTE, &R.etype);
  MPI_Type_commit(&R.etype);
  R.counts = malloc(2 * ((size_t)R.size + 1) * sizeof *R.counts);
  if (R.counts == NULL)
    mpix_abort(EXIT_FAIL, "out of memory");
  R.displs = R.counts + R.size + 1;
  static struct msortm_out out; /* static: its names are large */
  R.out = &out;
  void *text0 = NULL;
  int rc = msortm_out_open(&R); /* a bad -o fails now, not after the sort */
  if (rc == EXIT_OK)
    rc = input_size(&R, &text0);
  if (rc == EXIT_OK)
    rc = run_sort(&R, text0);
  msortm_out_abort(&R); /* after a failure: nothing left behind */
  free(text0);
  free(R.counts);
  MPI_Type_free(&R.etype);
  return mpix_finish(rc);
}
