/* sudoku: batch sudoku solver on MPI ranks (OpenMP threads inside each rank).
 *
 * Rank 0 reads every input whole and scatters the text, cut at line
 * boundaries, so that every rank parses a piece (rank 0 gathers where each
 * puzzle came from and the rejected lines). The puzzles are shared out by
 * --dist:
 *   static   contiguous blocks: each rank solves the piece it parsed,
 *   cyclic   puzzle i to rank i mod P (all ranks get every puzzle, each
 *            packs its own; results gathered and unpacked),
 *   dynamic  all ranks get every puzzle; batches are handed out
 *            as (start, count) as ranks finish (two in flight per rank so no
 *            rank waits; guided sizes: large first, small at the end); rank 0
 *            solves smaller batches too between hand-outs; each worker sends
 *            its results in one message at the end.
 * Each rank solves its puzzles with OpenMP (--schedule, --threads) and
 * checks every grid it finds. Results come back to rank 0, which writes them
 * in input order. */
#include <stdlib.h>
#include <string.h>

#include "affinity.h"
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

/* How many of n puzzles rank r solves under cyclic: r, r + P, ... */
static size_t cyclic_share(size_t n, int r, int P)
{
  return n > (size_t)r ? (n - (size_t)r + (size_t)P - 1) / (size_t)P : 0;
}

/* static and cyclic: local solve, results to rank 0. static solves the
 * rank's own piece (mine) and gathers; cyclic solves puzzles rank, rank + P,
 * ... of all the grids (all) in place, and rank 0 receives each rank's
 * results straight into their slots. counts/displs: the pieces. */
