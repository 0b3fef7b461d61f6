/* sudoku (MPI), --dist cyclic: puzzle i is solved by rank i mod P. The plan
 * of the swaps, the packing of this piece's puzzles that other ranks solve,
 * the buffers, and the solve that overlaps both swaps. */
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "memory.h"
#include "mpi_util.h"
#include "sudoku_mpi_int.h"

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

void cyclic_plan_make(const struct dist_ctx *c, struct cyclic_plan *pl)
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

void cyclic_bufs_alloc(const struct cyclic_plan *pl, struct cyclic_bufs *b)
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
void cyclic_solve(const struct dist_ctx *c, const struct cyclic_plan *pl, const uint8_t *grids,
                  const struct cyclic_bufs *b)
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
