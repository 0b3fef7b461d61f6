/* sudoku (MPI), --dist dynamic: every rank solves its own piece first, then
 * batches of what is left of the others' that rank 0 hands out as ranks
 * finish; rank 0 solves smaller ones in between, and at the end the results
 * travel to the ranks whose pieces they belong to. */
#include <stdlib.h>

#include "errors.h"
#include "memory.h"
#include "mpi_util.h"
#include "sudoku_mpi_int.h"

enum { DYN_DEPTH = 3 }; /* batches in flight per worker */

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

/* A batch and the rank that solved it. A hand-out is its first 16 bytes. */
struct dyn_batch {
  uint64_t start, count;
  int64_t solver;
};

struct dyn_log {
  struct dyn_batch *b;
  size_t n, cap;
};

static void dyn_log_add(struct dyn_log *lg, size_t start, size_t count, int solver)
{
  if (lg->n == lg->cap) {
    lg->cap = lg->cap ? 2 * lg->cap : 64;
    lg->b = realloc(lg->b, lg->cap * sizeof *lg->b);
    if (lg->b == NULL)
      mpix_abort(EXIT_FAIL, "out of memory");
  }
  lg->b[lg->n++] = (struct dyn_batch){start, count, solver};
}

/* Whether puzzle i is in rank r's piece. */
static int dyn_owns(const struct dist_ctx *c, int r, size_t i)
{
  return i >= (size_t)c->displs[r] && i < (size_t)c->displs[r] + (size_t)c->counts[r];
}

/* Rank 0's view of the work: what is left of every piece, [lo, hi). */
struct dyn_left {
  size_t *lo, *hi, total;
  struct dyn_plan plan;
};

/* The next batch for rank r, `share` times smaller than a guided one: from
 * the front of r's own piece while any is left, else from the back of the
 * piece with the most left (its owner goes on from the front). Returns 0
 * when nothing is left. */
static int dyn_pick(struct dyn_left *w, int P, int r, size_t share, size_t *start, size_t *cnt)
{
  if (w->total == 0)
    return 0;
  size_t b = dyn_next_size(&w->plan, w->total / share);
  if (b == 0)
    b = 1;
  int v = r;
  if (w->lo[r] == w->hi[r])
    for (int p = 0; p < P; p++)
      if (w->hi[p] - w->lo[p] > w->hi[v] - w->lo[v])
        v = p;
  size_t k = w->hi[v] - w->lo[v] < b ? w->hi[v] - w->lo[v] : b;
  if (v == r) {
    *start = w->lo[r];
    w->lo[r] += k;
  } else {
    *start = w->hi[v] - k;
    w->hi[v] -= k;
  }
  *cnt = k;
  w->total -= k;
  return 1;
}

/* Rank 0: where puzzle i's grid is: in its own piece, or in the copy of
 * every other piece (once the background gather is complete). */
static const uint8_t *dyn_grids(const struct dist_ctx *c, const uint8_t *mine, const uint8_t *all,
                                MPI_Request *gather, size_t i)
{
  if (dyn_owns(c, 0, i))
    return mine + i * SUDOKU_CELLS; /* rank 0's piece starts at puzzle 0 */
  MPI_Wait(gather, MPI_STATUS_IGNORE);
  return all + i * SUDOKU_CELLS;
}

/* Rank 0's desk: what is left, the grids, the log, and the grid sends in
 * flight. */
struct dyn_desk {
  struct dyn_left w;
  const uint8_t *mine; /* rank 0's piece */
  uint8_t *all;        /* every grid, once *gather completes */
  MPI_Request *gather;
  struct dyn_log *lg;
  MPI_Request *send; /* grids going out with hand-outs */
  size_t nsend, capsend;
  size_t outstanding; /* batches handed out, not yet reported done */
};

/* Rank 0: hand worker r its next batch, if any is left; one from another
 * rank's piece goes with its grids, sent without waiting. */
static void dyn_hand_out(const struct dist_ctx *c, struct dyn_desk *d, int r)
{
  size_t start, cnt;
  if (!dyn_pick(&d->w, c->size, r, 1, &start, &cnt))
    return;
  dyn_log_add(d->lg, start, cnt, r);
  MPI_Send(&d->lg->b[d->lg->n - 1], 2, MPI_UINT64_T, r, TAG_WORK, MPI_COMM_WORLD);
  if (!dyn_owns(c, r, start)) {
    if (d->nsend == d->capsend) {
      d->capsend = d->capsend ? 2 * d->capsend : 16;
      if ((d->send = realloc(d->send, d->capsend * sizeof *d->send)) == NULL)
        mpix_abort(EXIT_FAIL, "out of memory");
    }
    MPI_Isend(dyn_grids(c, d->mine, d->all, d->gather, start), (int)cnt, c->grid_t, r, TAG_GRIDS,
              MPI_COMM_WORLD, &d->send[d->nsend++]);
  }
  d->outstanding++;
}