static void dist_collective(const struct dist_ctx *c, const struct sudoku_batch *mine,
                            const uint8_t *all, struct sudoku_result *res, size_t n,
                            const int *counts, const int *displs)
{
  int P = c->size;
  if (c->o->dist == SUDOKU_DIST_STATIC) {
    struct sudoku_result *lres = sudoku_alloc_big(mine->n * sizeof *lres);
    if (lres == NULL)
      mpix_abort(EXIT_FAIL, "out of memory for %zu puzzles", mine->n);
    sudoku_solve_range(mine->grids, lres, mine->n, c->o);
    MPI_Gatherv(lres, (int)mine->n, c->result_t, res, counts, displs, c->result_t, 0,
                MPI_COMM_WORLD);
    free(lres);
    return;
  }
  size_t m = cyclic_share(n, c->rank, P);
  struct sudoku_result *lres = sudoku_alloc_big(m * sizeof *lres);
  if (lres == NULL)
    mpix_abort(EXIT_FAIL, "out of memory for %zu puzzles", m);
  sudoku_solve_strided(all + (size_t)c->rank * SUDOKU_CELLS, (size_t)P, lres, m, c->o);
  if (c->rank != 0) {
    MPI_Send(lres, (int)m, c->result_t, 0, TAG_RESULT, MPI_COMM_WORLD);
    free(lres);
    return;
  }
  /* rank 0: rank r's k-th result goes straight to res[r + kP] (a strided
   * receive type: no second buffer, no unpacking) */
  MPI_Request *rq = malloc((size_t)P * sizeof *rq);
  if (rq == NULL)
    mpix_abort(EXIT_FAIL, "out of memory");
  rq[0] = MPI_REQUEST_NULL;
  for (int r = 1; r < P; r++) {
    size_t cnt = cyclic_share(n, r, P);
    MPI_Datatype every_pth;
    MPI_Type_vector((int)cnt, 1, P, c->result_t, &every_pth);
    MPI_Type_commit(&every_pth);
    MPI_Irecv(cnt ? res + r : res, cnt ? 1 : 0, every_pth, r, TAG_RESULT, MPI_COMM_WORLD, &rq[r]);
    MPI_Type_free(&every_pth); /* the pending receive keeps it */
  }
  for (size_t k = 0; k < m; k++)
    res[k * (size_t)P] = lres[k];
  MPI_Waitall(P, rq, MPI_STATUSES_IGNORE);
  free(rq);
  free(lres);
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

static void dist_solve(const struct dist_ctx *c, const struct sudoku_batch *mine,
                       const uint8_t *all, struct sudoku_result *res, size_t n, const int *counts,
                       const int *displs)
{
  if (c->o->dist != SUDOKU_DIST_DYNAMIC) {
    dist_collective(c, mine, all, res, n, counts, displs);
    return;
  }
  struct dyn_plan plan = dyn_make_plan(c->o, n, c->size);
  if (c->rank == 0)
    dyn_master(c, all, res, n, &plan);
  else
    dyn_worker(c, all, n);
}

/* ---- the read phase ------------------------------------------------------------ */

/* Rank 0 reads the inputs whole (tx) and scatters them in one piece per
 * rank; every rank parses its piece (mine). Then counts/displs give every
 * piece's puzzles, and rank 0 gathers into bt where each puzzle came from
 * (grids too, for static: the others share all grids anyway) and the
 * rejected lines, which it reports in order. Returns the number of puzzles,
 * or -1 on every rank after an error. */
static long dist_read(const struct dist_ctx *c, struct sudoku_text *tx, struct sudoku_batch *mine,
                      struct sudoku_batch *bt, int *counts, int *displs)
{
  int P = c->size, rank = c->rank;
  int rc = 0;
  uint64_t nfiles = 0;
  struct sudoku_piece *pc = calloc((size_t)P, sizeof *pc);
  int *bytes = malloc((size_t)P * sizeof *bytes), *boff = malloc((size_t)P * sizeof *boff);
  if (pc == NULL || bytes == NULL || boff == NULL)
    mpix_abort(EXIT_FAIL, "out of memory");
  if (rank == 0) {
    rc = sudoku_text_read(c->o, tx);
    if (rc == 0 && tx->len / (size_t)P >= (size_t)INT32_MAX / 2) {
      err_msg("%zu bytes of input: more than one run can share out", tx->len);
      rc = -1;
    }
    if (rc == 0)
      sudoku_text_split(tx, P, pc);
    nfiles = tx->nfiles;
  }
  MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (rc != 0)
    goto out;
  MPI_Bcast(&nfiles, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  if (rank != 0) {
    tx->nfiles = (size_t)nfiles;
    tx->start = malloc((nfiles + 1) * sizeof *tx->start);
    if (tx->start == NULL)
      mpix_abort(EXIT_FAIL, "out of memory");
  }
  MPI_Bcast(tx->start, (int)(nfiles + 1) * (int)sizeof *tx->start, MPI_BYTE, 0, MPI_COMM_WORLD);
  MPI_Bcast(pc, P * (int)sizeof *pc, MPI_BYTE, 0, MPI_COMM_WORLD);
  for (int r = 0; r < P; r++) {
    bytes[r] = (int)(pc[r].hi - pc[r].lo);
    boff[r] = (int)pc[r].lo;
  }
  char *text = NULL;
  if (rank != 0 && (text = sudoku_alloc_big((size_t)bytes[rank])) == NULL)
    mpix_abort(EXIT_FAIL, "out of memory for %d bytes of puzzles", bytes[rank]);
  MPI_Scatterv(tx->buf, bytes, boff, MPI_CHAR, rank == 0 ? MPI_IN_PLACE : text, bytes[rank],
               MPI_CHAR, 0, MPI_COMM_WORLD);
  rc = sudoku_parse_piece(tx, rank == 0 ? tx->buf + pc[0].lo : text, pc[rank].lo, &pc[rank], mine);
  free(text);
  sudoku_text_drop(tx);
  rc = mpix_agree(rc != 0 ? 1 : 0) ? -1 : 0;
  if (rc != 0)
    goto out;

  int mine_n = (int)mine->n, mine_rej = (int)mine->nrej;
  int *rejn = malloc((size_t)P * sizeof *rejn), *rejd = malloc((size_t)P * sizeof *rejd);
  if (rejn == NULL || rejd == NULL)
    mpix_abort(EXIT_FAIL, "out of memory");
  MPI_Allgather(&mine_n, 1, MPI_INT, counts, 1, MPI_INT, MPI_COMM_WORLD);
  MPI_Gather(&mine_rej, 1, MPI_INT, rejn, 1, MPI_INT, 0, MPI_COMM_WORLD);
  size_t n = 0, nrej = 0;
  for (int r = 0; r < P; r++) {
    displs[r] = (int)n;
    n += (size_t)counts[r];
    if (n > (size_t)INT32_MAX)
      mpix_abort(EXIT_FAIL, "%zu puzzles: more than one run can share out", n);
    if (rank == 0) {
      if ((nrej + (size_t)rejn[r]) * sizeof *mine->rej > (size_t)INT32_MAX)
        mpix_abort(EXIT_FAIL, "over %zu rejected lines: too many to gather", nrej);
      rejd[r] = (int)(nrej * sizeof *mine->rej);
      nrej += (size_t)rejn[r];
      rejn[r] *= (int)sizeof *mine->rej;
    }
  }
  if (rank == 0) {
    if (sudoku_batch_alloc(bt, n) != 0)
      mpix_abort(EXIT_FAIL, "out of memory for %zu puzzles", n);
    bt->n = n;
    bt->rej = malloc((nrej ? nrej : 1) * sizeof *bt->rej);
    if (bt->rej == NULL)
      mpix_abort(EXIT_FAIL, "out of memory");
    bt->nrej = bt->caprej = nrej;
  }
  MPI_Gatherv(mine->file, mine_n, MPI_UINT32_T, bt->file, counts, displs, MPI_UINT32_T, 0,
              MPI_COMM_WORLD);
  MPI_Gatherv(mine->line, mine_n, MPI_UINT64_T, bt->line, counts, displs, MPI_UINT64_T, 0,
              MPI_COMM_WORLD);
  if (c->o->dist == SUDOKU_DIST_STATIC)
    MPI_Gatherv(mine->grids, mine_n, c->grid_t, bt->grids, counts, displs, c->grid_t, 0,
                MPI_COMM_WORLD);
  MPI_Gatherv(mine->rej, mine_rej * (int)sizeof *mine->rej, MPI_BYTE, bt->rej, rejn, rejd, MPI_BYTE,
              0, MPI_COMM_WORLD);
  if (rank == 0) {
    for (int r = 0; r < P; r++)
      sudoku_rejects_place(tx, bt->rej + (size_t)rejd[r] / sizeof *mine->rej,
                           (size_t)rejn[r] / sizeof *mine->rej, (size_t)displs[r]);
  }
  free(rejn);
  free(rejd);
  free(pc);
  free(bytes);
  free(boff);
  return (long)n;
out:
  free(pc);
  free(bytes);
  free(boff);
  return -1;
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

  struct sudoku_text tx = {0};
  struct sudoku_batch mine = {0}, bt = {0};
  int *counts = malloc((size_t)size * sizeof *counts);
  int *displs = malloc((size_t)size * sizeof *displs);
  double *solve = malloc((size_t)o.repeat * sizeof *solve);
  if (counts == NULL || displs == NULL || solve == NULL)
    mpix_abort(EXIT_FAIL, "out of memory");
  affinity_spread(o.threads); /* threads started (and pinned) before the clock */
  double t0 = mpix_timer_start();
  long got = dist_read(&c, &tx, &mine, &bt, counts, displs);
  if (got < 0) {
    free(counts);
    free(displs);
    free(solve);
    sudoku_text_free(&tx);
    sudoku_batch_free(&mine);
    sudoku_batch_free(&bt);
    MPI_Type_free(&c.grid_t);
    MPI_Type_free(&c.result_t);
    return mpix_finish(EXIT_FAIL);
  }
  size_t n = (size_t)got;
  /* cyclic and dynamic: every rank gets every puzzle (rank 0 into bt) */
  uint8_t *all = NULL;
  if (o.dist != SUDOKU_DIST_STATIC) {
    all = rank == 0 ? bt.grids : sudoku_alloc_big(n * SUDOKU_CELLS);
    if (all == NULL)
      mpix_abort(EXIT_FAIL, "out of memory for %zu puzzles", n);
    MPI_Allgatherv(mine.grids, (int)mine.n, c.grid_t, all, counts, displs, c.grid_t,
                   MPI_COMM_WORLD);
    sudoku_batch_free(&mine); /* its puzzles are in all now */
  }
  double t1 = MPI_Wtime();

  struct sudoku_result *res = NULL;
  if (rank == 0 && (res = sudoku_alloc_big(n * sizeof *res)) == NULL)
    mpix_abort(EXIT_FAIL, "out of memory for %zu results", n);
  for (int k = 0; k < o.repeat; k++) {
    double s0 = mpix_timer_start();
    dist_solve(&c, &mine, all, res, n, counts, displs);
    solve[k] = mpix_elapsed_max(s0);
  }

  double t2 = MPI_Wtime();
  struct sudoku_counts cnt;
  int code = EXIT_OK;
  if (rank == 0)
    code =
        sudoku_write_results(&o, &tx, &bt, res, &cnt) != 0 ? EXIT_FAIL : sudoku_exit_status(&cnt);
  double t3 = MPI_Wtime();
  if (rank == 0) {
    /* end to end: read + first solve (slowest rank) + write */
    struct sudoku_times tm = {.read = t1 - t0,
                              .write = t3 - t2,
                              .e2e = (t1 - t0) + solve[0] + (t3 - t2),
                              .solve = solve,
                              .ranks = size};
    sudoku_print_summary(&o, &tx, &bt, res, &cnt, &tm);
  }
  if (rank != 0)
    free(all);
  free(res);
  free(solve);
  free(counts);
  free(displs);
  sudoku_text_free(&tx);
  sudoku_batch_free(&mine);
  sudoku_batch_free(&bt);
  MPI_Type_free(&c.grid_t);
  MPI_Type_free(&c.result_t);
  return mpix_finish(code);
}
