/* randompix: the command line, shared by randompix and randompix-mpi: one
 * option table for both. */
#include "rpx.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "buildinfo.h"

const char *const rpx_mode_names[] = {"serial", "threads", "async", NULL};
const char *const rpx_names_names[] = {"random", "remote", "sha256", NULL};

enum {
  OPT_CONNECT_TIMEOUT = 256,
  OPT_RETRIES,
  OPT_RETRY_DELAY,
  OPT_MAX_SIZE,
  OPT_ANY_TYPE,
  OPT_JSON,
  OPT_FSYNC,
  OPT_CACERT,
  OPT_MANIFEST,
  OPT_FAILED,
  OPT_SKIP_EXISTING,
  OPT_NAMES,
  OPT_RESUME,
  OPT_PER_HOST,
  OPT_RATE
};

static const struct cli_option rpx_options[] = {
    CLI_HEADING("What to fetch:"),
    {"count", 'n', "N", 'n', "fetch N times from --url (default 1)", 0},
    {"url", 'u', "URL", 'u', "an endpoint that may answer each request with another image", 0},
    {"list", 'l', "FILE", 'l', "fetch each URL in FILE (one per line, '#' comments; - = stdin)", 0},
    {"out", 'P', "DIR", 'P', "where files go, created if missing (default .)", 0},
    CLI_HEADING("How:"),
    {"mode", 'm', "MODE", 'm', "serial | threads | async (default async)", 0, rpx_mode_names},
    {"jobs", 'j', "N", 'j', "async: transfers in flight; threads: team size (default 10)", 0},
    {"threads", 't', "N", 't', "threads mode: team size (overrides --jobs)", 0},
    CLI_HEADING("Robustness:"),
    {"timeout", 'w', "S", 'w', "give up an attempt after S seconds (default 60, 0 = never)", 0},
    {"connect-timeout", 0, "S", OPT_CONNECT_TIMEOUT, "connection set-up limit (default 10)", 0},
    {"retries", 0, "N", OPT_RETRIES,
     "extra attempts on 5xx, 408, 429, timeouts and resets;\nnever on other 4xx (default 3)", 0},
    {"retry-delay", 0, "S", OPT_RETRY_DELAY,
     "first backoff, doubled each retry, with jitter; a 429/503\n"
     "Retry-After (up to 60 s) wins (default 0.5)",
     0},
    {"max-size", 0, "BYTES", OPT_MAX_SIZE,
     "abort bodies larger than this, e.g. 20Mi; 0 = no limit\n"
     "(default 100Mi with --url, none with --list)",
     0},
    {"per-host", 0, "N", OPT_PER_HOST, "at most N transfers at once to one host (default no cap)",
     0},
    {"rate", 0, "BYTES", OPT_RATE, "receive at most BYTES per second in all, e.g. 5Mi", 0},
    {"names", 0, "HOW", OPT_NAMES,
     "random (8 hex digits) | remote (URL path or\nContent-Disposition, made safe) | sha256 "
     "(by content)\n(default random)",
     0, rpx_names_names},
    {"resume", 0, NULL, OPT_RESUME,
     "continue NAME.part files with Range requests (needs\n--names remote); a 206 must match", 0},
    {"any-type", 0, NULL, OPT_ANY_TYPE,
     "save non-image Content-Types too (as .html .txt .json .bin)", 0},
    {"fsync", 0, NULL, OPT_FSYNC, "flush each file to disk before its rename (power-loss safe)", 0},
    {"cacert", 0, "FILE", OPT_CACERT, "trust the CA certificates in FILE (TLS is always verified)",
     0},
    CLI_HEADING("Output:"),
    {"manifest", 0, "FILE", OPT_MANIFEST,
     "one JSON line per requested item: URL, final URL, status,\n"
     "path, bytes, SHA-256, attempts, seconds, error",
     0},
    {"failed", 0, "FILE", OPT_FAILED,
     "the URLs not saved, as a list: --list FILE fetches them again", 0},
    {"skip-existing", 0, NULL, OPT_SKIP_EXISTING,
     "skip what the --manifest FILE of an earlier run saved\n(file still there, same size), or "
     "with --names remote\nwhat is in the folder under its name",
     0},
    {"quiet", 'q', NULL, 'q', "no progress bar and no retry notes", 0},
    {"json", 0, NULL, OPT_JSON,
     "one JSON result object, as the last line of stderr (the\nsaved paths stay on stdout)", 0},
    {"seed", 's', "N", 's', "reproducible names and jitter", 0},
    CLI_HELP_OPTIONS,
    {0}};

#define RPX_USAGE                                                                                  \
  "Usage: {prog} -n COUNT --url URL [options]\n"                                                   \
  "       {prog} --list FILE [options]\n"
#define RPX_ABOUT                                                                                  \
  "Download images over HTTP(S) with libcurl into --out DIR, each under a new\n"                   \
  "random name (8 hex digits + extension from the Content-Type; see --names).\n"                   \
  "Saved paths are printed on stdout as they complete, a summary on stderr.\n"
#define RPX_AFTER                                                                                  \
  "Exit status: 0 all saved (or skipped), 1 some failed, 2 bad usage (also a\n"                    \
  "URL that can never be fetched: not http or https, malformed, no host; a list\n"                 \
  "line with a NUL byte or over 1 MiB), 130/143 interrupted by SIGINT/SIGTERM.\n"                  \
  "Example:\n"

static const struct cli_help rpx_help = {
    RPX_USAGE, RPX_ABOUT,
    RPX_AFTER "  {prog} -n 100 --url https://example.org/random/ --out pics --jobs 10\n"};
