/* sudoku (MPI) internals shared by its files: sudoku_mpi.c (set-up and the
 * phase list), sudoku_mpi_static.c, sudoku_mpi_cyclic.c and
 * sudoku_mpi_dynamic.c (one distribution each), sudoku_mpi_io.c (the
 * distributed read, the end of the run), sudoku_mpi_out.c (the output). */
#ifndef CONCUR_SUDOKU_MPI_INT_H
#define CONCUR_SUDOKU_MPI_INT_H

#include <mpi.h>
#include <stddef.h>
#include <stdint.h>

#include "mpi_util.h"
#include "sudoku_batch.h"

enum { TAG_WORK = 1, TAG_DONE, TAG_STOP, TAG_RESULT, TAG_TEXT, TAG_GRIDS, TAG_PIECE };

struct dist_out;

struct dist_ctx {
  const struct sudoku_opts *o;
  struct dist_out *out; /* where the records go (sudoku_mpi_out.c) */
  int rank, size;
  int dist;                      /* o->dist; static with one rank */
  MPI_Datatype grid_t, result_t; /* 81 and 88 bytes */
  size_t n;                      /* all puzzles (cyclic, dynamic) */
  int *counts, *displs;          /* every piece's puzzles (cyclic, dynamic) */
};

/* ---- cyclic (sudoku_mpi_cyclic.c) ----------------------------------------------- */

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

/* Cyclic's buffers, carved from one block (fresh memory is costly here, and
 * one block faults fewer huge pages than four): */
struct cyclic_bufs {
  struct sudoku_result *lres; /* the piece's results, in piece order */
  struct sudoku_result *res;  /* of the others' puzzles this rank solves */
  uint8_t *work;              /* their grids */
  char *pack;                 /* this piece's puzzles solved elsewhere: grids out, results back */
};

/* The plan of this rank's swaps (pl->ocnt owns the plan's arrays). */
void cyclic_plan_make(const struct dist_ctx *c, struct cyclic_plan *pl);
/* The buffers, in one block (b->lres owns it). */
void cyclic_bufs_alloc(const struct cyclic_plan *pl, struct cyclic_bufs *b);
/* The timed solve; on return b->lres holds the piece's results. */
void cyclic_solve(const struct dist_ctx *c, const struct cyclic_plan *pl, const uint8_t *grids,
                  const struct cyclic_bufs *b);

/* ---- static and dynamic (sudoku_mpi_static.c, sudoku_mpi_dynamic.c) ------------ */

/* The timed solve of static: the n puzzles of this rank's piece into res. */
void static_solve(const struct dist_ctx *c, const uint8_t *grids, size_t n,
                  struct sudoku_result *res);
/* After the read: rank 0 starts gathering every grid into *all (*all is
 * mine's grids on the other ranks). */
void dyn_gather_start(const struct dist_ctx *c, const struct sudoku_batch *mine, uint8_t **all,
                      MPI_Request *gather);
/* The timed solve of dynamic: res has room for all puzzles; on return it
 * holds those of this rank's piece. */
void dyn_solve(const struct dist_ctx *c, const uint8_t *mine, uint8_t *all, MPI_Request *gather,
               struct sudoku_result *res);

/* ---- the distributed read and write (sudoku_mpi_io.c) -------------------------- */

/* Rank 0 reads and scatters the inputs; every rank parses its piece into
 * mine (0, or -1 on every rank when rank 0 could not read). */
int dist_read(const struct dist_ctx *c, struct sudoku_text *tx, struct sudoku_batch *mine,
              char **spare, size_t *spare_len);
/* Cyclic and dynamic: c->counts, c->displs and c->n (collective). */
void dist_count(struct dist_ctx *c, const struct sudoku_batch *mine);
/* Every rank checks and formats its piece; rank 0 writes the records in
 * rank order and fills cnt and st (0, or -1 on rank 0 after an output
 * error). */
int dist_write(const struct dist_ctx *c, const struct sudoku_text *tx,
               const struct sudoku_batch *mine, const struct sudoku_result *res, char **spare,
               size_t spare_len, struct sudoku_counts *cnt, struct sudoku_stats *st);
/* Rank 0: the median of every puzzle's solve time (collective). */
double dist_median_seconds(const struct dist_ctx *c, const struct sudoku_result *res, size_t mine_n,
                           size_t n);

/* ---- the output (sudoku_mpi_out.c) ---------------------------------------------- */

/* Where the records go: the plan (mpix_out_plan) and, on rank 0 when it
 * writes them all, the open output. */
struct dist_out {
  struct mpix_out p;
  struct sudoku_out out; /* rank 0, MPIX_OUT_THROUGH_ZERO: open */
};
/* Rank 0 checks and opens the output (c->out) before the work and tells
 * every rank how the records will go. Returns 0, or -1 on every rank after
 * rank 0 said why (collective). */
int dist_out_open(struct dist_ctx *c);
/* Rank 0: remove the temporary file of a run that stops early. */
void dist_out_abort(const struct dist_ctx *c);
/* The records of every rank to the output, in rank order (collective).
 * Returns 0, or -1 on rank 0 after an output error. */
int dist_write_records(const struct dist_ctx *c, const char *text, size_t textlen);

#endif