/* Rank 0: hand out batches, solve smaller ones itself in between, and log
 * who solved what. A batch from another rank's piece goes out with its
 * grids, from `all` (gathered in the background: *gather). */
static void dyn_master(const struct dist_ctx *c, const uint8_t *mine, uint8_t *all,
                       MPI_Request *gather, struct sudoku_result *res, struct dyn_log *lg)
{
  int P = c->size;
  struct dyn_desk d = {.w = {.total = c->n, .plan = dyn_make_plan(c->o, c->n, P)},
                       .mine = mine,
                       .all = all,
                       .gather = gather,
                       .lg = lg};
  if ((d.w.lo = malloc(2 * (size_t)P * sizeof *d.w.lo)) == NULL)
    mpix_abort(EXIT_FAIL, "out of memory");
  d.w.hi = d.w.lo + P;
  for (int p = 0; p < P; p++) {
    d.w.lo[p] = (size_t)c->displs[p];
    d.w.hi[p] = d.w.lo[p] + (size_t)c->counts[p];
  }
  for (int k = 0; k < DYN_DEPTH; k++)
    for (int r = 1; r < P; r++)
      dyn_hand_out(c, &d, r);
  while (d.w.total > 0 || d.outstanding > 0) {
    int flag = 0;
    MPI_Status st;
    if (d.outstanding > 0) {
      if (d.w.total > 0)
        MPI_Iprobe(MPI_ANY_SOURCE, TAG_DONE, MPI_COMM_WORLD, &flag, &st);
      else
        flag = 1; /* nothing left to solve here: wait for the workers */
    }
    if (!flag) { /* nothing to collect: solve a smaller batch here, so that
                  * requests are answered soon */
      size_t start, cnt;
      dyn_pick(&d.w, P, 0, 4, &start, &cnt);
      sudoku_solve_range(dyn_grids(c, mine, all, gather, start), res + start, cnt, c->o);
      dyn_log_add(lg, start, cnt, 0);
      continue;
    }
    uint64_t done[2];
    MPI_Recv(done, 2, MPI_UINT64_T, MPI_ANY_SOURCE, TAG_DONE, MPI_COMM_WORLD, &st);
    d.outstanding--;
    dyn_hand_out(c, &d, st.MPI_SOURCE);
  }
  for (int r = 1; r < P; r++)
    MPI_Send(NULL, 0, MPI_BYTE, r, TAG_STOP, MPI_COMM_WORLD);
  MPI_Waitall((int)d.nsend, d.send, MPI_STATUSES_IGNORE);
  MPI_Wait(gather, MPI_STATUS_IGNORE);
  free(d.send);
  free(d.w.lo);
}

/* Other ranks: solve batches until told to stop; a batch from another
 * rank's piece comes with its grids. */