static const struct cli_help rpx_mpi_help = {
    RPX_USAGE,
    RPX_ABOUT "MPI: ranks split the count or the list; each runs the chosen engine;\n"
              "rank 0 prints the merged summary.\n",
    RPX_AFTER
    "  mpirun -np 4 {prog} -n 100 --url https://example.org/random/ --out pics --jobs 10\n"};

int rpx_opts_answer(const char *prog, int mpi, enum cli_status st, const char *err, int speak)
{
  return cli_answer(st, prog, mpi ? &rpx_mpi_help : &rpx_help, rpx_options, 1, err, speak);
}

/* libcurl as it runs (the shared library, not the headers built with), and
 * its TLS library. */
static const char *rpx_curl_version(void)
{
  static char v[128];
  const curl_version_info_data *d = curl_version_info(CURLVERSION_NOW);
  if (v[0] == '\0' && d != NULL)
    snprintf(v, sizeof v, "%s%s%s%s", d->version ? d->version : "?", d->ssl_version ? " (" : "",
             d->ssl_version ? d->ssl_version : "", d->ssl_version ? ")" : "");
  return v;
}

enum cli_status rpx_parse_opts(int argc, char **argv, const char *prog, struct rpx_opts *o,
                               char err[CLI_ERR_MAX])
{
  struct cli_parser p;
  build_provide(BUILD_CURL, rpx_curl_version);
  memset(o, 0, sizeof *o);
  o->mode = RPX_ASYNC;
  o->out = ".";
  o->jobs = 10;
  o->timeout = 60;
  o->connect_timeout = 10;
  o->retries = 3;
  o->retry_delay = 0.5;
  int have_count = 0, have_max = 0, c, mode = RPX_ASYNC, names = RPX_NAMES_RANDOM, rc = 0;
  uint64_t u = 0;
  err[0] = '\0';
  cli_begin(&p, prog, rpx_options, 1, argc, argv);
  while (rc == 0 && (c = cli_next(&p, err)) != -1) {
    const char *val = p.arg;
    switch (c) {
    case 'n':
      rc = cli_parse_u64("--count", val, 1, UINT64_C(1) << 40, &o->count, err);
      have_count = 1;
      break;
    case 'u':
      o->url = val;
      break;
    case 'l':
      o->list = val;
      break;
    case 'P':
      o->out = val;
      if (*val == '\0') {
        snprintf(err, CLI_ERR_MAX, "--out: empty folder name");
        rc = -1;
      }
      break;
    case 'm':
      rc = cli_parse_choice("--mode", val, rpx_mode_names, &mode, err);
      o->mode = (enum rpx_mode)mode;
      break;
    case 'j':
      rc = cli_parse_int("--jobs", val, 1, 1000, &o->jobs, err);
      break;
    case 't':
      rc = cli_parse_int("--threads", val, 1, 1000, &o->threads, err);
      break;
    case 'q':
      o->quiet = 1;
      break;
    case 'w':
      rc = cli_parse_double("--timeout", val, 0, 86400, &o->timeout, err);
      break;
    case OPT_CONNECT_TIMEOUT:
      rc = cli_parse_double("--connect-timeout", val, 0, 3600, &o->connect_timeout, err);
      break;
    case OPT_RETRIES:
      rc = cli_parse_int("--retries", val, 0, 100, &o->retries, err);
      break;
    case OPT_RETRY_DELAY:
      rc = cli_parse_double("--retry-delay", val, 0, 3600, &o->retry_delay, err);
      break;
    case OPT_MAX_SIZE:
      rc = cli_parse_u64("--max-size", val, 0, UINT64_C(1) << 50, &o->max_size, err);
      have_max = 1;
      break;
    case OPT_ANY_TYPE:
      o->any_type = 1;
      break;
    case 's':
      rc = cli_parse_u64("--seed", val, 0, UINT64_MAX, &u, err);
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
      o->cacert = val;
      break;
    case OPT_MANIFEST:
      o->manifest = val;
      break;
    case OPT_FAILED:
      o->failed = val;
      break;
    case OPT_SKIP_EXISTING:
      o->skip_existing = 1;
      break;
    case OPT_PER_HOST:
      rc = cli_parse_int("--per-host", val, 1, 1000, &o->per_host, err);
      break;
    case OPT_RATE:
      rc = cli_parse_u64("--rate", val, 1, UINT64_C(1) << 50, &o->rate, err);
      break;
    case OPT_RESUME:
      o->resume = 1;
      break;
    case OPT_NAMES:
      rc = cli_parse_choice("--names", val, rpx_names_names, &names, err);
      o->names = (enum rpx_names)names;
      break;
    default:
      return cli_status_of(c);
    }
  }
  if (rc != 0 || cli_no_operands(&p, err) != CLI_OK)
    return CLI_USAGE;
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
  if (o->skip_existing && o->manifest == NULL && o->names != RPX_NAMES_REMOTE) {
    snprintf(err, CLI_ERR_MAX,
             "--skip-existing needs --manifest FILE (what was saved before) or --names remote");
    return CLI_USAGE;
  }
  if (o->resume && o->names != RPX_NAMES_REMOTE) {
    snprintf(err, CLI_ERR_MAX, "--resume needs --names remote (the .part is found by its name)");
    return CLI_USAGE;
  }
  if (o->url != NULL && !have_count)
    o->count = 1;
  if (o->url != NULL && !have_max) /* an endpoint of random images: never a disk full */
    o->max_size = RPX_URL_MAX_SIZE;
  return CLI_OK;
}
