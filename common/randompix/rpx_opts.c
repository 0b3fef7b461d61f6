/* randompix: the command line, shared by randompix and randompix-mpi. */
#include "rpx.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

const char *const rpx_mode_names[] = {"serial", "threads", "async", NULL};

void rpx_print_help(const char *prog, int mpi, FILE *fp)
{
  fprintf(
      fp,
      "Usage: %s -n COUNT --url URL [options]\n"
      "       %s --list FILE [options]\n"
      "Download images over HTTP(S) with libcurl into --out DIR, each under a new\n"
      "random name (8 hex digits + extension from the Content-Type). Saved paths\n"
      "are printed on stdout as they complete, a summary on stderr.\n"
      "%s"
      "\n"
      "What to fetch:\n"
      "  -n, --count N          fetch N times from --url (default 1)\n"
      "  -u, --url URL          an endpoint that may answer each request with another image\n"
      "  -l, --list FILE        fetch each URL in FILE (one per line, '#' comments)\n"
      "  -o, --out DIR          where files go, created if missing (default .)\n"
      "How:\n"
      "  -m, --mode MODE        serial | threads | async (default async)\n"
      "  -j, --jobs N           async: transfers in flight; threads: team size (default 10)\n"
      "  -t, --threads N        threads mode: team size (overrides --jobs)\n"
      "Robustness:\n"
      "      --timeout S        give up an attempt after S seconds (default 60, 0 = never)\n"
      "      --connect-timeout S  connection set-up limit (default 10)\n"
      "      --retries N        extra attempts on 5xx, 408, 429, timeouts and resets;\n"
      "                         never on other 4xx (default 3)\n"
      "      --retry-delay S    first backoff, doubled each retry, with jitter; a 429/503\n"
      "                         Retry-After (up to 60 s) wins (default 0.5)\n"
      "      --max-size BYTES   abort bodies larger than this, e.g. 20Mi (default 0 = no limit)\n"
      "      --any-type         save non-image Content-Types too (as .html .txt .json .bin)\n"
      "      --fsync            flush each file to disk before its rename (power-loss safe)\n"
      "      --cacert FILE      trust the CA certificates in FILE (TLS is always verified)\n"
      "Output:\n"
      "  -q, --quiet            no progress bar and no retry notes\n"
      "      --json             one JSON result object on stdout (instead of the paths)\n"
      "      --seed N           reproducible names and jitter\n"
      "  -h, --help             this help;  -V, --version  the version\n"
      "\n"
      "Exit status: 0 all saved, 1 some failed or interrupted, 2 bad usage.\n"
      "Example:\n"
      "  %s%s -n 100 --url https://example.org/random/ --out pics --jobs 10\n",
      prog, prog,
      mpi ? "MPI: ranks split the count or the list; each runs the chosen engine;\n"
            "rank 0 prints the merged summary.\n"
          : "",
      mpi ? "mpirun -np 4 " : "", prog);
}

