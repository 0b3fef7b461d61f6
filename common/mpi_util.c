#include "mpi_util.h"

#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "errors.h"

void mpix_init(int *argc, char ***argv, const char *prog, int *rank, int *size)
{
  int provided = MPI_THREAD_SINGLE;
  err_init(prog);
  if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
    err_msg("MPI_Init_thread failed");
    exit(EXIT_FAIL);
  }
  MPI_Comm_rank(MPI_COMM_WORLD, rank);
  MPI_Comm_size(MPI_COMM_WORLD, size);
  err_set_rank(*rank, *size);
  if (provided < MPI_THREAD_FUNNELED)
    mpix_abort(EXIT_FAIL, "MPI library gives thread level %d, need FUNNELED", provided);
}

int mpix_agree(int code)
{
  int all = code;
  MPI_Allreduce(MPI_IN_PLACE, &all, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return all;
}

int mpix_finish(int code)
{
  int all = mpix_agree(code);
  MPI_Finalize();
  return all;
}

double mpix_timer_start(void)
{
  MPI_Barrier(MPI_COMM_WORLD);
  return MPI_Wtime();
}

double mpix_elapsed_max(double start)
{
  double t = MPI_Wtime() - start;
  MPI_Allreduce(MPI_IN_PLACE, &t, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  return t;
}

int mpix_threads_per_rank(int requested)
{
  if (requested > 0)
    return requested;
  if (getenv("OMP_NUM_THREADS"))
    return omp_get_max_threads();
  MPI_Comm node;
  int local = 1;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
  MPI_Comm_size(node, &local);
  MPI_Comm_free(&node);
  long online = sysconf(_SC_NPROCESSORS_ONLN);
  int t = (int)(online > 0 ? online : 1) / local;
  if (t > omp_get_num_procs())
    t = omp_get_num_procs();
  return t < 1 ? 1 : t;
}

void mpix_abort(int code, const char *fmt, ...)
{
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  err_msg("%s", msg);
  fflush(stderr);
  MPI_Abort(MPI_COMM_WORLD, code);
  exit(code); /* not reached */
}
