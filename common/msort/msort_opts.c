/* The command line of msort-omp and msort: one option table for both. */
#include "msort_opts.h"

#include <string.h>

#include "buildinfo.h"
#include "json.h"

enum { OPT_JSON = 256, OPT_NO_VERIFY, OPT_FSYNC };
#define OMP MSORT_PROG_OMP
#define MPI MSORT_PROG_MPI

static const char *const omp_algos[] = {"tasks", "chunks", "serial", "ref2", "refk", NULL};
static const char *const mpi_algos[] = {"gather", "sample", NULL};
static const char *const msort_format_names[] = {"binary", "text", NULL};

static const struct cli_option msort_options[] = {
    CLI_HEADING("Input (default: -n 10M --dist uniform --type u64):"),
    {"count", 'n', "N", 'n', "generate N elements (suffixes k M G Ki Mi Gi; 0 is fine)", 0},
    {"dist", 'd', "D", 'd',
     "uniform|sorted|reverse|nearly|few|equal (default uniform), or\n"
     "a hard input for sample sorts: zero|bucket|ggroup|staggered|\n"
     "dups|twokeys; gensort: the sort benchmark's records (rec100)",
     0},
    {"seed", 's', "S", 's', "generator seed (default 1); element i depends on (S, i) only", 0},
    {"input", 'i', "FILE", 'i',
     "read FILE instead (binary elements, or text with -f text);\n"
     "- is standard input; a FILE operand means the same",
     0},
    {"type", 'T', "T", 'T',
     "u32|i32|u64|i64|f32|f64|rec100 (default u64); floats sort\n"
     "in IEEE total order with NaNs last; rec100 = 100-byte\n"
     "records with a 10-byte key",
     0, msort_type_names},
    {"format", 'f', "F", 'f',
     "binary|text for --input and --output (text: one number a\n"
     "line, at most 4096 bytes; \\n, \\r\\n or \\r ends a line)",
     0, msort_format_names},
    CLI_HEADING("Output and run:"),
    {"output", 'o', "FILE", 'o',
     "write the sorted data (appears atomically, only if verified;\n- is standard output)", 0},
    {"fsync", 0, NULL, OPT_FSYNC,
     "with -o: force FILE to disk before its rename (survives a\npower cut; costs a few ms)", 0},
    {"algo", 'a', "A", 'a',
     "algorithm (default tasks):\n"
     "tasks   OpenMP tasks, merges split across threads\n"
     "chunks  one chunk per thread, then one k-way merge\n"
     "serial  the production merge sort on one thread\n"
     "ref2    textbook top-down 2-way merge sort\n"
     "refk    textbook k parts + k-way merge (see --parts)",
     OMP, omp_algos},
    {"algo", 'a', "A", 'a',
     "algorithm (default sample):\n"
     "sample  distributed sample sort (data never gather)\n"
     "gather  scatter from rank 0, sort, tree of merges back",
     MPI, mpi_algos},
    {"parts", 'k', "K", 'k', "refk: number of parts (default 4)", OMP},
    {"threads", 't', "N", 't', CLI_THREADS_HELP, OMP},
    {"threads", 't', "N", 't', CLI_THREADS_HELP_MPI, MPI},
    {"repeat", 'r', "N", 'r', "time N runs, report median and minimum (default 1)", 0},
    {"json", 0, NULL, OPT_JSON, "one JSON object on stdout (the last line of stderr with -o -)", 0},
    {"no-verify", 0, NULL, OPT_NO_VERIFY, "skip the (untimed) verification", 0},
    CLI_HELP_OPTIONS,
    CLI_END};

#define MSORT_ABOUT "Stable merge sort of generated data or of a file, verified after the run.\n"
#define MSORT_AFTER                                                                                \
  "Verification (on by default, never timed): sorted, same multiset as the input\n"                \
  "(order-independent checksum), stable for generated rec100. Exit status: 0 verified,\n"          \
  "1 failure, 2 bad usage, 3 bad input data (no output is written).\n"                             \
  "\n"                                                                                             \
  "Example:\n"

static const struct cli_help omp_help = {
    "Usage: {prog} [-n N] [-d D] [-T TYPE] [-i FILE] [-o FILE] [-a ALGO] [-t THREADS] [FILE]\n",
    MSORT_ABOUT,
    MSORT_AFTER "  {prog} -n 100M --threads 2 --repeat 3    # sort 100M random u64 keys\n"};

static const struct cli_help mpi_help = {
    "Usage: mpirun -np P {prog} [-n N] [-d D] [-T TYPE] [-i FILE] [-o FILE] [-a ALGO] [FILE]\n",
    MSORT_ABOUT,
    MSORT_AFTER
    "  mpirun -np 4 {prog} -n 100M --algo sample    # sort 100M random u64 keys\n"
    "(as root add --allow-run-as-root; more ranks than cores: --map-by :OVERSUBSCRIBE)\n"};

const char *msort_prog_name(unsigned prog)
{
  return prog == MPI ? "msort" : "msort-omp";
}

const char *const *msort_prog_algos(unsigned prog)
{
  return prog == MPI ? mpi_algos : omp_algos;
}

int msort_opts_answer(enum cli_status st, unsigned prog, const char *err, int speak)
{
  return cli_answer(st, msort_prog_name(prog), prog == MPI ? &mpi_help : &omp_help, msort_options,
                    prog, err, speak);
}

