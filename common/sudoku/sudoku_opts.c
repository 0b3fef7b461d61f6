/* The command line of sudoku and sudoku-omp: one option table for both. */
#include <stdio.h>
#include <string.h>

#include "buildinfo.h"
#include "sudoku_batch.h"

enum { OPT_FSYNC = 256, OPT_JSON, OPT_MAX_NODES, OPT_SCHEDULE, OPT_DIST };
enum { OMP = 1, MPI = 2 }; /* the two programs: variants of the table */

const char *const sudoku_algo_names[] = {"fast", "norvig", NULL};
const char *const sudoku_schedule_names[] = {"puzzle", "chunk", NULL};
const char *const sudoku_dist_names[] = {"static", "cyclic", "dynamic", NULL};

static const struct cli_option sudoku_options[] = {
    {"algo", 'a', "NAME", 'a', "fast (bitmask solver, default) or norvig (reference port)", 0,
     sudoku_algo_names},
    {"count", 'c', NULL, 'c', "classify: 0, 1 or 2+ solutions (search stops at the second)", 0},
    {"max-nodes", 0, "N", OPT_MAX_NODES,
     "give up on a puzzle after N search nodes (0 = never; default)", 0},
    {"schedule", 0, "NAME", OPT_SCHEDULE,
     "puzzle (tasks of a few puzzles, default) or chunk (one\ncontiguous chunk per thread)", 0,
     sudoku_schedule_names},
    {"dist", 0, "NAME", OPT_DIST,
     "how rank 0 shares the puzzles: static (contiguous blocks,\n"
     "default), cyclic (round robin) or dynamic (batches handed\n"
     "out as ranks finish; rank 0 solves too)",
     MPI, sudoku_dist_names},
    {"batch", 'b', "N", 'b', "puzzles per task (default: automatic)", OMP},
    {"batch", 'b', "N", 'b', "puzzles per task and per dynamic hand-out (default: automatic)", MPI},
    {"threads", 't', "N", 't', CLI_THREADS_HELP, OMP},
    {"threads", 't', "N", 't', CLI_THREADS_HELP_MPI, MPI},
    {"output", 'o', "FILE", 'o', "write the results to FILE (atomically) instead of stdout", 0},
    {"fsync", 0, NULL, OPT_FSYNC,
     "with -o: force FILE to disk before its rename (survives\na power cut; costs a few ms)", 0},
    {"quiet", 'q', NULL, 'q', "no result lines (summary only)", 0},
    {"pretty", 'p', NULL, 'p', "print each grid as a 9x9 board, as the textbook does", 0},
    {"repeat", 'r', "N", 'r', "solve N times; report the median and minimum (default 1)", 0},
    {"json", 0, NULL, OPT_JSON,
     "one JSON summary object: on stdout with -o FILE, else the\nlast line of stderr (the results "
     "stay on stdout)",
     0},
    CLI_HELP_OPTIONS,
    CLI_END};

#define SUDOKU_USAGE "Usage: {prog} [OPTION]... [FILE]...\n"
#define SUDOKU_ABOUT                                                                               \
  "Solve every sudoku puzzle of FILE(s) (\"-\" = standard input; none = the bundled\n"             \
  "top95 set, said on stderr: stdin is never read without \"-\"), one output line\n"               \
  "per puzzle in input order, every grid verified. Lines end at \\n, \\r\\n or \\r.\n"
#define SUDOKU_AFTER                                                                               \
  "Output: the 81-digit solution; '<puzzle> unsolvable', '<puzzle> gave-up',\n"                    \
  "'<solution> multiple' (--count) or 'invalid FILE:LINE: reason'. Summary on stderr.\n"           \
  "Exit status: 0 all lines were puzzles, 3 some lines were rejected (or a FILE\n"                 \
  "is binary), 1 a check failed or an input could not be read, 2 bad usage.\n\n"

static const struct cli_help omp_help = {
    SUDOKU_USAGE, SUDOKU_ABOUT,
    SUDOKU_AFTER
    "Example: {prog} --schedule chunk --threads 2 --count puzzles.txt > solutions.txt\n"};
static const struct cli_help mpi_help = {
    SUDOKU_USAGE, SUDOKU_ABOUT,
    SUDOKU_AFTER
    "Example: mpirun -np 2 {prog} --dist dynamic --count --threads 1 puzzles.txt\n"
    "(as root add --allow-run-as-root; more ranks than cores: --map-by :OVERSUBSCRIBE)\n"};

int sudoku_opts_answer(const struct sudoku_opts *o, enum cli_status st, const char *err, int speak)
{
  return cli_answer(st, o->prog, o->mpi ? &mpi_help : &omp_help, sudoku_options, o->mpi ? MPI : OMP,
                    err, speak);
}

static void opts_defaults(struct sudoku_opts *o)
{
  o->algo = SUDOKU_ALGO_FAST;
  o->schedule = SUDOKU_SCHED_PUZZLE;
  o->dist = SUDOKU_DIST_STATIC;
  o->lim.count = 0;
  o->lim.max_nodes = 0;
  o->threads = 0; /* not given: each program picks its default after parsing */
  o->batch = 0;
  o->repeat = 1;
  o->json = o->pretty = o->quiet = o->fsync = 0;
  o->output = NULL;
}

enum cli_status sudoku_parse_opts(struct sudoku_opts *o, int argc, char **argv,
                                  char err[CLI_ERR_MAX])
{
  struct cli_parser p;
  int c, rc = 0;
  opts_defaults(o);
  err[0] = '\0';
  build_provide(BUILD_SIMD, sudoku_fast_simd);
  cli_begin(&p, o->prog, sudoku_options, o->mpi ? MPI : OMP, argc, argv);
  while (rc == 0 && (c = cli_next(&p, err)) != -1) {
    const char *a = p.arg;
    switch (c) {
    case 'a':
      rc = cli_parse_choice("--algo", a, sudoku_algo_names, &o->algo, err);
      break;
    case 'c':
      o->lim.count = 1;
      break;
    case OPT_MAX_NODES:
      rc = cli_parse_u64("--max-nodes", a, 0, UINT64_MAX, &o->lim.max_nodes, err);
      break;
    case OPT_SCHEDULE:
      rc = cli_parse_choice("--schedule", a, sudoku_schedule_names, &o->schedule, err);
      break;
    case OPT_DIST:
      rc = cli_parse_choice("--dist", a, sudoku_dist_names, &o->dist, err);
      break;
    case 'b':
      rc = cli_parse_u64("--batch", a, 1, 1u << 30, &o->batch, err);
      break;
    case 't':
      rc = cli_parse_int("--threads", a, 1, 4096, &o->threads, err);
      break;
    case OPT_FSYNC:
      o->fsync = 1;
      break;
    case 'o':
      o->output = a;
      break;
    case 'q':
      o->quiet = 1;
      break;
    case 'p':
      o->pretty = 1;
      break;
    case 'r':
      rc = cli_parse_int("--repeat", a, 1, 1000000, &o->repeat, err);
      break;
    case OPT_JSON:
      o->json = 1;
      break;
    default:
      return cli_status_of(c);
    }
  }
  if (rc != 0)
    return CLI_USAGE;
  if (o->pretty && o->quiet) {
    snprintf(err, CLI_ERR_MAX, "--pretty and --quiet conflict");
    return CLI_USAGE;
  }
  o->files = argv + p.operand;
  o->nfiles = argc - p.operand;
  return CLI_OK;
}
