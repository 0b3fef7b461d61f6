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
 * solves its puzzles with OpenMP (--schedule, --threads).
 *
 * This file holds the set-up and the phase list; sudoku_mpi_static.c,
 * sudoku_mpi_cyclic.c and sudoku_mpi_dynamic.c one distribution each;
 * sudoku_mpi_io.c the distributed read and write, sudoku_mpi_out.c the output. */
#include <stdlib.h>

#include "affinity.h"
#include "errors.h"
#include "memory.h"
#include "mpi_util.h"
#include "sudoku_mpi_int.h"

/* Set-up: the distribution (static with one rank), the datatypes, room for
 * every piece's puzzle count and for the solve times. */
static double *setup(struct dist_ctx *c)
{
  int size = c->size;
  c->dist = size == 1 ? SUDOKU_DIST_STATIC : c->o->dist;
  MPI_Type_contiguous(SUDOKU_CELLS, MPI_BYTE, &c->grid_t);
  MPI_Type_commit(&c->grid_t);
  MPI_Type_contiguous((int)sizeof(struct sudoku_result), MPI_BYTE, &c->result_t);
  MPI_Type_commit(&c->result_t);
  c->counts = malloc((size_t)size * sizeof *c->counts);
  c->displs = malloc((size_t)size * sizeof *c->displs);
  double *solve = malloc((size_t)c->o->repeat * sizeof *solve);
  if (c->counts == NULL || c->displs == NULL || solve == NULL)
    mpix_abort(EXIT_FAIL, "out of memory");
  return solve;
}

/* What the timed solve works on (see prepare). */
struct dist_work {
  uint8_t *work;              /* the grids solved */
  MPI_Request gather;         /* dynamic: rank 0's background gather into work */
  struct cyclic_plan plan;    /* cyclic */
  struct cyclic_bufs cb;      /* cyclic */
  struct sudoku_result *res;  /* the results solved here */
  struct sudoku_result *lres; /* the piece's results, in piece order */
};

/* The end of the read phase, once every rank has its piece. */
static void prepare(struct dist_ctx *c, const struct sudoku_batch *mine, struct dist_work *w)
{
  /* the puzzles each rank solves: its piece (static); every P-th of all
   * (cyclic: its own in place, the others' swapped in); dynamic: its piece,
   * and on rank 0 a copy of every grid (work), gathered in the background,
   * for batches from other ranks' pieces */
  w->work = mine->grids;
  size_t nres = mine->n;
  w->gather = MPI_REQUEST_NULL;
  if (c->dist == SUDOKU_DIST_CYCLIC) {
    dist_count(c, mine);
    cyclic_plan_make(c, &w->plan);
    cyclic_bufs_alloc(&w->plan, &w->cb);
    nres = 0;
  } else if (c->dist == SUDOKU_DIST_DYNAMIC) {
    dist_count(c, mine);
    nres = c->n;
    dyn_gather_start(c, mine, &w->work, &w->gather);
  }

  /* results: of the piece (static); of any puzzle, the piece's at
   * displs[rank] (dynamic); cyclic's are in cb */
  w->lres = w->cb.lres;
  if (nres > 0 && (w->res = mem_alloc_big(nres * sizeof *w->res)) == NULL)
    mpix_abort(EXIT_FAIL, "out of memory for %zu results", nres);
  if (c->dist == SUDOKU_DIST_STATIC)
    w->lres = w->res;
  else if (c->dist == SUDOKU_DIST_DYNAMIC)
    w->lres = w->res + c->displs[c->rank];
}

/* The timed solve, --repeat times: solve[k] is the slowest rank's k-th.
 * Returns when the first began. */
static double solve_timed(const struct dist_ctx *c, const struct sudoku_batch *mine,
                          struct dist_work *w, double *solve)
{
  double t1 = 0;
  for (int k = 0; k < c->o->repeat; k++) {
    double s0 = mpix_timer_start(); /* the read phase ends when every rank has its work */
    if (k == 0)
      t1 = s0;
    if (c->dist == SUDOKU_DIST_STATIC)
      static_solve(c, w->work, mine->n, w->res);
    else if (c->dist == SUDOKU_DIST_CYCLIC)
      cyclic_solve(c, &w->plan, mine->grids, &w->cb);
    else
      dyn_solve(c, mine->grids, w->work, &w->gather, w->res);
    solve[k] = mpix_elapsed_max(s0);
  }
  return t1;
}

/* Rank 0: the summary; returns the exit status. */
static int summary(const struct dist_ctx *c, const struct sudoku_stats *st,
                   const struct sudoku_counts *cnt, const double *solve, double read, double write,
                   int wrc, const char *binding)
{
  int code = wrc != 0 ? EXIT_FAIL : sudoku_exit_status(cnt);
  /* end to end: read + first solve (slowest rank) + write */
  struct sudoku_times tm = {.read = read,
                            .write = write,
                            .e2e = read + solve[0] + write,
                            .solve = solve,
                            .ranks = c->size,
                            .output_failed = wrc != 0,
                            .binding = binding};
  sudoku_print_summary(c->o, st, cnt, &tm);
  return code;
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
  o.threads = mpix_threads_per_rank(o.threads); /* not given: OMP_NUM_THREADS, else a share */

  static struct dist_out dout; /* static: its names are large */
  struct dist_ctx c = {.o = &o, .out = &dout, .rank = rank, .size = size};
  double *solve = setup(&c);
  struct sudoku_text tx = {0};
  struct sudoku_batch mine = {0};
  struct dist_work w = {0};
  char *spare = NULL; /* the parsed text, then the formatted records */
  size_t spare_len = 0;
  int code = EXIT_OK;
  affinity_spread(o.threads);   /* threads started (and pinned) before the clock */
  if (dist_out_open(&c) != 0) { /* a bad -o fails now, not after the solve */
    code = EXIT_FAIL;
    goto out;
  }
  double t0 = mpix_timer_start();
  if ((code = dist_read(&c, &tx, &mine, &spare, &spare_len)) != EXIT_OK) {
    dist_out_abort(&c);
    goto out;
  }
  prepare(&c, &mine, &w);
  /* rank 0 counts the puzzles it solves itself on the progress line (on a
   * terminal, for long batches: progress.h) */
  struct progress bar = {0};
  if (rank == 0) {
    progress_init(&bar, "sudoku");
    bar.t0 = t0;
    o.progress = &bar;
  }
  progress_phase(&bar, "solve (rank 0)", 0, "puzzles");
  double t1 = solve_timed(&c, &mine, &w, solve);
  progress_clear(&bar);
  o.progress = NULL;
  double t2 = MPI_Wtime();
  struct sudoku_counts cnt = {0};
  struct sudoku_stats st = {0};
  int wrc = dist_write(&c, &tx, &mine, w.lres, &spare, spare_len, &cnt, &st);
  double t3 = MPI_Wtime();
  double pmed = dist_median_seconds(&c, w.lres, mine.n, st.n);
  char *binding = o.json ? mpix_binding(o.threads) : NULL; /* collective */
  if (rank == 0) {
    st.pmed = pmed;
    code = summary(&c, &st, &cnt, solve, t1 - t0, t3 - t2, wrc, binding);
  }
  free(binding);
  if (w.work != mine.grids)
    free(w.work);
  free(w.cb.lres);
  free(w.plan.ocnt);
  free(w.res);
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