enum cli_status rpx_parse_opts(int argc, char **argv, struct rpx_opts *o, char err[CLI_ERR_MAX])
{
  enum {
    OPT_TIMEOUT = 256,
    OPT_CONNECT_TIMEOUT,
    OPT_RETRIES,
    OPT_RETRY_DELAY,
    OPT_MAX_SIZE,
    OPT_ANY_TYPE,
    OPT_SEED,
    OPT_JSON,
    OPT_FSYNC,
    OPT_CACERT
  };
  static const struct option longopts[] = {
      {"count", required_argument, NULL, 'n'},
      {"url", required_argument, NULL, 'u'},
      {"list", required_argument, NULL, 'l'},
      {"out", required_argument, NULL, 'o'},
      {"mode", required_argument, NULL, 'm'},
      {"jobs", required_argument, NULL, 'j'},
      {"threads", required_argument, NULL, 't'},
      {"quiet", no_argument, NULL, 'q'},
      {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, 'V'},
      {"timeout", required_argument, NULL, OPT_TIMEOUT},
      {"connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT},
      {"retries", required_argument, NULL, OPT_RETRIES},
      {"retry-delay", required_argument, NULL, OPT_RETRY_DELAY},
      {"max-size", required_argument, NULL, OPT_MAX_SIZE},
      {"any-type", no_argument, NULL, OPT_ANY_TYPE},
      {"seed", required_argument, NULL, OPT_SEED},
      {"json", no_argument, NULL, OPT_JSON},
      {"fsync", no_argument, NULL, OPT_FSYNC},
      {"cacert", required_argument, NULL, OPT_CACERT},
      {NULL, 0, NULL, 0},
  };
  memset(o, 0, sizeof *o);
  o->mode = RPX_ASYNC;
  o->out = ".";
  o->jobs = 10;
  o->timeout = 60;
  o->connect_timeout = 10;
  o->retries = 3;
  o->retry_delay = 0.5;
  int have_count = 0, c, mode = RPX_ASYNC, rc = 0;
  uint64_t u = 0;
  opterr = 0;
  optind = 1;
  while (rc == 0 && (c = getopt_long(argc, argv, ":n:u:l:o:m:j:t:qhV", longopts, NULL)) != -1) {
    switch (c) {
    case 'n':
      rc = cli_parse_u64("--count", optarg, 1, UINT64_C(1) << 40, &o->count, err);
      have_count = 1;
      break;
    case 'u':
      o->url = optarg;
      break;
    case 'l':
      o->list = optarg;
      break;
    case 'o':
      o->out = optarg;
      if (*optarg == '\0') {
        snprintf(err, CLI_ERR_MAX, "--out: empty folder name");
        rc = -1;
      }
      break;
    case 'm':
      rc = cli_parse_choice("--mode", optarg, rpx_mode_names, &mode, err);
      o->mode = (enum rpx_mode)mode;
      break;
    case 'j':
      rc = cli_parse_int("--jobs", optarg, 1, 1000, &o->jobs, err);
      break;
    case 't':
      rc = cli_parse_int("--threads", optarg, 1, 1000, &o->threads, err);
      break;
    case 'q':
      o->quiet = 1;
      break;
    case 'h':
      o->show = 1;
      return CLI_EXIT_OK;
    case 'V':
      o->show = 2;
      return CLI_EXIT_OK;
    case OPT_TIMEOUT:
      rc = cli_parse_double("--timeout", optarg, 0, 86400, &o->timeout, err);
      break;
    case OPT_CONNECT_TIMEOUT:
      rc = cli_parse_double("--connect-timeout", optarg, 0, 3600, &o->connect_timeout, err);
      break;
    case OPT_RETRIES:
      rc = cli_parse_int("--retries", optarg, 0, 100, &o->retries, err);
      break;
    case OPT_RETRY_DELAY:
      rc = cli_parse_double("--retry-delay", optarg, 0, 3600, &o->retry_delay, err);
      break;
    case OPT_MAX_SIZE:
      rc = cli_parse_u64("--max-size", optarg, 0, UINT64_C(1) << 50, &o->max_size, err);
      break;
    case OPT_ANY_TYPE:
      o->any_type = 1;
      break;
    case OPT_SEED:
      rc = cli_parse_u64("--seed", optarg, 0, UINT64_MAX, &u, err);
      o->seed = u;
      o->have_seed = 1;
      break;
    case OPT_JSON:
      o->json = 1;
      break;
    case OPT_FSYNC:
      o->fsync = 1;
      break;
    case OPT_CACERT:
      o->cacert = optarg;
      break;
    default: /* '?' unknown option, ':' missing value */
      cli_unknown_option(argv[optind - 1], optopt, err);
      rc = -1;
      break;
    }
  }
  if (rc != 0)
    return CLI_USAGE;
  if (optind < argc) {
    snprintf(err, CLI_ERR_MAX, "unexpected argument '%s'", argv[optind]);
    return CLI_USAGE;
  }
  if (o->url != NULL && o->list != NULL) {
    snprintf(err, CLI_ERR_MAX, "--url and --list exclude each other");
    return CLI_USAGE;
  }
  if (o->url == NULL && o->list == NULL) {
    snprintf(err, CLI_ERR_MAX, "say what to fetch: -n COUNT --url URL, or --list FILE");
    return CLI_USAGE;
  }
  if (o->list != NULL && have_count) {
    snprintf(err, CLI_ERR_MAX, "--count goes with --url, not with --list");
    return CLI_USAGE;
  }
  if (o->url != NULL && *o->url == '\0') {
    snprintf(err, CLI_ERR_MAX, "--url: empty URL");
    return CLI_USAGE;
  }
  if (o->url != NULL && !have_count)
    o->count = 1;
  return CLI_OK;
}
