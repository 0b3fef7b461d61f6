/* sudoku-omp: batch sudoku solver on OpenMP threads.
 *
 * Phases: options, the output opened (a bad -o fails before any work), read
 * (the inputs read whole, then parsed by all threads, bad lines reported),
 * solve (timed, --repeat times; one task per few puzzles or one chunk per
 * thread; every grid found is checked), write in input order (formatted by
 * all threads), summary. */
#include <omp.h>
#include <stdlib.h>
#include <time.h>

#include "affinity.h"
#include "errors.h"
#include "memory.h"
#include "sudoku_batch.h"
#include "timer.h"

/* CPU seconds of the whole process (all threads): with one thread, immune to
 * the preemptions of a shared machine. */
static double omp_cpu_now(void)
{
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
  struct sudoku_opts o = {.prog = "sudoku-omp", .mpi = 0};
  char err[CLI_ERR_MAX];
  err_init(o.prog);
  enum cli_status cs = sudoku_parse_opts(&o, argc, argv, err);
  if (cs != CLI_OK)
    return sudoku_opts_answer(&o, cs, err, 1);
  if (o.threads == 0) /* not given: OMP_NUM_THREADS, else all */
    o.threads = omp_get_max_threads();

  /* the output first: a bad -o fails now, not after the solve */
  static struct sudoku_out out; /* static: its names are large */
  int wants = sudoku_wants_output(&o);
  if (wants && sudoku_out_open(&o, &out) != 0)
    return EXIT_FAIL;

  struct sudoku_text tx;
  struct sudoku_batch bt = {0};
  affinity_spread(o.threads); /* threads started (and pinned) before the clock, like MPI_Init */
  double t0 = timer_now();
  int rrc = sudoku_text_read(&o, &tx);
  if (rrc != EXIT_OK || sudoku_parse_text(&tx, o.threads, &bt) != 0) {
    sudoku_out_abort(&out);
    sudoku_batch_free(&bt);
    sudoku_text_free(&tx);
    return rrc != EXIT_OK ? rrc : EXIT_FAIL;
  }
  sudoku_text_drop(&tx);
  double t1 = timer_now();

  struct sudoku_result *res = mem_alloc_big(bt.n * sizeof *res);
  double *solve = malloc((size_t)o.repeat * 2 * sizeof *solve), *cpu = solve + o.repeat;
  if (res == NULL || solve == NULL) {
    err_msg("out of memory for %zu results", bt.n);
    sudoku_out_abort(&out);
    free(res);
    free(solve);
    sudoku_batch_free(&bt);
    sudoku_text_free(&tx);
    return EXIT_FAIL;
  }
  struct progress bar;
  progress_init(&bar, o.prog);
  bar.t0 = t0; /* the batch's clock started with the reading */
  o.progress = &bar;
  progress_phase(&bar, "solve", (uint64_t)bt.n * (uint64_t)o.repeat, "puzzles");
  for (int k = 0; k < o.repeat; k++) {
    double s0 = timer_now(), c0 = omp_cpu_now();
    sudoku_solve_range(bt.grids, res, bt.n, &o);
    solve[k] = timer_now() - s0;
    cpu[k] = omp_cpu_now() - c0;
  }
  progress_clear(&bar);
  o.progress = NULL;

  double t2 = timer_now();
  struct sudoku_counts cnt;
  int wrc = sudoku_write_results(&o, &tx, &bt, res, &cnt, wants ? &out : NULL);
  double t3 = timer_now();

  struct sudoku_times tm = {.read = t1 - t0,
                            .write = t3 - t2,
                            .e2e = (t1 - t0) + solve[0] + (t3 - t2),
                            .solve = solve,
                            .solve_cpu = cpu,
                            .ranks = 1,
                            .output_failed = wrc != 0};
  struct sudoku_stats st;
  sudoku_stats_of(&tx, &bt, res, &st);
  sudoku_print_summary(&o, &st, &cnt, &tm);
  int code = wrc != 0 ? EXIT_FAIL : sudoku_exit_status(&cnt);
  free(res);
  free(solve);
  sudoku_batch_free(&bt);
  sudoku_text_free(&tx);
  return code;
}
