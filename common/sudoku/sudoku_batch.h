/* Batch solving shared by sudoku-omp and the MPI sudoku: options, reading
 * puzzle files, solving a range of puzzles with OpenMP, the ordered and
 * verified output, and the summary. */
#ifndef CONCUR_SUDOKU_BATCH_H
#define CONCUR_SUDOKU_BATCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "atomic_file.h"
#include "cli.h"
#include "progress.h"
#include "sudoku.h"

enum sudoku_algo { SUDOKU_ALGO_FAST = 0, SUDOKU_ALGO_NORVIG = 1 };
enum sudoku_schedule { SUDOKU_SCHED_PUZZLE = 0, SUDOKU_SCHED_CHUNK = 1 };
enum sudoku_dist { SUDOKU_DIST_STATIC = 0, SUDOKU_DIST_CYCLIC = 1, SUDOKU_DIST_DYNAMIC = 2 };

struct sudoku_opts {
  const char *prog; /* "sudoku" or "sudoku-omp" */
  int mpi;          /* the MPI program: --dist is accepted */
  int algo;         /* enum sudoku_algo */
  int schedule;     /* enum sudoku_schedule (OpenMP inside a process) */
  int dist;         /* enum sudoku_dist (MPI) */
  struct sudoku_limits lim;
  int threads;    /* OpenMP threads; 0 from sudoku_parse_opts: not given */
  uint64_t batch; /* puzzles per task / per dynamic hand-out; 0 = automatic */
  int repeat;     /* solve phase repetitions */
  int json, pretty, quiet;
  int fsync;          /* --fsync: the output file forced to disk before its rename */
  const char *output; /* NULL or "-" = stdout */
  char **files;       /* input files ("-" = stdin); none = the bundled set */
  int nfiles;
  struct progress *progress; /* the terminal's progress line, or NULL (progress.h) */
};

/* The names of enum sudoku_algo, sudoku_schedule and sudoku_dist values, as
 * their options take them (NULL-terminated). */
extern const char *const sudoku_algo_names[];
extern const char *const sudoku_schedule_names[];
extern const char *const sudoku_dist_names[];

/* Parse argv (o->prog and o->mpi set first). Prints nothing: hand the
 * outcome to sudoku_opts_answer. */
enum cli_status sudoku_parse_opts(struct sudoku_opts *o, int argc, char **argv,
                                  char err[CLI_ERR_MAX]);
/* Print what the outcome asks for (help, version, usage error) when
 * `speak` (rank 0); returns the exit status for it. */
int sudoku_opts_answer(const struct sudoku_opts *o, enum cli_status st, const char *err, int speak);

/* One line of input that was rejected. */
struct sudoku_reject {
  size_t before; /* number of valid puzzles read before it */
  uint32_t file; /* index into the text's file names */
  uint64_t line;
  char reason[SUDOKU_REASON_MAX];
};

/* Every input read whole: one text in which each file ends with a newline,
 * and every line ends with '\n' (a '\r' may come before it). */
struct sudoku_text {
  char *buf;
  size_t len;
  size_t *start; /* nfiles + 1 offsets: where file i starts; start[nfiles] = len */
  size_t nfiles;
  const char **names; /* file names as given ("-" shown as "<stdin>") */
};

/* A run of whole lines of the text, bytes [lo, hi), beginning at line
 * `line` of file `file`. */
struct sudoku_piece {
  uint64_t lo, hi, line;
  uint32_t file, pad;
};

/* Valid puzzles in input order (compact), where they came from, and the
 * rejected lines. */
struct sudoku_batch {
  size_t n, cap;  /* valid puzzles */
  uint8_t *grids; /* n * 81 */
  uint32_t *file; /* n: file index */
  uint64_t *line; /* n: line number */
  struct sudoku_reject *rej;
  size_t nrej, caprej;
};

/* The file names of o's inputs (or the bundled set's), and room for their
 * offsets, in an empty text: what every MPI rank knows without reading.
 * Returns 0, or -1 after a message. */
int sudoku_text_names(const struct sudoku_opts *o, struct sudoku_text *tx);
/* Read every input of o (or the bundled set, saying so on stderr) into tx:
 * lone '\r' line ends become '\n'; a file that starts like binary data is
 * refused. Returns EXIT_OK (0), or EXIT_FAIL (cannot read) or EXIT_DATA
 * (binary data) after one message. */
