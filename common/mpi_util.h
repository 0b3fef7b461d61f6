/* MPI discipline shared by the distributed programs.
 *
 * - mpix_init: MPI_Init_thread with MPI_THREAD_FUNNELED (OpenMP inside ranks,
 *   MPI calls from the main thread only), checked; sets the error prefix.
 * - Every rank parses the options; rank 0 alone prints usage and summaries.
 * - mpix_finish: all ranks agree on the exit code (the largest), finalize and
 *   return it, so `mpirun` sees one status.
 * - MPI_Abort (mpix_abort) only for failures one rank finds mid-run.
 * - Threads per rank (mpix_threads_per_rank): --threads, else OMP_NUM_THREADS,
 *   else this rank's share of its node's cores. */
#ifndef CONCUR_MPI_UTIL_H
#define CONCUR_MPI_UTIL_H

#include <limits.h>
#include <mpi.h>
#include <stddef.h>

#include "atomic_file.h"

/* Initialise MPI (FUNNELED), fill rank and size, set the message prefix,
 * and register the MPI facts of --version and the JSON (mpix_provide_facts). */
void mpix_init(int *argc, char ***argv, const char *prog, int *rank, int *size);
/* Register the MPI library and the standard's version with build_provide
 * (buildinfo.h); needs no MPI_Init, for a program that answers --version
 * before it starts MPI (primer). */
void mpix_provide_facts(void);
/* The binding of every rank (collective): on rank 0 the JSON array of each
 * rank's affinity_binding(rank, threads) (affinity.h), in rank order,
 * malloc()ed (free it); NULL on the other ranks, and when out of memory. */
char *mpix_binding(int threads);
/* Agree on the largest exit code over all ranks, finalize, return it. */
int mpix_finish(int code);
/* Largest code over all ranks (collective). */
int mpix_agree(int code);
/* Barrier, then the time; use in pairs around a timed region. */
double mpix_timer_start(void);
/* The slowest rank's elapsed time since `start` (collective, MAX reduce). */
double mpix_elapsed_max(double start);
/* OpenMP threads for each rank: `requested` (--threads) when it is above 0,
 * else omp_get_max_threads() when OMP_NUM_THREADS is set, else the node's
 * online CPUs divided by the ranks on this node (MPI_Comm_split_type SHARED,
 * a collective over all ranks), at most omp_get_num_procs() (the CPUs this
 * rank may run on) and at least 1. */
int mpix_threads_per_rank(int requested);
/* The other ranks' bytes to rank 0, in rank order (collective): every rank
 * but 0 sends its `len` bytes of buf (messages under 1 GiB: MPI counts are
 * ints); rank 0 hands rank 1's, then rank 2's, ... to sink(ctx, bytes, n),
 * chunk by chunk, and writes its own part itself, before. Rank 0 receives
 * everything even after a sink failed (the sink remembers it), so that no
 * rank waits for ever. */
typedef void (*mpix_sink_fn)(void *ctx, const char *bytes, size_t n);
void mpix_stream_to_zero(const char *buf, size_t len, int tag, mpix_sink_fn sink, void *ctx);
/* How an output file reaches its name in an MPI run, decided by rank 0 and
 * known to every rank: no output; failed (rank 0 said why); every rank
 * writes into a named temporary `tmp` (a regular file and several ranks:
 * MPI ranks cannot share an unnamed one); or rank 0 writes it all (stdout, a
 * FIFO or device, which cannot seek, or the file of a lone rank, then
 * through an unnamed temporary where the file system has them). */
enum { MPIX_OUT_NONE, MPIX_OUT_FAILED, MPIX_OUT_PARALLEL, MPIX_OUT_THROUGH_ZERO };
struct mpix_out {
  int how;
  char tmp[PATH_MAX];    /* MPIX_OUT_PARALLEL: the temporary every rank writes */
  struct afile_target t; /* rank 0: the output, resolved */
};
/* Collective: rank 0 resolves `name` (NULL: no output) and chooses, making
 * the named temporary or calling open_zero(ctx, &out->t) to open it for
 * writing alone (0 on success, else after saying why); then every rank
 * learns the choice. Returns out->how. Decided before any work, so that a
 * bad output fails first. */
int mpix_out_plan(const char *name, struct mpix_out *out,
                  int (*open_zero)(void *ctx, const struct afile_target *t), void *ctx);
/* Print `prog[rank]: reason` and abort the whole job with `code`. */
void mpix_abort(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));

#endif
