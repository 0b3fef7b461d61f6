/* sudoku: batch sudoku solver on MPI ranks (OpenMP threads inside each rank).
 *
 * Rank 0 reads every input whole and scatters the text, cut at line
 * boundaries into one piece per rank. Each rank parses its piece and, at the
 * end, checks and formats the records of that piece; rank 0 writes the
 * pieces in rank order and prints their messages. In between, --dist shares
 * out the solving:
 *   static   each rank solves the piece it parsed: no messages at all until
 *            the end;
 *   cyclic   puzzle i is solved by rank i mod P: the ranks swap grids
 *            (all-to-all, packed into contiguous blocks), solve, and swap
 *            the results back to the rank whose piece they belong to; both
 *            swaps travel while each rank solves its own puzzles;
 *   dynamic  each rank solves its own piece first, then helps with what is
 *            left of the others' (from the back of the piece with the most
 *            left); rank 0 hands out the batches as (start, count) as ranks
 *            finish (three in flight per rank, guided sizes: large first,
 *            small at the end) and solves smaller ones itself in between. It
 *            gathers every grid in the background, so a batch from another
 *            rank's piece goes out with its grids. At the end it broadcasts
 *            who solved which batch, and results travel to the ranks whose
 *            pieces they belong to.
 * With one rank the three are the same and nothing is exchanged. Each rank
 * solves its puzzles with OpenMP (--schedule, --threads). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "affinity.h"
#include "atomic_file.h"
#include "errors.h"
#include "memory.h"
#include "mpi_util.h"
#include "stats.h"
#include "sudoku_batch.h"
#include "timer.h"

enum { TAG_WORK = 1, TAG_DONE, TAG_STOP, TAG_RESULT, TAG_TEXT, TAG_GRIDS, TAG_PIECE };
enum { DYN_DEPTH = 3 };              /* batches in flight per worker */
#define TEXT_CHUNK ((size_t)1 << 30) /* bytes per message: counts are ints */

struct dist_ctx {
  const struct sudoku_opts *o;
  int rank, size;
  int dist;                      /* o->dist; static with one rank */
  MPI_Datatype grid_t, result_t; /* 81 and 88 bytes */
  size_t n;                      /* all puzzles (cyclic, dynamic) */
  int *counts, *displs;          /* every piece's puzzles (cyclic, dynamic) */
};

/* ---- cyclic ------------------------------------------------------------------- */

/* The first puzzle at or after `lo` that rank r solves (i mod P == r). */
static size_t cyclic_first(size_t lo, int r, int P)
{
  return lo + ((size_t)r + (size_t)P - lo % (size_t)P) % (size_t)P;
}

/* How many of puzzles [lo, hi) rank r solves. */
static int cyclic_count(size_t lo, size_t hi, int r, int P)
{
  size_t f = cyclic_first(lo, r, P);
  return f < hi ? (int)((hi - 1 - f) / (size_t)P + 1) : 0;
}

/* The swaps between this rank's piece (owner side) and the list of the
 * other pieces' puzzles it solves (solver side: from each other piece in
 * turn, one run). A rank's own puzzles stay where they are. The owner side
 * is packed peer by peer (every P-th element from the first the peer
 * solves), so that every message is one contiguous block, which shared
 * memory copies in one go; the solver side needs no packing. */
struct cyclic_plan {
  int *ocnt, *ooff; /* owner side: my puzzles each peer solves, packed */
  int *scnt, *soff; /* solver side: each peer's puzzles I solve */
  size_t lo, hi;    /* my piece */
  size_t others;    /* the other pieces' puzzles I solve (all of scnt) */
  size_t own;       /* my piece's puzzles I solve myself (the rest of it) */
};

