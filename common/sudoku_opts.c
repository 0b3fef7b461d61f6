/* Command line of sudoku and sudoku-omp. */
#include <getopt.h>
#include <omp.h>
#include <stdio.h>
#include <string.h>

#include "sudoku_batch.h"

enum { OPT_FSYNC = 256 };

static void opts_usage(const struct sudoku_opts *o)
{
  printf("Usage: %s [OPTION]... [FILE]...\n", o->prog);
  printf("Solve every sudoku puzzle of FILE(s) (\"-\" = standard input; none = the bundled\n"
         "top95 set), one output line per puzzle in input order, every grid verified.\n\n");
  printf("  -a, --algo NAME       fast (bitmask solver, default) or norvig (reference port)\n"
         "  -c, --count           classify: 0, 1 or 2+ solutions (search stops at the second)\n"
         "  -n, --max-nodes N     give up on a puzzle after N search nodes (0 = never; default)\n"
         "  -s, --schedule NAME   puzzle (tasks of a few puzzles, default) or chunk (one\n"
         "                        contiguous chunk per thread)\n");
  if (o->mpi)
    printf("  -d, --dist NAME       how rank 0 shares the puzzles: static (contiguous blocks,\n"
           "                        default), cyclic (round robin) or dynamic (batches handed\n"
           "                        out as ranks finish; rank 0 solves too)\n");
  printf("  -b, --batch N         puzzles per task%s (default: automatic)\n",
         o->mpi ? " and per dynamic hand-out" : "");
  printf("  -t, --threads N       OpenMP threads%s\n",
         o->mpi ? " per rank (default: OMP_NUM_THREADS, else\n"
                  "                        the node's cores shared among its ranks)"
                : " (default: OMP_NUM_THREADS or all)");
  printf("  -o, --output FILE     write the results to FILE (atomically) instead of stdout\n"
         "      --fsync           with -o: force FILE to disk before its rename (survives\n"
         "                        a power cut; costs a few ms)\n"
         "  -q, --quiet           no result lines (summary only)\n"
         "  -p, --pretty          print each grid as a 9x9 board, as the textbook does\n"
         "  -r, --repeat N        solve N times; report the median and minimum (default 1)\n"
         "  -j, --json            one JSON summary object on stdout (result lines then go\n"
         "                        only to --output)\n"
         "  -h, --help            this help\n"
         "  -V, --version         version\n\n");
  printf("Output: the 81-digit solution; '<puzzle> unsolvable', '<puzzle> gave-up',\n"
         "'<solution> multiple' (--count) or 'invalid FILE:LINE: reason'. Summary on stderr.\n"
         "Exit status: 0 all lines were puzzles, 3 some lines were rejected, 1 a check\n"
         "failed or an input could not be read, 2 bad usage.\n\n");
  if (o->mpi)
    printf("Example: mpirun -np 2 %s --dist dynamic --count --threads 1 puzzles.txt\n", o->prog);
  else
    printf("Example: %s --schedule chunk --threads 2 --count puzzles.txt > solutions.txt\n",
           o->prog);
}

enum cli_status sudoku_parse_opts(struct sudoku_opts *o, int argc, char **argv, int print,
                                  char err[CLI_ERR_MAX])
{
  static const char *const algos[] = {"fast", "norvig", NULL};
  static const char *const scheds[] = {"puzzle", "chunk", NULL};
  static const char *const dists[] = {"static", "cyclic", "dynamic", NULL};
  static const struct option longopts[] = {
      {"algo", required_argument, NULL, 'a'},      {"count", no_argument, NULL, 'c'},
      {"max-nodes", required_argument, NULL, 'n'}, {"schedule", required_argument, NULL, 's'},
      {"dist", required_argument, NULL, 'd'},      {"batch", required_argument, NULL, 'b'},
      {"threads", required_argument, NULL, 't'},   {"output", required_argument, NULL, 'o'},
      {"quiet", no_argument, NULL, 'q'},           {"pretty", no_argument, NULL, 'p'},
      {"repeat", required_argument, NULL, 'r'},    {"json", no_argument, NULL, 'j'},
      {"fsync", no_argument, NULL, OPT_FSYNC},     {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, 'V'},         {NULL, 0, NULL, 0}};
  const char *shortopts = o->mpi ? "a:cn:s:d:b:t:o:qpr:jhV" : "a:cn:s:b:t:o:qpr:jhV";

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
  err[0] = '\0';

  opterr = 0;
  optind = 1;
  int c;
  while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
    int rc = 0;
    switch (c) {
    case 'a':
      rc = cli_parse_choice("--algo", optarg, algos, &o->algo, err);
      break;
    case 'c':
      o->lim.count = 1;
      break;
    case 'n':
      rc = cli_parse_u64("--max-nodes", optarg, 0, UINT64_MAX, &o->lim.max_nodes, err);
      break;
    case 's':
      rc = cli_parse_choice("--schedule", optarg, scheds, &o->schedule, err);
      break;
    case 'd':
      if (!o->mpi) { /* long option matched but this program has no ranks */
        snprintf(err, CLI_ERR_MAX, "--dist needs the MPI program 'sudoku'");
        return CLI_USAGE;
      }
      rc = cli_parse_choice("--dist", optarg, dists, &o->dist, err);
      break;
    case 'b':
      rc = cli_parse_u64("--batch", optarg, 1, 1u << 30, &o->batch, err);
      break;
    case 't':
      rc = cli_parse_int("--threads", optarg, 1, 4096, &o->threads, err);
      break;
    case OPT_FSYNC:
      o->fsync = 1;
      break;
    case 'o':
      o->output = optarg;
      break;
    case 'q':
      o->quiet = 1;
      break;
    case 'p':
      o->pretty = 1;
      break;
    case 'r':
      rc = cli_parse_int("--repeat", optarg, 1, 1000000, &o->repeat, err);
      break;
    case 'j':
      o->json = 1;
      break;
    case 'h':
      if (print)
        opts_usage(o);
      return CLI_EXIT_OK;
    case 'V':
      if (print)
        cli_print_version(o->prog);
      return CLI_EXIT_OK;
    default:
      cli_unknown_option(argv[optind - 1], optopt, err);
      return CLI_USAGE;
    }
    if (rc != 0)
      return CLI_USAGE;
  }
  if (o->pretty && o->quiet) {
    snprintf(err, CLI_ERR_MAX, "--pretty and --quiet conflict");
    return CLI_USAGE;
  }
  o->files = argv + optind;
  o->nfiles = argc - optind;
  return CLI_OK;
}