int sudoku_text_read(const struct sudoku_opts *o, struct sudoku_text *tx);
void sudoku_text_free(struct sudoku_text *tx);
/* Free the text itself once it is parsed (the names and offsets stay). */
void sudoku_text_drop(struct sudoku_text *tx);
/* Cut the text into k pieces of about equal size at line boundaries. */
void sudoku_text_split(const struct sudoku_text *tx, int k, struct sudoku_piece *pc);
/* Parse the whole text with `threads` threads into bt; rejected lines are
 * reported on stderr in input order (the first SUDOKU_REJECT_MESSAGES, then
 * a count). Returns 0, or -1 after a message. */
int sudoku_parse_text(const struct sudoku_text *tx, int threads, struct sudoku_batch *bt);
/* Parse one piece into a new batch (rejected lines recorded, not reported;
 * their `before` counts from the piece's first puzzle). `text` holds the
 * text's bytes from offset `base` on (the piece's own bytes, on another
 * rank). Only tx->start and tx->nfiles are read. Returns 0, or -1. */
int sudoku_parse_piece(const struct sudoku_text *tx, const char *text, size_t base,
                       const struct sudoku_piece *pc, struct sudoku_batch *bt);
/* Rejected lines of one piece, now placed after `before_offset` puzzles of
 * the whole batch: shift their `before` and report them to msgs, in order.
 * Only the first SUDOKU_REJECT_MESSAGES rejected lines of the batch are
 * reported in full: `earlier` is how many came before these (in earlier
 * pieces); sudoku_rejects_summary(total) then counts the rest, once. */
#define SUDOKU_REJECT_MESSAGES 20
void sudoku_rejects_place(const struct sudoku_text *tx, struct sudoku_reject *rej, size_t n,
                          size_t before_offset, uint64_t earlier, FILE *msgs);
void sudoku_rejects_summary(uint64_t total);
/* Room for cap puzzles in an empty batch. Returns 0, or -1. */
int sudoku_batch_alloc(struct sudoku_batch *bt, size_t cap);
void sudoku_batch_free(struct sudoku_batch *bt);

/* The result of one puzzle: 88 bytes, sent as bytes between ranks. */
struct sudoku_result {
  uint8_t sol[SUDOKU_CELLS];
  uint8_t status;  /* enum sudoku_status */
  uint8_t checked; /* 1: sol passed sudoku_verify (solved/multiple only) */
  uint8_t pad;
  float seconds; /* solve time of this puzzle */
};

/* Solve one puzzle, timed, and check the grid it found (the check is not
 * timed: it belongs to the output, but runs here, where the work is shared
 * out). */
void sudoku_solve_one(const uint8_t *grid, struct sudoku_result *r, const struct sudoku_opts *o);
/* Solve grids[0..n) into res[0..n) with o->threads OpenMP threads and
 * o->schedule: one task per batch of puzzles, or one chunk per thread. */
void sudoku_solve_range(const uint8_t *grids, struct sudoku_result *res, size_t n,
                        const struct sudoku_opts *o);
/* The same for every stride-th puzzle: grids[0], grids[stride], ... into
 * res[0], res[stride], ... (MPI cyclic: a rank's own puzzles, in place). */
void sudoku_solve_strided(const uint8_t *grids, struct sudoku_result *res, size_t n, size_t stride,
                          const struct sudoku_opts *o);

/* Counts of a finished batch (filled by sudoku_account). */
struct sudoku_counts {
  uint64_t solved, multiple, unsolvable, gave_up, invalid, verified, verify_failed;
};

/* Count the results of a batch (rejected lines included) and write the
 * per-puzzle messages (no solution, gave up, failed check) to msgs, in
 * input order. */
void sudoku_account(const struct sudoku_opts *o, const struct sudoku_text *tx,
                    const struct sudoku_batch *bt, const struct sudoku_result *res,
                    struct sudoku_counts *cnt, FILE *msgs);

/* Whether the run writes records at all: always to -o FILE; to stdout
 * unless --quiet. */
