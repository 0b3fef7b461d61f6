/* sudoku: batch sudoku solver on MPI ranks (OpenMP threads inside each rank).
 *
 * Rank 0 reads every input; the valid puzzles are shared out by --dist:
 *   static   contiguous blocks (MPI_Scatterv / MPI_Gatherv),
 *   cyclic   puzzle i to rank i mod P (packed, scattered, gathered, unpacked),
 *   dynamic  all ranks get the puzzles (broadcast); batches are handed out
 *            as (start, count) as ranks finish (two in flight per rank so no
 *            rank waits; guided sizes: large first, small at the end); rank 0
 *            solves smaller batches too between hand-outs; each worker sends
 *            its results in one message at the end.
 * Each rank solves its puzzles with OpenMP (--schedule, --threads). Results
 * come back to rank 0, which verifies every grid and writes in input order. */
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "mpi_util.h"
#include "sudoku_batch.h"
#include "timer.h"

enum { TAG_WORK = 1, TAG_RESULT = 2, TAG_STOP = 3 };
enum { DYN_DEPTH = 3 };        /* batches in flight per worker */
#define DYN_HEADER         16  /* uint64 start, uint32 count, padding */
#define DYN_MAX_AUTO_BATCH 40u /* 40 results (3.5 KB) stay under the eager limit */

struct dist_ctx {
  const struct sudoku_opts *o;
  int rank, size;
  MPI_Datatype grid_t, result_t; /* 81 and 88 bytes */
};

/* Block sizes and offsets of a contiguous split of n over the ranks. */
static void dist_counts(size_t n, int size, int *counts, int *displs)
{
  for (int r = 0; r < size; r++) {
    size_t lo = n * (size_t)r / (size_t)size, hi = n * (size_t)(r + 1) / (size_t)size;
    counts[r] = (int)(hi - lo);
    displs[r] = (int)lo;
  }
}

/* static and cyclic: one scatter, local solve, one gather. For cyclic, rank 0
 * packs puzzle i into rank (i mod P)'s block and unpacks the results. */
static int dist_collective(const struct dist_ctx *c, const uint8_t *grids,
                           struct sudoku_result *res, size_t n)
{
  int P = c->size, cyclic = c->o->dist == SUDOKU_DIST_CYCLIC;
  int *counts = malloc((size_t)P * sizeof *counts), *displs = malloc((size_t)P * sizeof *displs);
  if (counts == NULL || displs == NULL)
    mpix_abort(EXIT_FAIL, "out of memory");
  if (cyclic) {
    size_t off = 0;
    for (int r = 0; r < P; r++) {
      size_t cnt = n > (size_t)r ? (n - (size_t)r + (size_t)P - 1) / (size_t)P : 0;
      counts[r] = (int)cnt;
      displs[r] = (int)off;
      off += cnt;
    }
  } else {
    dist_counts(n, P, counts, displs);
  }
  size_t mine = (size_t)counts[c->rank];

  const uint8_t *send = grids;
  uint8_t *packed = NULL;
  struct sudoku_result *gathered = res;
  if (cyclic && c->rank == 0) {
    packed = sudoku_alloc_big(n * SUDOKU_CELLS);
    gathered = sudoku_alloc_big(n * sizeof *gathered);
    if (packed == NULL || gathered == NULL)
      mpix_abort(EXIT_FAIL, "out of memory for %zu puzzles", n);
    for (size_t i = 0; i < n; i++) {
      size_t at = (size_t)displs[i % (size_t)P] + i / (size_t)P;
      memcpy(packed + at * SUDOKU_CELLS, grids + i * SUDOKU_CELLS, SUDOKU_CELLS);
    }
    send = packed;
  }
  uint8_t *local = sudoku_alloc_big(mine * SUDOKU_CELLS);
  struct sudoku_result *lres = sudoku_alloc_big(mine * sizeof *lres);
  if (local == NULL || lres == NULL)
    mpix_abort(EXIT_FAIL, "out of memory for %zu puzzles", mine);

