/* What the call-with-timeout costs: a lookup of "localhost" done directly
 * (getaddrinfo in this process) and through ctimeout_call (fork, pipe, wait,
 * reap), interleaved, medians of --repeat rounds of --calls calls each; and
 * the overrun of a call killed at its deadline (time past the limit until the
 * child is reaped).
 *
 *   build/bin/bench_ctimeout [--calls N] [--repeat R] [--limit SECONDS]
 */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli.h"
#include "ctimeout.h"
#include "stats.h"
#include "timer.h"

static int bench_lookup(void *arg, char *out, size_t cap, size_t *len)
{
  struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM}, *ai = NULL;
  int rc = getaddrinfo(arg, NULL, &hints, &ai);
  if (rc == 0)
    freeaddrinfo(ai);
  *len = (size_t)snprintf(out, cap, "%d", rc);
  return rc;
}

static int bench_sleep(void *arg, char *out, size_t cap, size_t *len)
{
  (void)arg, (void)out, (void)cap, (void)len;
  sleep(60);
  return 0;
}

static const struct cli_option bench_options[] = {
    {"calls", 0, "N", 'c', "calls per round (default 200)", 0},
    {"repeat", 'r', "N", 'r', "rounds (default 5)", 0},
    {"limit", 0, "SECONDS", 'l', "the timeout of each child call (default 0.2)", 0},
    CLI_HELP_OPTIONS,
    CLI_END};

static const struct cli_help bench_help = {
    "Usage: {prog} [--calls N] [--repeat N] [--limit SECONDS]\n",
    "What a call-with-timeout costs: a lookup called directly, in a child, and a\n"
    "child that overruns its limit (medians of the rounds).\n",
    NULL};

int main(int argc, char **argv)
{
  int calls = 200, repeat = 5, c, rc = 0;
  double limit = 0.2;
  char err[CLI_ERR_MAX] = "", out[64];
  struct cli_parser p;
  enum cli_status st = CLI_OK;
  cli_begin(&p, "bench_ctimeout", bench_options, 1, argc, argv);
  while (st == CLI_OK && (c = cli_next(&p, err)) != -1) {
    rc = c == 'c'   ? cli_parse_int("--calls", p.arg, 1, 100000, &calls, err)
         : c == 'r' ? cli_parse_int("--repeat", p.arg, 1, 1000, &repeat, err)
         : c == 'l' ? cli_parse_double("--limit", p.arg, 0.001, 10, &limit, err)
                    : -1;
    st = c == CLI_CODE_HELP ? CLI_HELP : c == CLI_CODE_VERSION ? CLI_VERSION : rc ? CLI_USAGE : st;
  }
  if (st == CLI_OK)
    st = cli_no_operands(&p, err);
  if (st != CLI_OK)
    return cli_answer(st, "bench_ctimeout", &bench_help, bench_options, 1, err, 1);
  double *direct = calloc((size_t)repeat, sizeof *direct);
  double *child = calloc((size_t)repeat, sizeof *child);
  double *overrun = calloc((size_t)repeat, sizeof *overrun);
  if (direct == NULL || child == NULL || overrun == NULL)
    return 1;
  for (int r = 0; r < repeat; r++) {
    size_t len;
    double t = timer_now();
    for (int i = 0; i < calls; i++)
      bench_lookup("localhost", out, sizeof out, &len);
    direct[r] = (timer_now() - t) / calls;
    struct ctimeout_result res;
    t = timer_now();
    for (int i = 0; i < calls; i++)
      if (ctimeout_call(bench_lookup, "localhost", 5.0, out, sizeof out, &res) != CTIMEOUT_DONE)
        return 1;
    child[r] = (timer_now() - t) / calls;
    if (ctimeout_call(bench_sleep, NULL, limit, out, sizeof out, &res) != CTIMEOUT_TIMED_OUT)
      return 1;
    overrun[r] = res.seconds - limit;
  }
  printf("localhost lookup, median of %d rounds x %d calls: direct %.1f us, in a child "
         "%.1f us (%.0fx)\n",
         repeat, calls, 1e6 * stats_median(direct, (size_t)repeat),
         1e6 * stats_median(child, (size_t)repeat),
         stats_median(child, (size_t)repeat) / stats_median(direct, (size_t)repeat));
  printf("sleeping call killed at %.3f s: overrun median %.2f ms, max %.2f ms (%d runs)\n", limit,
         1e3 * stats_median(overrun, (size_t)repeat), 1e3 * stats_max(overrun, (size_t)repeat),
         repeat);
  free(direct);
  free(child);
  free(overrun);
  return 0;
}