static void dyn_worker(const struct dist_ctx *c, const uint8_t *mine, struct sudoku_result *res)
{
  uint8_t *got = NULL;
  size_t cap = 0;
  for (;;) {
    uint64_t b[2];
    MPI_Status st;
    MPI_Recv(b, 2, MPI_UINT64_T, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
    if (st.MPI_TAG == TAG_STOP)
      break;
    size_t start = (size_t)b[0], cnt = (size_t)b[1];
    const uint8_t *g = got;
    if (dyn_owns(c, c->rank, start)) {
      g = mine + (start - (size_t)c->displs[c->rank]) * SUDOKU_CELLS;
    } else {
      if (cnt > cap) {
        free(got);
        if ((got = malloc(cnt * SUDOKU_CELLS)) == NULL)
          mpix_abort(EXIT_FAIL, "out of memory");
        cap = cnt;
      }
      MPI_Recv(got, (int)cnt, c->grid_t, 0, TAG_GRIDS, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      g = got;
    }
    sudoku_solve_range(g, res + start, cnt, c->o);
    MPI_Send(b, 2, MPI_UINT64_T, 0, TAG_DONE, MPI_COMM_WORLD);
  }
  free(got);
}

/* The parts of piece `owner` that rank `solver` solved, as blocks of res
 * (indexed by puzzle): one datatype, or MPI_BYTE when there are none. */
static MPI_Datatype dyn_share_type(const struct dist_ctx *c, const struct dyn_log *lg, int solver,
                                   int owner)
{
  size_t lo = (size_t)c->displs[owner], hi = lo + (size_t)c->counts[owner];
  int nb = 0;
  int *len = malloc((lg->n ? lg->n : 1) * sizeof *len);
  MPI_Aint *at = malloc((lg->n ? lg->n : 1) * sizeof *at);
  if (len == NULL || at == NULL)
    mpix_abort(EXIT_FAIL, "out of memory");
  for (size_t i = 0; i < lg->n; i++) {
    const struct dyn_batch *b = &lg->b[i];
    size_t a = b->start > lo ? b->start : lo,
           z = b->start + b->count < hi ? b->start + b->count : hi;
    if (b->solver != solver || a >= z)
      continue;
    len[nb] = (int)(z - a);
    at[nb++] = (MPI_Aint)(a * sizeof(struct sudoku_result));
  }
  MPI_Datatype t = MPI_BYTE;
  if (nb > 0) {
    MPI_Type_create_hindexed(nb, len, at, c->result_t, &t);
    MPI_Type_commit(&t);
  }
  free(len);
  free(at);
  return t;
}

/* Dynamic, after the read: rank 0 gathers every grid (a copy, for batches
 * from other ranks' pieces) in the background; its own piece stays where it
 * is. */
void dyn_gather_start(const struct dist_ctx *c, const struct sudoku_batch *mine, uint8_t **all,
                      MPI_Request *gather)
{
  if (c->rank == 0 && (*all = mem_alloc_big(c->n * SUDOKU_CELLS)) == NULL)
    mpix_abort(EXIT_FAIL, "out of memory for %zu puzzles", c->n);
  MPI_Igatherv(c->rank == 0 ? MPI_IN_PLACE : mine->grids, (int)mine->n, c->grid_t, *all, c->counts,
               c->displs, c->grid_t, 0, MPI_COMM_WORLD, gather);
}

/* Dynamic, on every rank: res has room for all puzzles; on return it holds
 * those of this rank's piece. mine: the piece's grids; all, *gather: rank
 * 0's copy of every grid, and the background gather that fills it. */
void dyn_solve(const struct dist_ctx *c, const uint8_t *mine, uint8_t *all, MPI_Request *gather,
               struct sudoku_result *res)
{
  int P = c->size, me = c->rank;
  struct dyn_log lg = {0};
  if (me == 0)
    dyn_master(c, mine, all, gather, res, &lg);
  else
    dyn_worker(c, mine, res);
  MPI_Wait(gather, MPI_STATUS_IGNORE); /* a worker's part of it, sent long ago */
  uint64_t nlog = lg.n;
  MPI_Bcast(&nlog, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  if (me != 0) {
    lg.n = lg.cap = (size_t)nlog;
    if ((lg.b = malloc((lg.n ? lg.n : 1) * sizeof *lg.b)) == NULL)
      mpix_abort(EXIT_FAIL, "out of memory");
  }
  MPI_Bcast(lg.b, (int)(nlog * sizeof *lg.b), MPI_BYTE, 0, MPI_COMM_WORLD);
  /* results to the pieces they belong to (what a rank solved in its own
   * piece is in place already) */
  MPI_Request *rq = malloc(2 * (size_t)P * sizeof *rq);
  if (rq == NULL)
    mpix_abort(EXIT_FAIL, "out of memory");
  int nrq = 0;
  for (int p = 0; p < P; p++) {
    if (p == me)
      continue;
    MPI_Datatype in = dyn_share_type(c, &lg, p, me), out = dyn_share_type(c, &lg, me, p);
    if (in != MPI_BYTE) {
      MPI_Irecv(res, 1, in, p, TAG_RESULT, MPI_COMM_WORLD, &rq[nrq++]);
      MPI_Type_free(&in); /* the pending request keeps it */
    }
    if (out != MPI_BYTE) {
      MPI_Isend(res, 1, out, p, TAG_RESULT, MPI_COMM_WORLD, &rq[nrq++]);
      MPI_Type_free(&out);
    }
  }
  MPI_Waitall(nrq, rq, MPI_STATUSES_IGNORE);
  free(rq);
  free(lg.b);
}