  MPI_Scatterv(send, counts, displs, c->grid_t, local, (int)mine, c->grid_t, 0, MPI_COMM_WORLD);
  sudoku_solve_range(local, lres, mine, c->o);
  MPI_Gatherv(lres, (int)mine, c->result_t, gathered, counts, displs, c->result_t, 0,
              MPI_COMM_WORLD);

  if (cyclic && c->rank == 0) {
    for (size_t i = 0; i < n; i++)
      res[i] = gathered[(size_t)displs[i % (size_t)P] + i / (size_t)P];
    free(packed);
    free(gathered);
  }
  free(local);
  free(lres);
  free(counts);
  free(displs);
  return 0;
}

/* ---- dynamic ------------------------------------------------------------------ */

/* Batch sizes: fixed with --batch, else guided self-scheduling: a quarter of
 * the remaining work divided by the ranks, never below a floor, so a run
 * needs few round trips but still ends with small batches. */
struct dyn_plan {
  size_t min, max;
  int ranks;
};

static struct dyn_plan dyn_make_plan(const struct sudoku_opts *o, size_t n, int size)
{
  struct dyn_plan p = {.ranks = size};
  if (o->batch) {
    p.min = p.max = (size_t)o->batch;
    return p;
  }
  p.min = (size_t)o->threads * 4;
  p.max = n / ((size_t)size * 4) + 1;
  if (p.max < p.min)
    p.max = p.min;
  return p;
}

static size_t dyn_next_size(const struct dyn_plan *p, size_t remaining)
{
  size_t b = remaining / ((size_t)p->ranks * 4);
  if (b < p->min)
    b = p->min;
  if (b > p->max)
    b = p->max;
  return b < remaining ? b : remaining;
}

/* Every rank gets all the puzzles first (one broadcast, a collective that
 * progresses on all ranks at once), so a hand-out is a 16-byte (start, count)
 * message and a request for more a 16-byte reply: both go eagerly, and no
 * rank ever waits for rank 0 to progress a large transfer while it solves.
 * Results stay where they were computed until the end, when each worker sends
 * all of its batches in one message (rank 0 knows which batches it gave out). */
struct dyn_batch {
  uint64_t start, count;
};