char *msort_options_json(const struct msort_opts *o, unsigned prog)
{
  struct json_members m;
  json_begin(&m);
  json_str(&m, "algo", msort_prog_algos(prog)[o->algo]);
  json_str(&m, "type", msort_type_names[o->type]);
  json_str(&m, "input", o->input);
  json_str(&m, "format", o->text ? "text" : "binary");
  json_str(&m, "dist", o->input ? NULL : msort_dist_names[o->dist]);
  json_u64_or_null(&m, "seed", o->input == NULL, o->seed);
  json_int(&m, "parts", o->parts);
  json_bool(&m, "verify", o->verify);
  json_str(&m, "output", o->output);
  return json_end(&m);
}

/* The checks between options, after all are read. */
static enum cli_status msort_opts_check(const struct msort_opts *o, int generated,
                                        char err[CLI_ERR_MAX])
{
  if (o->input && generated) { /* bits: 1 --count, 2 --dist, 4 --seed */
    snprintf(err, CLI_ERR_MAX, "--input conflicts with %s (they describe generated input)",
             generated & 1   ? "--count"
             : generated & 2 ? "--dist"
                             : "--seed");
    return CLI_USAGE;
  }
  if (o->text && o->type == MSORT_REC100) {
    snprintf(err, CLI_ERR_MAX, "--format text does not apply to --type rec100 (binary records)");
    return CLI_USAGE;
  }
  if (o->input && o->input[0] == '\0') {
    snprintf(err, CLI_ERR_MAX, "--input: empty file name");
    return CLI_USAGE;
  }
  if (o->output && o->output[0] == '\0') {
    snprintf(err, CLI_ERR_MAX, "--output: empty file name");
    return CLI_USAGE;
  }
  if (o->dist == MSORT_GENSORT && o->type != MSORT_REC100) {
    snprintf(err, CLI_ERR_MAX,
             "--dist gensort makes sort benchmark records: it needs --type rec100");
    return CLI_USAGE;
  }
  if (msort_simd_from_env(err, CLI_ERR_MAX) != 0) /* CONCUR_SIMD forces a kernel path */
    return CLI_USAGE;
  return CLI_OK;
}

enum cli_status msort_opts_parse(int argc, char **argv, unsigned prog, struct msort_opts *o,
                                 char err[CLI_ERR_MAX])
{
  struct cli_parser p;
  int generated = 0, c, v, bad = 0;
  memset(o, 0, sizeof *o);
  o->n = MSORT_DEFAULT_N;
  o->type = MSORT_U64;
  o->dist = MSORT_UNIFORM;
  o->seed = MSORT_DEFAULT_SEED;
  o->algo = prog == MPI ? 1 : 0; /* sample, tasks */
  o->repeat = 1;
  o->verify = 1;
  o->parts = 4;
  err[0] = '\0';
  build_provide(BUILD_SIMD, msort_simd_level);
  cli_begin(&p, msort_prog_name(prog), msort_options, prog, argc, argv);
  while (!bad && (c = cli_next(&p, err)) != -1) {
    const char *a = p.arg;
    switch (c) {
    case 'n':
      bad = cli_parse_u64("--count", a, 0, MSORT_MAX_N, &o->n, err);
      generated |= 1;
      break;
    case 'T':
      bad = cli_parse_choice("--type", a, msort_type_names, &v, err);
      o->type = (enum msort_type)v;
      break;
    case 'd':
      bad = cli_parse_choice("--dist", a, msort_dist_names, &v, err);
      o->dist = (enum msort_dist)v;
      generated |= 2;
      break;
    case 's':
      bad = cli_parse_u64("--seed", a, 0, UINT64_MAX, &o->seed, err);
      generated |= 4;
      break;
    case 'a':
      bad = cli_parse_choice("--algo", a, msort_prog_algos(prog), &o->algo, err);
      break;
    case 'i':
      o->input = a;
      break;
    case 'o':
      o->output = a;
      break;
    case 'f':
      bad = cli_parse_choice("--format", a, msort_format_names, &o->text, err);
      break;
    case 'k':
      bad = cli_parse_int("--parts", a, 1, 4096, &o->parts, err);
      break;
    case 't':
      bad = cli_parse_int("--threads", a, 1, 4096, &o->threads, err);
      break;
    case 'r':
      bad = cli_parse_int("--repeat", a, 1, 1000000, &o->repeat, err);
      break;
    case OPT_FSYNC:
      o->fsync = 1;
      break;
    case OPT_JSON:
      o->json = 1;
      break;
    case OPT_NO_VERIFY:
      o->verify = 0;
      break;
    default:
      return cli_status_of(c);
    }
  }
  if (bad)
    return CLI_USAGE;
  if (p.operand < argc) { /* FILE: the same as -i FILE, as for sudoku */
    if (o->input) {
      snprintf(err, CLI_ERR_MAX, "input given twice: --input %s and FILE %s", o->input,
               argv[p.operand]);
      return CLI_USAGE;
    }
    o->input = argv[p.operand++];
    if (cli_no_operands(&p, err) != CLI_OK)
      return CLI_USAGE;
  }
  return msort_opts_check(o, generated, err);
}