int sudoku_wants_output(const struct sudoku_opts *o);
/* Whether the records go to stdout (then --json goes to stderr). */
int sudoku_results_on_stdout(const struct sudoku_opts *o);

/* All the records of a batch (its puzzles, its rejected lines, those after
 * the last puzzle too), formatted by o->threads threads; *len bytes. They
 * go into `spare` (cap bytes from malloc or mem_alloc_big, memory
 * already touched: fresh memory is costly) when they fit; else spare is
 * freed and they go into a new buffer. Returns the buffer (free it), or
 * NULL when out of memory. The MPI ranks each format the piece they parsed,
 * into the text they parsed it from. */
char *sudoku_format_piece(const struct sudoku_opts *o, const struct sudoku_text *tx,
                          const struct sudoku_batch *bt, const struct sudoku_result *res,
                          char *spare, size_t cap, size_t *len);

/* Where the records go: stdout, or -o FILE (atomic_file.h: a file appears
 * only when complete, with the mode of the one it replaces; a FIFO or a
 * device is written in place). Opened before the work, so that a bad -o
 * fails at once. */
struct sudoku_out {
  struct afile af;
  int open, failed, nomem, err;
};
/* Open -o (or stdout). Returns 0, or -1 after a message. */
int sudoku_out_open(const struct sudoku_opts *o, struct sudoku_out *out);
/* The same for an output already resolved (afile_target): the MPI program's
 * rank 0 resolves it once, to choose how the ranks write. */
int sudoku_out_open_target(const struct sudoku_opts *o, const struct afile_target *t,
                           struct sudoku_out *out);
/* Write len bytes; a failure is remembered and reported by close. */
void sudoku_out_write(struct sudoku_out *out, const char *buf, size_t len);
/* Commit the file (or flush stdout). Returns 0, or -1 after a message and
 * with the temporary file removed. */
int sudoku_out_close(struct sudoku_out *out);
/* Give up: the temporary file removed, the target left as it was. */
void sudoku_out_abort(struct sudoku_out *out);

/* Count the results, and write one line per input record (solutions and
 * rejected lines) in input order to out (open; NULL: no records), formatted
 * by o->threads threads, and close it; a grid that failed its check
 * (res[i].checked == 0) is not printed but reported and counted. Returns 0,
 * or -1 on an output error. */
int sudoku_write_results(const struct sudoku_opts *o, const struct sudoku_text *tx,
                         const struct sudoku_batch *bt, const struct sudoku_result *res,
                         struct sudoku_counts *cnt, struct sudoku_out *out);

/* Timings of a run, for the summary. */
struct sudoku_times {
  double read, write, e2e; /* seconds */
  const double *solve;     /* one per repeat */
  const double *solve_cpu; /* process CPU seconds of each solve phase (NULL: unknown) */
  int ranks;
  int output_failed;   /* the records could not be written: the run is no PASS */
  const char *binding; /* the JSON's "binding" of every rank (MPI), or NULL: this process's */
};

/* What the summary says about the puzzles of a run. */
struct sudoku_stats {
  size_t n, nrej;          /* puzzles, rejected lines */
  double pmin, pmed, pmax; /* per-puzzle solve seconds */
  const char *slow_name;   /* where the (first) slowest puzzle is */
  uint64_t slow_line;
};
/* Fastest and slowest solve time of res[0..n) (n > 0); returns the index of
 * the first slowest. */
size_t sudoku_time_extremes(const struct sudoku_result *res, size_t n, double *pmin, double *pmax);
/* The stats of one batch solved in one process. */
void sudoku_stats_of(const struct sudoku_text *tx, const struct sudoku_batch *bt,
                     const struct sudoku_result *res, struct sudoku_stats *st);

/* Summary on stderr (and the JSON object on stdout with --json). */
void sudoku_print_summary(const struct sudoku_opts *o, const struct sudoku_stats *st,
                          const struct sudoku_counts *cnt, const struct sudoku_times *tm);

/* Exit status of a finished run: 1 if a check failed, 3 if lines were
 * rejected, else 0. */
int sudoku_exit_status(const struct sudoku_counts *cnt);

/* The bundled default set (textbook top95), compiled in. */
extern const char sudoku_default_set[];
extern const size_t sudoku_default_set_len;
extern const char sudoku_default_set_name[];

#endif