/* Rank 0: hand out batches, solve smaller batches itself in between. */
static void dyn_master(const struct dist_ctx *c, const uint8_t *grids, struct sudoku_result *res,
                       size_t n, const struct dyn_plan *plan)
{
  int P = c->size;
  size_t next = 0, outstanding = 0, nlog = 0, caplog = 64;
  int *owner = NULL;
  struct dyn_batch *log = malloc(caplog * sizeof *log);
  owner = malloc(caplog * sizeof *owner);
  if (log == NULL || owner == NULL)
    mpix_abort(EXIT_FAIL, "out of memory");

#define HAND_OUT(r)                                                                                \
  do {                                                                                             \
    if (nlog == caplog) {                                                                          \
      caplog *= 2;                                                                                 \
      log = realloc(log, caplog * sizeof *log);                                                    \
      owner = realloc(owner, caplog * sizeof *owner);                                              \
      if (log == NULL || owner == NULL)                                                            \
        mpix_abort(EXIT_FAIL, "out of memory");                                                    \
    }                                                                                              \
    size_t cnt_ = dyn_next_size(plan, n - next);                                                   \
    log[nlog].start = next;                                                                        \
    log[nlog].count = cnt_;                                                                        \
    owner[nlog++] = (r);                                                                           \
    MPI_Send(&log[nlog - 1], 2, MPI_UINT64_T, (r), TAG_WORK, MPI_COMM_WORLD);                      \
    next += cnt_;                                                                                  \
    outstanding++;                                                                                 \
  } while (0)

  for (int k = 0; k < DYN_DEPTH; k++)
    for (int r = 1; r < P && next < n; r++)
      HAND_OUT(r);
  while (next < n || outstanding > 0) {
    int flag = 0;
    MPI_Status st;
    if (outstanding > 0) {
      if (next < n)
        MPI_Iprobe(MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD, &flag, &st);
      else
        flag = 1; /* nothing left to solve here: wait for the workers */
    }
    if (!flag) { /* nothing to collect: solve a smaller batch here, so that
                  * requests are answered soon */
      size_t cnt = dyn_next_size(plan, (n - next) / 4);
      if (cnt == 0)
        cnt = 1;
      sudoku_solve_range(grids + next * SUDOKU_CELLS, res + next, cnt, c->o);
      next += cnt;
      continue;
    }
    uint64_t done[2];
    MPI_Recv(done, 2, MPI_UINT64_T, MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD, &st);
    outstanding--;
    if (next < n)
      HAND_OUT(st.MPI_SOURCE);
  }
#undef HAND_OUT
  for (int r = 1; r < P; r++)
    MPI_Send(NULL, 0, MPI_BYTE, r, TAG_STOP, MPI_COMM_WORLD);

  /* collect: each worker's batches, in the order they were handed out */
  for (int r = 1; r < P; r++) {
    size_t total = 0;
    for (size_t i = 0; i < nlog; i++)
      if (owner[i] == r)
        total += log[i].count;
    struct sudoku_result *tmp = sudoku_alloc_big(total * sizeof *tmp);
    if (tmp == NULL)
      mpix_abort(EXIT_FAIL, "out of memory");
    if (total > 0)
      MPI_Recv(tmp, (int)total, c->result_t, r, TAG_RESULT, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    size_t off = 0;
    for (size_t i = 0; i < nlog; i++)
      if (owner[i] == r) {
        memcpy(res + log[i].start, tmp + off, log[i].count * sizeof *tmp);
        off += log[i].count;
      }
    free(tmp);
  }
  free(log);
  free(owner);
}

/* Other ranks: solve batches until told to stop, then send the results. */
static void dyn_worker(const struct dist_ctx *c, const uint8_t *grids, size_t n)
{
  struct sudoku_result *res = sudoku_alloc_big(n * sizeof *res);
  size_t nlog = 0, caplog = 64, total = 0;
  struct dyn_batch *log = malloc(caplog * sizeof *log);
  if (res == NULL || log == NULL)
    mpix_abort(EXIT_FAIL, "out of memory for %zu results", n);
  for (;;) {
    struct dyn_batch b;
    MPI_Status st;
    MPI_Recv(&b, 2, MPI_UINT64_T, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
    if (st.MPI_TAG == TAG_STOP)
      break;
    sudoku_solve_range(grids + b.start * SUDOKU_CELLS, res + b.start, (size_t)b.count, c->o);
    if (nlog == caplog) {
      caplog *= 2;
      log = realloc(log, caplog * sizeof *log);
      if (log == NULL)
        mpix_abort(EXIT_FAIL, "out of memory");
    }
    log[nlog++] = b;
    total += b.count;
    MPI_Send(&b, 2, MPI_UINT64_T, 0, TAG_RESULT, MPI_COMM_WORLD);
  }
  /* pack this rank's batches in hand-out order, in place, and send them */
  size_t off = 0;
  for (size_t i = 0; i < nlog; i++) {
    memmove(res + off, res + log[i].start, log[i].count * sizeof *res);
    off += log[i].count;
  }
  if (total > 0)
    MPI_Send(res, (int)total, c->result_t, 0, TAG_RESULT, MPI_COMM_WORLD);
  free(res);
  free(log);
}

static void dist_solve(const struct dist_ctx *c, const uint8_t *grids, struct sudoku_result *res,
                       size_t n)
{
  if (c->o->dist != SUDOKU_DIST_DYNAMIC) {
    dist_collective(c, grids, res, n);
    return;
  }
  struct dyn_plan plan = dyn_make_plan(c->o, n, c->size);
  if (c->rank == 0) {
    MPI_Bcast((void *)grids, (int)n, c->grid_t, 0, MPI_COMM_WORLD);
    dyn_master(c, grids, res, n, &plan);
    return;
  }
  uint8_t *all = sudoku_alloc_big(n * SUDOKU_CELLS);
  if (all == NULL)
    mpix_abort(EXIT_FAIL, "out of memory for %zu puzzles", n);
  MPI_Bcast(all, (int)n, c->grid_t, 0, MPI_COMM_WORLD);
  dyn_worker(c, all, n);
  free(all);
}

int main(int argc, char **argv)
{
  int rank, size;
  mpix_init(&argc, &argv, "sudoku", &rank, &size);
  struct sudoku_opts o = {.prog = "sudoku", .mpi = 1};
  char err[CLI_ERR_MAX];
  enum cli_status cs = sudoku_parse_opts(&o, argc, argv, rank == 0, err);
  if (cs == CLI_EXIT_OK)
    return mpix_finish(EXIT_OK);
  if (cs == CLI_USAGE) {
    if (rank == 0)
      cli_print_usage_error(o.prog, err);
    return mpix_finish(EXIT_USAGE);
  }

  struct dist_ctx c = {.o = &o, .rank = rank, .size = size};
  MPI_Type_contiguous(SUDOKU_CELLS, MPI_BYTE, &c.grid_t);
  MPI_Type_commit(&c.grid_t);
  MPI_Type_contiguous((int)sizeof(struct sudoku_result), MPI_BYTE, &c.result_t);
  MPI_Type_commit(&c.result_t);

  struct sudoku_batch bt;
  memset(&bt, 0, sizeof bt);
  double t0 = mpix_timer_start();
  uint64_t n = 0;
  int rc = 0;
  if (rank == 0) {
    rc = sudoku_read_inputs(&o, &bt);
    n = bt.n;
  }
  double t1 = MPI_Wtime();
  MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
  MPI_Bcast(&n, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  if (rc != 0 || n > (uint64_t)INT32_MAX) {
    if (rc == 0 && rank == 0)
      err_msg("%llu puzzles: more than one run can share out", (unsigned long long)n);
    sudoku_batch_free(&bt);
    MPI_Type_free(&c.grid_t);
    MPI_Type_free(&c.result_t);
    return mpix_finish(EXIT_FAIL);
  }

  struct sudoku_result *res = NULL;
  double *solve = malloc((size_t)o.repeat * sizeof *solve);
  if (rank == 0)
    res = sudoku_alloc_big(n * sizeof *res);
  if (solve == NULL || (rank == 0 && res == NULL))
    mpix_abort(EXIT_FAIL, "out of memory for %llu results", (unsigned long long)n);
  for (int k = 0; k < o.repeat; k++) {
    double s0 = mpix_timer_start();
    dist_solve(&c, bt.grids, res, n);
    solve[k] = mpix_elapsed_max(s0);
  }

  double t2 = MPI_Wtime();
  struct sudoku_counts cnt;
  int code = EXIT_OK;
  if (rank == 0) {
    code = sudoku_write_results(&o, &bt, res, &cnt) != 0 ? EXIT_FAIL : sudoku_exit_status(&cnt);
  }
  double t3 = MPI_Wtime();
  if (rank == 0) {
    /* end to end: read + first solve (slowest rank) + write */
    struct sudoku_times tm = {.read = t1 - t0,
                              .write = t3 - t2,
                              .e2e = (t1 - t0) + solve[0] + (t3 - t2),
                              .solve = solve,
                              .ranks = size};
    sudoku_print_summary(&o, &bt, res, &cnt, &tm);
  }
  free(res);
  free(solve);
  sudoku_batch_free(&bt);
  MPI_Type_free(&c.grid_t);
  MPI_Type_free(&c.result_t);
  return mpix_finish(code);
}
