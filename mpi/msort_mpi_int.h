/* msort (MPI) internals shared by its files: msort_mpi.c (set-up and the
 * phase list), msort_mpi_algo.c (gather and sample sort), msort_mpi_io.c
 * (input, verification, the MPI-IO output), msort_mpi_out.c (where the
 * output goes, opened before the work). */
#ifndef CONCUR_MSORT_MPI_INT_H
#define CONCUR_MSORT_MPI_INT_H

#include <mpi.h>
#include <stddef.h>
#include <stdint.h>

#include "atomic_file.h"
#include "mpi_util.h"
#include "msort.h"
#include "msort_opts.h"

enum { ALGO_GATHER, ALGO_SAMPLE };

/* Where the sorted data go (msort_mpi_out.c): the plan (mpix_out_plan) and,
 * on rank 0 when it writes them all, the open file. */
struct msortm_out {
  struct mpix_out p;
  struct afile af; /* rank 0, MPIX_OUT_THROUGH_ZERO: open */
};

/* Everything one run needs; fixed after set-up. */
struct run {
  struct msort_opts o;
  struct msortm_out *out;
  int rank, size, threads;
  size_t esz, ksz;    /* element and key bytes */
  MPI_Datatype etype; /* one element (contiguous bytes) */
  uint64_t n;
  int whole;               /* rank 0 read the input whole (text, stream): it deals it out */
  size_t *counts, *displs; /* input slice of each rank */
};

/* Rank 0 decides; everyone learns the code (and n, when given). */
int msortm_bcast_code(int code, uint64_t *n);
/* Fill my slice [lo, lo+cnt) of the input into buf (untimed, collective). */
int msortm_load_slice(const struct run *R, size_t lo, size_t cnt, void *buf, void *text0);
/* Untimed checks of the distributed result (collective); EXIT_OK or EXIT_FAIL. */
int msortm_verify(const struct run *R, const void *res, size_t len, struct msort_sum before);
/* rec100: valsort's summary over all ranks (collective); rank 0 prints it
 * and puts its JSON members into json, returning their length (others: 0). */
int msortm_valsort(const struct run *R, const void *res, size_t len, int verified, char *json,
                   size_t jlen);
/* Every rank writes its slice of the temporary file tmp (collective). */
int msortm_write_output(const struct run *R, const char *tmp, const void *res, size_t len);
/* Rank 0 checks and opens the output before the work and tells every rank
 * how the data will go (collective): EXIT_OK, or EXIT_FAIL on every rank
 * after rank 0 said why. */
int msortm_out_open(const struct run *R);
/* Write every rank's result, in rank order, and give it its name
 * (collective): EXIT_OK or EXIT_FAIL on every rank. */
int msortm_out_write(const struct run *R, const void *res, size_t len);
/* Rank 0: remove the temporary of a run that failed (after any step). */
void msortm_out_abort(const struct run *R);

/* gather: elements rank r holds after the round that doubles `span`, and the
 * span of its final region. */
size_t msortm_region(const struct run *R, int r, int span);
int msortm_final_span(int r, int p);
/* The timed sorts; they return the buffer holding this rank's result. */
void *msortm_sort_gather(const struct run *R, void *a, void *t, struct msort_ws *ws, size_t *len);
void *msortm_sort_sample(const struct run *R, void **pa, void **pt, size_t *cap,
                         struct msort_ws *ws, size_t m, size_t *len);

#endif
