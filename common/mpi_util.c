#include "mpi_util.h"

#include <omp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "affinity.h"
#include "buildinfo.h"
#include "errors.h"
#include "memory.h"

/* The MPI library, its first line (Open MPI's is one line; MPICH's is many),
 * and the version of the standard: both work before MPI_Init. */
static const char *mpi_library(void)
{
  static char lib[MPI_MAX_LIBRARY_VERSION_STRING];
  int len = 0;
  if (lib[0] == '\0' && MPI_Get_library_version(lib, &len) == MPI_SUCCESS) {
    lib[len > 0 && len < (int)sizeof lib ? len : (int)sizeof lib - 1] = '\0';
    lib[strcspn(lib, "\r\n")] = '\0';
    for (size_t n = strlen(lib); n > 0 && (lib[n - 1] == ' ' || lib[n - 1] == '\t');)
      lib[--n] = '\0';
  }
  return lib;
}

static const char *mpi_standard(void)
{
  static char std[16];
  int v = 0, sub = 0;
  if (std[0] == '\0' && MPI_Get_version(&v, &sub) == MPI_SUCCESS)
    snprintf(std, sizeof std, "%d.%d", v, sub);
  return std;
}

void mpix_provide_facts(void)
{
  build_provide(BUILD_MPI, mpi_library);
  build_provide(BUILD_MPI_VERSION, mpi_standard);
}

void mpix_init(int *argc, char ***argv, const char *prog, int *rank, int *size)
{
  int provided = MPI_THREAD_SINGLE;
  err_init(prog);
  mpix_provide_facts();
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

int mpix_out_plan(const char *name, struct mpix_out *out,
                  int (*open_zero)(void *ctx, const struct afile_target *t), void *ctx)
{
  int rank, size;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  struct {
    int64_t how;
    char tmp[PATH_MAX];
  } plan = {MPIX_OUT_NONE, ""};
  if (rank == 0 && name != NULL) {
    plan.how = MPIX_OUT_FAILED;
    if (afile_target(name, &out->t) != 0)
      ; /* said why */
    else if (size > 1 && AFILE_BY_NAME(&out->t))
      plan.how = afile_make_temp(&out->t, plan.tmp, sizeof plan.tmp) == 0 ? MPIX_OUT_PARALLEL
                                                                          : MPIX_OUT_FAILED;
    else if (open_zero(ctx, &out->t) == 0)
      plan.how = MPIX_OUT_THROUGH_ZERO;
  }
  MPI_Bcast(&plan, (int)sizeof plan, MPI_BYTE, 0, MPI_COMM_WORLD);
  out->how = (int)plan.how;
  memcpy(out->tmp, plan.tmp, sizeof out->tmp);
  return out->how;
}

#define STREAM_CHUNK ((size_t)1 << 30) /* bytes per message: counts are ints */

void mpix_stream_to_zero(const char *buf, size_t len, int tag, mpix_sink_fn sink, void *ctx)
{
  int rank, size;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  uint64_t mine = len, *lens = NULL;
  if (rank == 0 && (lens = malloc((size_t)size * sizeof *lens)) == NULL)
    mpix_abort(EXIT_FAIL, "out of memory");
  MPI_Gather(&mine, 1, MPI_UINT64_T, lens, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  if (rank != 0) {
    for (size_t at = 0; at < len; at += STREAM_CHUNK) {
      size_t k = len - at < STREAM_CHUNK ? len - at : STREAM_CHUNK;
      MPI_Send(buf + at, (int)k, MPI_BYTE, 0, tag, MPI_COMM_WORLD);
    }
    return;
  }
  size_t cap = 0;
  char *in = NULL;
  for (int r = 1; r < size; r++) {
    size_t want = lens[r] < STREAM_CHUNK ? (size_t)lens[r] : STREAM_CHUNK;
    if (want > cap) { /* a buffer as big as the largest message, once */
      free(in);
      if ((in = mem_alloc_big(want)) == NULL)
        mpix_abort(EXIT_FAIL, "out of memory for the output");
      cap = want;
    }
    for (size_t at = 0; at < lens[r]; at += STREAM_CHUNK) {
      size_t k = lens[r] - at < STREAM_CHUNK ? (size_t)lens[r] - at : STREAM_CHUNK;
      MPI_Recv(in, (int)k, MPI_BYTE, r, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      sink(ctx, in, k);
    }
  }
  free(in);
  free(lens);
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

char *mpix_binding(int threads)
{
  int rank, size;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  char *mine = affinity_binding(rank, threads);
  int len = mine != NULL ? (int)strlen(mine) : 0; /* 0: that rank's entry is missing */
  int *lens = NULL;
  char *flat = NULL, *all = NULL;
  size_t total = 0;
  if (rank == 0 && (lens = calloc(2 * (size_t)size, sizeof *lens)) == NULL)
    mpix_abort(EXIT_FAIL, "out of memory");
  MPI_Gather(&len, 1, MPI_INT, lens, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (rank == 0) {
    for (int r = 0; r < size; r++) {
      lens[size + r] = (int)total; /* displacements */
      total += (size_t)lens[r];
    }
    flat = malloc(total + 1);
    all = malloc(total + (size_t)size + 2); /* the entries, commas, [ ] and NUL */
    if (flat == NULL || all == NULL)
      mpix_abort(EXIT_FAIL, "out of memory");
  }
  MPI_Gatherv(mine, len, MPI_CHAR, flat, lens, lens != NULL ? lens + size : NULL, MPI_CHAR, 0,
              MPI_COMM_WORLD);
  free(mine);
  if (rank != 0)
    return NULL;
  size_t at = 0;
  all[at++] = '[';
  for (int r = 0; r < size; r++) {
    if (lens[r] == 0)
      continue;
    if (at > 1)
      all[at++] = ',';
    memcpy(all + at, flat + lens[size + r], (size_t)lens[r]);
    at += (size_t)lens[r];
  }
  all[at++] = ']';
  all[at] = '\0';
  free(lens);
  free(flat);
  return all;
}