static void cyclic_plan_make(const struct dist_ctx *c, struct cyclic_plan *pl)
{
  int P = c->size, me = c->rank;
  pl->ocnt = calloc(4 * (size_t)P, sizeof *pl->ocnt);
  if (pl->ocnt == NULL)
    mpix_abort(EXIT_FAIL, "out of memory");
  pl->ooff = pl->ocnt + P;
  pl->scnt = pl->ocnt + 2 * P;
  pl->soff = pl->ocnt + 3 * P;
  pl->lo = (size_t)c->displs[me];
  pl->hi = pl->lo + (size_t)c->counts[me];
  for (int p = 0, oat = 0, sat = 0; p < P; p++) {
    size_t lo = (size_t)c->displs[p], hi = lo + (size_t)c->counts[p];
    pl->ocnt[p] = p == me ? 0 : cyclic_count(pl->lo, pl->hi, p, P);
    pl->ooff[p] = oat;
    oat += pl->ocnt[p];
    pl->scnt[p] = p == me ? 0 : cyclic_count(lo, hi, me, P);
    pl->soff[p] = sat;
    sat += pl->scnt[p];
  }
  pl->others = (size_t)pl->soff[P - 1] + (size_t)pl->scnt[P - 1];
  pl->own = pl->hi - pl->lo - ((size_t)pl->ooff[P - 1] + (size_t)pl->ocnt[P - 1]);
}

/* Between the piece (elements of `size` bytes) and pack: every P-th
 * element per peer, packed (to_pack) or unpacked. */
static void cyclic_repack(const struct dist_ctx *c, const struct cyclic_plan *pl, size_t size,
                          char *piece, char *pack, int to_pack)
{
  int P = c->size;
  for (int p = 0; p < P; p++) {
    char *el = piece + (cyclic_first(pl->lo, p, P) - pl->lo) * size;
    char *pk = pack + (size_t)pl->ooff[p] * size;
    for (int j = 0; j < pl->ocnt[p]; j++, el += (size_t)P * size, pk += size)
      memcpy(to_pack ? pk : el, to_pack ? el : pk, size);
  }
}

/* Solve every stride-th puzzle a slice at a time, letting MPI move rq's
 * data in between: a large message moves only while a rank is inside MPI.
 * A slice is 256 puzzles per thread, under a millisecond on 17-clue. */
static void solve_progressing(const uint8_t *grids, struct sudoku_result *res, size_t n,
                              size_t stride, const struct sudoku_opts *o, MPI_Request *rq)
{
  const size_t slice = 256 * (size_t)o->threads;
  for (size_t at = 0; at < n; at += slice) {
    int done;
    sudoku_solve_strided(grids + at * stride * SUDOKU_CELLS, res + at * stride,
                         n - at < slice ? n - at : slice, stride, o);
    MPI_Test(rq, &done, MPI_STATUS_IGNORE);
  }
}

/* Cyclic's buffers, carved from one block (fresh memory is costly here, and
 * one block faults fewer huge pages than four): */
struct cyclic_bufs {
  struct sudoku_result *lres; /* the piece's results, in piece order */
  struct sudoku_result *res;  /* of the others' puzzles this rank solves */
  uint8_t *work;              /* their grids */
  char *pack;                 /* this piece's puzzles solved elsewhere: grids out, results back */
};

static void cyclic_bufs_alloc(const struct cyclic_plan *pl, struct cyclic_bufs *b)
{
  const size_t rsz = sizeof(struct sudoku_result), line = 64;
  size_t n = pl->hi - pl->lo, sent = n - pl->own;
  size_t at[4] = {0}, size[4] = {n * rsz, pl->others * rsz, pl->others * SUDOKU_CELLS, sent * rsz};
  for (int k = 1; k < 4; k++)
    at[k] = (at[k - 1] + size[k - 1] + line - 1) / line * line;
  char *blk = mem_alloc_big(at[3] + size[3]);
  if (blk == NULL)
    mpix_abort(EXIT_FAIL, "out of memory for %zu puzzles", n + pl->others);
  b->lres = (struct sudoku_result *)(void *)blk;
  b->res = (struct sudoku_result *)(void *)(blk + at[1]);
  b->work = (uint8_t *)(blk + at[2]);
  b->pack = blk + at[3];
}

