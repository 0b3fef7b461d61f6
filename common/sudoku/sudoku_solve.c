/* Solving a batch with OpenMP: one puzzle timed and checked, and a range of
 * puzzles (or every stride-th) under either schedule. */
#include <omp.h>
#include <string.h>

#include "sudoku_batch.h"
#include "timer.h"

void sudoku_solve_one(const uint8_t *grid, struct sudoku_result *r, const struct sudoku_opts *o)
{
  double t0 = timer_now();
  enum sudoku_status st = o->algo == SUDOKU_ALGO_NORVIG
                              ? sudoku_norvig_solve(grid, r->sol, &o->lim, NULL)
                              : sudoku_fast_solve(grid, r->sol, &o->lim, NULL);
  r->seconds = (float)(timer_now() - t0);
  r->status = (uint8_t)st;
  r->pad = 0;
  char why[SUDOKU_REASON_MAX];
  if (st == SUDOKU_SOLVED || st == SUDOKU_MULTIPLE)
    r->checked = sudoku_verify(grid, r->sol, why) == 0;
  else {
    r->checked = 0;
    memset(r->sol, 0, sizeof r->sol);
  }
  progress_tick(o->progress);
}

/* Puzzles per task: enough tasks for balance (about 64 per thread), few
 * enough that task overhead stays far below the work (at most 32 puzzles). */
static size_t batch_grain(size_t n, int threads)
{
  size_t g = n / ((size_t)threads * 64);
  if (g < 1)
    g = 1;
  if (g > 32)
    g = 32;
  return g;
}

void sudoku_solve_range(const uint8_t *grids, struct sudoku_result *res, size_t n,
                        const struct sudoku_opts *o)
{
  sudoku_solve_strided(grids, res, n, 1, o);
}

void sudoku_solve_strided(const uint8_t *grids, struct sudoku_result *res, size_t n, size_t stride,
                          const struct sudoku_opts *o)
{
  if (n == 0)
    return;
  if (o->schedule == SUDOKU_SCHED_CHUNK) {
    /* the textbook's second version: one contiguous chunk per thread */
#pragma omp parallel num_threads(o->threads)
    {
      size_t t = (size_t)omp_get_thread_num(), nt = (size_t)omp_get_num_threads();
      size_t lo = n * t / nt, hi = n * (t + 1) / nt;
      for (size_t i = lo; i < hi; i++)
        sudoku_solve_one(grids + i * stride * SUDOKU_CELLS, &res[i * stride], o);
    }
    return;
  }
  /* the textbook's first version: every puzzle is an independent task taken
   * by whichever thread is free, handed out in batches of `grain` puzzles
   * (dynamic self-scheduling: one atomic increment per batch) */
  size_t grain = o->batch ? (size_t)o->batch : batch_grain(n, o->threads);
#pragma omp parallel for num_threads(o->threads) schedule(dynamic, grain)
  for (size_t i = 0; i < n; i++)
    sudoku_solve_one(grids + i * stride * SUDOKU_CELLS, &res[i * stride], o);
}
