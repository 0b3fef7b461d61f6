#include "msort_opts.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

enum { OPT_THREADS = 256, OPT_JSON, OPT_NO_VERIFY, OPT_FSYNC };

static void print_help(const struct msort_prog *p)
{
  int mpi = strcmp(p->name, "msort") == 0;
  printf("Usage: %s\n"
         "Stable merge sort of generated data or of a file, verified after the run.\n"
         "\n"
         "Input (default: -n 10M --dist uniform --type u64):\n"
         "  -n, --count N        generate N elements (suffixes k M G Ki Mi Gi; 0 is fine)\n"
         "  -d, --dist D         uniform|sorted|reverse|nearly|few|equal (default uniform)\n"
         "  -s, --seed S         generator seed (default 1); element i depends on (S, i) only\n"
         "  -i, --input FILE     read FILE instead (binary elements, or text with -f text)\n"
         "  -t, --type T         u32|i32|u64|i64|f32|f64|rec100 (default u64); floats sort\n"
         "                       in IEEE total order with NaNs last; rec100 = 100-byte\n"
         "                       records with a 10-byte key\n"
         "  -f, --format F       binary|text for --input and --output (text: one number a line)\n"
         "Output and run:\n"
         "  -o, --output FILE    write the sorted data (appears atomically, only if verified)\n"
         "      --fsync          with -o: force FILE to disk before its rename (survives a\n"
         "                       power cut; costs a few ms)\n"
         "  -a, --algo A         algorithm (default %s):\n"
         "%s"
         "%s"
         "      --threads N      OpenMP threads%s\n"
         "  -r, --repeat N       time N runs, report median and minimum (default 1)\n"
         "      --json           one JSON object on stdout\n"
         "      --no-verify      skip the (untimed) verification\n"
         "  -h, --help           this help;  -V, --version  version\n"
         "\n"
         "Verification (on by default, never timed): sorted, same multiset as the input\n"
         "(order-independent checksum), stable for generated rec100. Exit status: 0 verified,\n"
         "1 failure, 2 bad usage, 3 bad input data (no output is written).\n"
         "\n"
         "Example:\n  %s\n",
         p->synopsis, p->algos[p->default_algo], p->algo_help,
         mpi ? "" : "  -k, --parts K        refk: number of parts (default 4)\n",
         mpi ? " per rank (default: OMP_NUM_THREADS, else the node's\n"
               "                       cores shared among its ranks)"
             : " (default: OMP_NUM_THREADS, else all cores)",
         p->example);
}

enum cli_status msort_opts_parse(int argc, char **argv, const struct msort_prog *p, int speak,
                                 struct msort_opts *o, char err[CLI_ERR_MAX])
{
  static const struct option longopts[] = {{"count", required_argument, NULL, 'n'},
                                           {"type", required_argument, NULL, 't'},
                                           {"dist", required_argument, NULL, 'd'},
                                           {"seed", required_argument, NULL, 's'},
                                           {"algo", required_argument, NULL, 'a'},
                                           {"input", required_argument, NULL, 'i'},
                                           {"output", required_argument, NULL, 'o'},
                                           {"format", required_argument, NULL, 'f'},
                                           {"parts", required_argument, NULL, 'k'},
                                           {"threads", required_argument, NULL, OPT_THREADS},
                                           {"repeat", required_argument, NULL, 'r'},
                                           {"json", no_argument, NULL, OPT_JSON},
                                           {"fsync", no_argument, NULL, OPT_FSYNC},
                                           {"no-verify", no_argument, NULL, OPT_NO_VERIFY},
                                           {"help", no_argument, NULL, 'h'},
                                           {"version", no_argument, NULL, 'V'},
                                           {NULL, 0, NULL, 0}};
  static const char *const formats[] = {"binary", "text", NULL};
  int n_set = 0, dist_set = 0, seed_set = 0, c, v;
  memset(o, 0, sizeof *o);
  o->n = MSORT_DEFAULT_N;
  o->type = MSORT_U64;
  o->dist = MSORT_UNIFORM;
  o->seed = MSORT_DEFAULT_SEED;
  o->algo = p->default_algo;
  o->repeat = 1;
  o->verify = 1;
  o->parts = 4;
  err[0] = '\0';
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, ":n:t:d:s:a:i:o:f:k:r:hV", longopts, NULL)) != -1) {
    int bad = 0;
    switch (c) {
    case 'n':
      bad = cli_parse_u64("--count", optarg, 0, MSORT_MAX_N, &o->n, err);
      n_set = 1;
      break;
    case 't':
      bad = cli_parse_choice("--type", optarg, msort_type_names, &v, err);
      o->type = (enum msort_type)v;
      break;
    case 'd':
      bad = cli_parse_choice("--dist", optarg, msort_dist_names, &v, err);
      o->dist = (enum msort_dist)v;
      dist_set = 1;
      break;
    case 's':
      bad = cli_parse_u64("--seed", optarg, 0, UINT64_MAX, &o->seed, err);
      seed_set = 1;
      break;
    case 'a':
      bad = cli_parse_choice("--algo", optarg, p->algos, &o->algo, err);
      break;
    case 'i':
      o->input = optarg;
      break;
    case 'o':
      o->output = optarg;
      break;
    case 'f':
      bad = cli_parse_choice("--format", optarg, formats, &o->text, err);
      break;
    case 'k':
      bad = cli_parse_int("--parts", optarg, 1, 4096, &o->parts, err);
      break;
    case OPT_THREADS:
      bad = cli_parse_int("--threads", optarg, 1, 4096, &o->threads, err);
      break;
    case 'r':
      bad = cli_parse_int("--repeat", optarg, 1, 1000000, &o->repeat, err);
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
    case 'h':
      if (speak)
        print_help(p);
      return CLI_EXIT_OK;
    case 'V':
      if (speak)
        cli_print_version(p->name);
      return CLI_EXIT_OK;
    default:
      cli_unknown_option(argv[optind - 1], optopt, err);
      return CLI_USAGE;
    }
    if (bad)
      return CLI_USAGE;
  }
  if (optind < argc) {
    snprintf(err, CLI_ERR_MAX, "unexpected argument '%s'", argv[optind]);
    return CLI_USAGE;
  }
  if (o->input && (n_set || dist_set || seed_set)) {
    snprintf(err, CLI_ERR_MAX, "--input conflicts with %s (they describe generated input)",
             n_set      ? "--count"
             : dist_set ? "--dist"
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
  return CLI_OK;
}