/* Cyclic, on every rank: the others' grids travel while this rank solves
 * the first few of its own puzzles (in place, every P-th of the piece); it
 * solves the others', and their results travel back while it solves the
 * rest of its own. On return b->lres holds the piece's results. */
static void cyclic_solve(const struct dist_ctx *c, const struct cyclic_plan *pl,
                         const uint8_t *grids, const struct cyclic_bufs *b)
{
  const struct sudoku_opts *o = c->o;
  size_t P = (size_t)c->size, first = cyclic_first(pl->lo, c->rank, c->size) - pl->lo;
  size_t head = pl->own / 8; /* enough to cover the swap and the ranks' skew */
  MPI_Request rq;
  cyclic_repack(c, pl, SUDOKU_CELLS, (char *)grids, b->pack, 1);
  MPI_Ialltoallv(b->pack, pl->ocnt, pl->ooff, c->grid_t, b->work, pl->scnt, pl->soff, c->grid_t,
                 MPI_COMM_WORLD, &rq);
  solve_progressing(grids + first * SUDOKU_CELLS, b->lres + first, head, P, o, &rq);
  MPI_Wait(&rq, MPI_STATUS_IGNORE);
  sudoku_solve_range(b->work, b->res, pl->others, o);
  MPI_Ialltoallv(b->res, pl->scnt, pl->soff, c->result_t, b->pack, pl->ocnt, pl->ooff, c->result_t,
                 MPI_COMM_WORLD, &rq);
  first += head * P;
  solve_progressing(grids + first * SUDOKU_CELLS, b->lres + first, pl->own - head, P, o, &rq);
  MPI_Wait(&rq, MPI_STATUS_IGNORE);
  cyclic_repack(c, pl, sizeof *b->lres, (char *)b->lres, b->pack, 0);
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

/* Dynamic, on every rank: res has room for all puzzles; on return it holds
 * those of this rank's piece. mine: the piece's grids; all, *gather: rank
 * 0's copy of every grid, and the background gather that fills it. */
static void dyn_solve(const struct dist_ctx *c, const uint8_t *mine, uint8_t *all,
                      MPI_Request *gather, struct sudoku_result *res)
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

/* ---- the phases --------------------------------------------------------------- */

/* Rank 0 reads the inputs whole and scatters them, one piece per rank (with
 * the file offsets and where each piece starts, in one broadcast); every
 * rank parses its piece into mine. The text it parsed is handed back in
 * *spare (*spare_len bytes, all touched), for the output to reuse. Returns
 * 0, or -1 on every rank when rank 0 could not read. */
static int dist_read(const struct dist_ctx *c, struct sudoku_text *tx, struct sudoku_batch *mine,
                     char **spare, size_t *spare_len)
{
  int P = c->size, rank = c->rank;
  size_t nin = c->o->nfiles > 0 ? (size_t)c->o->nfiles : 1;
  /* the broadcast: status, nin + 1 file offsets, P pieces */
  size_t hbytes =
      sizeof(int64_t) + (nin + 1) * sizeof(uint64_t) + (size_t)P * sizeof(struct sudoku_piece);
  char *hdr = calloc(1, hbytes);
  if (hdr == NULL)
    mpix_abort(EXIT_FAIL, "out of memory");
  int64_t *status = (int64_t *)hdr;
  uint64_t *start = (uint64_t *)(hdr + sizeof(int64_t));
  struct sudoku_piece *pc = (struct sudoku_piece *)(start + nin + 1);
  if (rank == 0) {
    int rc = sudoku_text_read(c->o, tx);
    if (rc == 0 && tx->len / (size_t)P >= (size_t)INT32_MAX / 2) {
      err_msg("%zu bytes of input: more than one run can share out", tx->len);
      rc = -1;
    }
    if (rc == 0) {
      sudoku_text_split(tx, P, pc);
      for (size_t f = 0; f <= nin; f++)
        start[f] = tx->start[f];
      for (int r = 0; r < P && rc == 0; r++)
        if (pc[r].hi - pc[r].lo > (uint64_t)INT32_MAX) { /* one huge line */
          err_msg("a piece of %llu bytes: more than one message can carry",
                  (unsigned long long)(pc[r].hi - pc[r].lo));
          rc = -1;
        }
    }
    *status = rc;
  } else if (sudoku_text_names(c->o, tx) != 0) {
    mpix_abort(EXIT_FAIL, "out of memory");
  }
  MPI_Bcast(hdr, (int)hbytes, MPI_BYTE, 0, MPI_COMM_WORLD);
  if (*status != 0) {
    free(hdr);
    return -1;
  }
  if (rank != 0) {
    tx->nfiles = nin;
    for (size_t f = 0; f <= nin; f++)
      tx->start[f] = (size_t)start[f];
  }
  /* each piece in one message (under 1 GB, checked above; the whole text
   * may be larger than an int offset allows), sent without waiting, so that
   * rank 0 parses its piece while the others pull theirs (shared memory: the
   * receiver copies) */
  int mylen = (int)(pc[rank].hi - pc[rank].lo);
  char *text = NULL;
  MPI_Request *rq = NULL;
  if (rank == 0) {
    if ((rq = malloc((size_t)P * sizeof *rq)) == NULL)
      mpix_abort(EXIT_FAIL, "out of memory");
    for (int r = 1; r < P; r++)
      MPI_Isend(tx->buf + pc[r].lo, (int)(pc[r].hi - pc[r].lo), MPI_CHAR, r, TAG_PIECE,
                MPI_COMM_WORLD, &rq[r - 1]);
  } else {
    if ((text = mem_alloc_big((size_t)mylen)) == NULL)
      mpix_abort(EXIT_FAIL, "out of memory for %d bytes of puzzles", mylen);
    MPI_Recv(text, mylen, MPI_CHAR, 0, TAG_PIECE, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  }
  if (sudoku_parse_piece(tx, rank == 0 ? tx->buf : text, pc[rank].lo, &pc[rank], mine) != 0)
    mpix_abort(EXIT_FAIL, "out of memory");
  *spare = text;
  *spare_len = (size_t)mylen;
  if (rank == 0) { /* its piece comes first: the rest has gone to the others */
    MPI_Waitall(P - 1, rq, MPI_STATUSES_IGNORE);
    mem_release_tail(tx->buf, (size_t)mylen, tx->len);
    *spare = tx->buf;
    tx->buf = NULL;
  }
  free(rq);
  free(hdr);
  return 0;
}

/* Cyclic and dynamic: where every piece's puzzles go in the whole batch. */
static void dist_count(struct dist_ctx *c, const struct sudoku_batch *mine)
{
  int mine_n = (int)mine->n;
  MPI_Allgather(&mine_n, 1, MPI_INT, c->counts, 1, MPI_INT, MPI_COMM_WORLD);
  c->n = 0;
  for (int r = 0; r < c->size; r++) {
    c->displs[r] = (int)c->n;
    c->n += (size_t)c->counts[r];
    if (c->n > (size_t)INT32_MAX)
      mpix_abort(EXIT_FAIL, "%zu puzzles: more than one run can share out", c->n);
  }
}

/* What a rank tells rank 0 about its piece at the end. */
struct piece_report {
  uint64_t n, nrej, text, rejmsg, msg; /* counts and byte lengths */
  struct sudoku_counts cnt;
  double pmin, pmax;             /* per-puzzle solve seconds */
  uint64_t slow_file, slow_line; /* the piece's first slowest puzzle */
};

/* Gather `len` bytes of every rank to rank 0, which writes them to fp in
 * rank order. */
static void gather_bytes(const struct dist_ctx *c, const char *buf, size_t len,
                         const struct piece_report *all, size_t field, FILE *fp)
{
  int P = c->size;
  int *cnt = NULL, *off = NULL;
  char *dst = NULL;
  if (c->rank == 0) {
    size_t total = 0;
    cnt = malloc((size_t)P * sizeof *cnt);
    off = malloc((size_t)P * sizeof *off);
    if (cnt == NULL || off == NULL)
      mpix_abort(EXIT_FAIL, "out of memory");
    for (int r = 0; r < P; r++) {
      uint64_t k;
      memcpy(&k, (const char *)&all[r] + field, sizeof k);
      if (total + k > (size_t)INT32_MAX)
        mpix_abort(EXIT_FAIL, "over 2 GB of messages: too many to gather");
      cnt[r] = (int)k;
      off[r] = (int)total;
      total += k;
    }
    if ((dst = malloc(total ? total : 1)) == NULL)
      mpix_abort(EXIT_FAIL, "out of memory");
    MPI_Gatherv(buf, (int)len, MPI_CHAR, dst, cnt, off, MPI_CHAR, 0, MPI_COMM_WORLD);
    fwrite(dst, 1, total, fp);
    fflush(fp);
  } else {
    MPI_Gatherv(buf, (int)len, MPI_CHAR, NULL, NULL, NULL, MPI_CHAR, 0, MPI_COMM_WORLD);
  }
  free(cnt);
  free(off);
  free(dst);
}

/* How the records reach the output: every rank writes its own at its
 * offset into the temporary file (an output file), or rank 0 writes them
 * all, in rank order (stdout, or a device or FIFO, which cannot seek). */
enum { OUT_FAILED, OUT_PARALLEL, OUT_THROUGH_ZERO };

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

/* Rank 0 writes its records, then every other rank's as they come. */
static int write_through_zero(const struct dist_ctx *c, const struct piece_report *all,
                              const char *text, size_t textlen)
{
  if (c->rank != 0) {
    for (size_t at = 0; at < textlen; at += TEXT_CHUNK) {
      size_t k = textlen - at < TEXT_CHUNK ? textlen - at : TEXT_CHUNK;
      MPI_Send(text + at, (int)k, MPI_CHAR, 0, TAG_TEXT, MPI_COMM_WORLD);
    }
    return 0;
  }
  struct sudoku_out out;
  sudoku_out_open(c->o, &out); /* on failure, still receive (and drop) the records */
  sudoku_out_write(&out, text, textlen);
  size_t cap = 0;
  char *buf = NULL;
  for (int r = 1; r < c->size; r++) {
    size_t len = (size_t)all[r].text;
    size_t want = len < TEXT_CHUNK ? len : TEXT_CHUNK;
    if (want > cap) {
      free(buf);
      if ((buf = mem_alloc_big(want)) == NULL)
        mpix_abort(EXIT_FAIL, "out of memory for the output");
      cap = want;
    }
    for (size_t at = 0; at < len; at += TEXT_CHUNK) {
      size_t k = len - at < TEXT_CHUNK ? len - at : TEXT_CHUNK;
      MPI_Recv(buf, (int)k, MPI_CHAR, r, TAG_TEXT, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      sudoku_out_write(&out, buf, k);
    }
  }
  free(buf);
  return sudoku_out_close(&out);
}

/* The records of every rank (lengths in all[] on rank 0) to the output.
 * Returns 0, or -1 on rank 0 after an output error. */
static int dist_write_records(const struct dist_ctx *c, const struct piece_report *all,
                              const char *text, size_t textlen)
{
  const struct sudoku_opts *o = c->o;
  int P = c->size;
  /* rank 0 decides and broadcasts: how, the temporary file, every offset */
  size_t pbytes = sizeof(int64_t) + PATH_MAX + (size_t)P * sizeof(uint64_t);
  char *plan = calloc(1, pbytes);
  if (plan == NULL)
    mpix_abort(EXIT_FAIL, "out of memory");
  int64_t *how = (int64_t *)plan;
  uint64_t *at = (uint64_t *)(plan + sizeof(int64_t));
  char *tmp = plan + sizeof(int64_t) + (size_t)P * sizeof(uint64_t);
  if (c->rank == 0) {
    *how = OUT_THROUGH_ZERO;
    if (o->output != NULL && strcmp(o->output, "-") != 0) {
      if (afile_make_temp(o->output, tmp, PATH_MAX) != 0)
        *how = OUT_FAILED;
      else if (strcmp(tmp, o->output) != 0) /* else a device or FIFO: in place */
        *how = OUT_PARALLEL;
    }
    for (int r = 0; r < P; r++)
      at[r] = (r ? at[r - 1] + all[r - 1].text : 0);
  }
  MPI_Bcast(plan, (int)pbytes, MPI_BYTE, 0, MPI_COMM_WORLD);
  int rc = 0;
  if (*how == OUT_FAILED) {
    rc = -1;
  } else if (*how == OUT_THROUGH_ZERO) {
    rc = write_through_zero(c, all, text, textlen);
  } else {
    int bad = pwrite_all(tmp, o->output, text, textlen, (off_t)at[c->rank]) != 0, any = 0;
    MPI_Reduce(&bad, &any, 1, MPI_INT, MPI_MAX, 0, MPI_COMM_WORLD);
    if (c->rank == 0 && any) {
      afile_discard(tmp);
      rc = -1;
    } else if (c->rank == 0) {
      rc = afile_publish(tmp, o->output, o->fsync);
    }
  }
  free(plan);
  return rc;
}

/* Every rank checks its piece's results, counts them and formats its
 * records (into *spare, spare_len bytes, when they fit: *spare is then the
 * buffer they are in, freed after the clock stops); rank 0 prints the
 * messages (rejected lines first, as a serial run does), writes the records
 * in rank order, and fills cnt and st (all but the median). Returns 0, or
 * -1 on rank 0 after an output error. */
static int dist_write(const struct dist_ctx *c, const struct sudoku_text *tx,
                      const struct sudoku_batch *mine, const struct sudoku_result *res,
                      char **spare, size_t spare_len, struct sudoku_counts *cnt,
                      struct sudoku_stats *st)
{
  const struct sudoku_opts *o = c->o;
  int P = c->size, rank = c->rank;
  struct piece_report me = {.n = mine->n, .nrej = mine->nrej};
  char *rejmsg = NULL, *msg = NULL, *text = NULL;
  size_t rejlen = 0, msglen = 0, textlen = 0;
  FILE *rf = open_memstream(&rejmsg, &rejlen), *mf = open_memstream(&msg, &msglen);
  if (rf == NULL || mf == NULL)
    mpix_abort(EXIT_FAIL, "out of memory");
  sudoku_rejects_place(tx, mine->rej, mine->nrej, 0, rf);
  sudoku_account(o, tx, mine, res, &me.cnt, mf);
  if (fclose(rf) != 0 || fclose(mf) != 0)
    mpix_abort(EXIT_FAIL, "out of memory");
  if (sudoku_wants_output(o)) {
    text = sudoku_format_piece(o, tx, mine, res, *spare, spare_len, &textlen);
    if ((*spare = text) == NULL)
      mpix_abort(EXIT_FAIL, "out of memory formatting the output");
  }
  me.text = textlen;
  me.rejmsg = rejlen;
  me.msg = msglen;
  if (mine->n > 0) {
    size_t slow = sudoku_time_extremes(res, mine->n, &me.pmin, &me.pmax);
    me.slow_file = mine->file[slow];
    me.slow_line = mine->line[slow];
  }
  struct piece_report *all = NULL;
  if (rank == 0 && (all = malloc((size_t)P * sizeof *all)) == NULL)
    mpix_abort(EXIT_FAIL, "out of memory");
  MPI_Gather(&me, (int)sizeof me, MPI_BYTE, all, (int)sizeof me, MPI_BYTE, 0, MPI_COMM_WORLD);
  gather_bytes(c, rejmsg, rejlen, all, offsetof(struct piece_report, rejmsg), stderr);
  gather_bytes(c, msg, msglen, all, offsetof(struct piece_report, msg), stderr);
  free(rejmsg);
  free(msg);

  int rc = sudoku_wants_output(o) ? dist_write_records(c, all, text, textlen) : 0;

  if (rank == 0) {
    memset(cnt, 0, sizeof *cnt);
    memset(st, 0, sizeof *st);
    int first = 1;
    for (int r = 0; r < P; r++) {
      const struct piece_report *p = &all[r];
      uint64_t *sum = (uint64_t *)cnt;
      const uint64_t *add = (const uint64_t *)&p->cnt;
      for (size_t k = 0; k < sizeof *cnt / sizeof *sum; k++)
        sum[k] += add[k];
      st->n += p->n;
      st->nrej += p->nrej;
      if (p->n == 0)
        continue;
      if (first || p->pmin < st->pmin)
        st->pmin = p->pmin;
      if (first || p->pmax > st->pmax) {
        st->pmax = p->pmax;
        st->slow_name = tx->names[p->slow_file];
        st->slow_line = p->slow_line;
      }
      first = 0;
    }
    free(all);
  }
  return rc;
}

/* For the summary, after the clock: the median of every puzzle's solve time
 * (the per-piece times are gathered to rank 0, straight out of res). */
static double dist_median_seconds(const struct dist_ctx *c, const struct sudoku_result *res,
                                  size_t mine_n, size_t n)
{
  int P = c->size;
  MPI_Datatype one;
  MPI_Type_create_resized(MPI_FLOAT, 0, (MPI_Aint)sizeof *res, &one); /* a float every 88 bytes */
  MPI_Type_commit(&one);
  int *cnt = NULL, *off = NULL;
  float *t = NULL;
  int mn = (int)mine_n;
  if (c->rank == 0) {
    cnt = malloc((size_t)P * sizeof *cnt);
    off = malloc((size_t)P * sizeof *off);
    t = malloc((n ? n : 1) * sizeof *t);
    if (cnt == NULL || off == NULL || t == NULL)
      mpix_abort(EXIT_FAIL, "out of memory");
  }
  MPI_Gather(&mn, 1, MPI_INT, cnt, 1, MPI_INT, 0, MPI_COMM_WORLD);
  for (int r = 0, at = 0; c->rank == 0 && r < P; r++) {
    off[r] = at;
    at += cnt[r];
  }
  MPI_Gatherv(mine_n ? &res[0].seconds : NULL, mn, one, t, cnt, off, MPI_FLOAT, 0, MPI_COMM_WORLD);
  MPI_Type_free(&one);
  double med = 0;
  if (c->rank == 0 && n > 0) {
    double *d = malloc(n * sizeof *d);
    if (d == NULL)
      mpix_abort(EXIT_FAIL, "out of memory");
    for (size_t i = 0; i < n; i++)
      d[i] = t[i];
    med = stats_median(d, n);
    free(d);
  }
  free(t);
  free(cnt);
  free(off);
  return med;
}

int main(int argc, char **argv)
{
  int rank, size;
  mpix_init(&argc, &argv, "sudoku", &rank, &size);
  struct sudoku_opts o = {.prog = "sudoku", .mpi = 1};
  char err[CLI_ERR_MAX];
  enum cli_status cs = sudoku_parse_opts(&o, argc, argv, err);
  if (cs != CLI_OK)
    return mpix_finish(sudoku_opts_answer(&o, cs, err, rank == 0));

  struct dist_ctx c = {.o = &o, .rank = rank, .size = size};
  c.dist = size == 1 ? SUDOKU_DIST_STATIC : o.dist;
  MPI_Type_contiguous(SUDOKU_CELLS, MPI_BYTE, &c.grid_t);
  MPI_Type_commit(&c.grid_t);
  MPI_Type_contiguous((int)sizeof(struct sudoku_result), MPI_BYTE, &c.result_t);
  MPI_Type_commit(&c.result_t);
  c.counts = malloc((size_t)size * sizeof *c.counts);
  c.displs = malloc((size_t)size * sizeof *c.displs);
  double *solve = malloc((size_t)o.repeat * sizeof *solve);
  if (c.counts == NULL || c.displs == NULL || solve == NULL)
    mpix_abort(EXIT_FAIL, "out of memory");

  struct sudoku_text tx = {0};
  struct sudoku_batch mine = {0};
  char *spare = NULL; /* the parsed text, then the formatted records */
  size_t spare_len = 0;
  int code = EXIT_OK;
  affinity_spread(o.threads); /* threads started (and pinned) before the clock */
  double t0 = mpix_timer_start();
  if (dist_read(&c, &tx, &mine, &spare, &spare_len) != 0) {
    code = EXIT_FAIL;
    goto out;
  }
  /* the puzzles each rank solves: its piece (static); every P-th of all
   * (cyclic: its own in place, the others' swapped in); dynamic: its piece,
   * and on rank 0 a copy of every grid (work), gathered in the background,
   * for batches from other ranks' pieces */
  uint8_t *work = mine.grids;
  size_t nres = mine.n;
  MPI_Request gather = MPI_REQUEST_NULL;
  struct cyclic_plan plan = {0};
  struct cyclic_bufs cb = {0};
  if (c.dist == SUDOKU_DIST_CYCLIC) {
    dist_count(&c, &mine);
    cyclic_plan_make(&c, &plan);
    cyclic_bufs_alloc(&plan, &cb);
    nres = 0;
  } else if (c.dist == SUDOKU_DIST_DYNAMIC) {
    dist_count(&c, &mine);
    nres = c.n;
    if (rank == 0 && (work = mem_alloc_big(c.n * SUDOKU_CELLS)) == NULL)
      mpix_abort(EXIT_FAIL, "out of memory for %zu puzzles", c.n);
    MPI_Igatherv(rank == 0 ? MPI_IN_PLACE : mine.grids, (int)mine.n, c.grid_t, work, c.counts,
                 c.displs, c.grid_t, 0, MPI_COMM_WORLD, &gather);
  }

  /* results: of the piece (static); of any puzzle, the piece's at
   * displs[rank] (dynamic); cyclic's are in cb */
  struct sudoku_result *res = NULL, *lres = cb.lres;
  if (nres > 0 && (res = mem_alloc_big(nres * sizeof *res)) == NULL)
    mpix_abort(EXIT_FAIL, "out of memory for %zu results", nres);
  if (c.dist == SUDOKU_DIST_STATIC)
    lres = res;
  else if (c.dist == SUDOKU_DIST_DYNAMIC)
    lres = res + c.displs[rank];
  double t1 = 0;
  for (int k = 0; k < o.repeat; k++) {
    double s0 = mpix_timer_start(); /* the read phase ends when every rank has its work */
    if (k == 0)
      t1 = s0;
    if (c.dist == SUDOKU_DIST_STATIC)
      sudoku_solve_range(work, res, mine.n, &o);
    else if (c.dist == SUDOKU_DIST_CYCLIC)
      cyclic_solve(&c, &plan, mine.grids, &cb);
    else
      dyn_solve(&c, mine.grids, work, &gather, res);
    solve[k] = mpix_elapsed_max(s0);
  }
  double t2 = MPI_Wtime();
  struct sudoku_counts cnt = {0};
  struct sudoku_stats st = {0};
  int wrc = dist_write(&c, &tx, &mine, lres, &spare, spare_len, &cnt, &st);
  double t3 = MPI_Wtime();
  double pmed = dist_median_seconds(&c, lres, mine.n, st.n);
  if (rank == 0) {
    st.pmed = pmed;
    code = wrc != 0 ? EXIT_FAIL : sudoku_exit_status(&cnt);
    /* end to end: read + first solve (slowest rank) + write */
    struct sudoku_times tm = {.read = t1 - t0,
                              .write = t3 - t2,
                              .e2e = (t1 - t0) + solve[0] + (t3 - t2),
                              .solve = solve,
                              .ranks = size};
    sudoku_print_summary(&o, &st, &cnt, &tm);
  }
  if (work != mine.grids)
    free(work);
  free(cb.lres);
  free(plan.ocnt);
  free(res);
out:
  free(spare);
  free(solve);
  free(c.counts);
  free(c.displs);
  sudoku_text_free(&tx);
  sudoku_batch_free(&mine);
  MPI_Type_free(&c.grid_t);
  MPI_Type_free(&c.result_t);
  return mpix_finish(code);
}
