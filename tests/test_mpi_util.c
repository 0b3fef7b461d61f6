/* MPI discipline checks, run at several rank counts: FUNNELED init, agreed
 * exit codes, slowest-rank timing, threads per rank, and per-rank generation
 * of one global sequence (each rank its own slice) matching the serial
 * sequence. */
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "errors.h"
#include "mpi_util.h"
#include "rng.h"

int main(int argc, char **argv)
{
  int rank, size, bad = 0;
  mpix_init(&argc, &argv, "test_mpi_util", &rank, &size);

  int provided;
  MPI_Query_thread(&provided);
  bad |= provided < MPI_THREAD_FUNNELED;

  /* Every rank proposes its rank as an exit code: all must agree on size-1. */
  bad |= mpix_agree(rank) != size - 1;

  /* The slowest rank's time is reported: rank r sleeps r*20 ms. */
  double t0 = mpix_timer_start();
  usleep((useconds_t)rank * 20000);
  double t = mpix_elapsed_max(t0);
  bad |= t < (size - 1) * 0.020 * 0.9;

  /* Threads per rank: --threads wins; else OMP_NUM_THREADS; else a share of
   * the node's CPUs, never more than this rank may run on, never 0. */
  bad |= mpix_threads_per_rank(3) != 3;
  unsetenv("OMP_NUM_THREADS");
  int share = mpix_threads_per_rank(0);
  bad |= share < 1 || share > omp_get_num_procs();
  setenv("OMP_NUM_THREADS", "2", 1);
  bad |= mpix_threads_per_rank(0) != omp_get_max_threads();

  /* Each rank generates its slice of n values; the xor and sum reduced over
   * ranks equal the serial ones whatever the rank count. */
  const uint64_t n = 100003;
  uint64_t lo = n * (uint64_t)rank / (uint64_t)size;
  uint64_t hi = n * (uint64_t)(rank + 1) / (uint64_t)size;
  uint64_t *slice = malloc((hi - lo + 1) * sizeof *slice);
  rng_fill_u64(9, lo, hi - lo, slice);
  uint64_t sums[2] = {0, 0};
  for (uint64_t i = 0; i < hi - lo; i++) {
    sums[0] ^= slice[i];
    sums[1] += slice[i] * 0x9E3779B97F4A7C15ULL;
  }
  free(slice);
  uint64_t all[2];
  MPI_Reduce(sums, all, 1, MPI_UINT64_T, MPI_BXOR, 0, MPI_COMM_WORLD);
  MPI_Reduce(sums + 1, all + 1, 1, MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
  if (rank == 0) {
    uint64_t x = 0, s = 0;
    for (uint64_t i = 0; i < n; i++) {
      x ^= rng_at(9, i);
      s += rng_at(9, i) * 0x9E3779B97F4A7C15ULL;
    }
    bad |= x != all[0] || s != all[1];
  }

  int code = mpix_finish(bad ? EXIT_FAIL : EXIT_OK);
  if (rank == 0)
    printf("mpi_util np=%d: %d passed, %d failed\n", size, code == 0 ? 1 : 0, code == 0 ? 0 : 1);
  return code;
}
