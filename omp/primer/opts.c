/* Option parsing shared by the subcommands: one table, and each subcommand
 * says which options apply to it (the others are usage errors). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "primer.h"

enum {
  OPT_THREADS = 256,
  OPT_SEED,
  OPT_PERIOD,
  OPT_AFTER,
  OPT_TIMEOUT,
  OPT_SLEEP_US,
  OPT_LOCK,
  OPT_ATOMIC,
  OPT_CRITICAL,
  OPT_ORDERED,
  OPT_PROCS,
  OPT_MPI
};

static const struct option primer_longopts[] = {{"threads", required_argument, NULL, OPT_THREADS},
                                                {"seed", required_argument, NULL, OPT_SEED},
                                                {"period", required_argument, NULL, OPT_PERIOD},
                                                {"after", required_argument, NULL, OPT_AFTER},
                                                {"timeout", required_argument, NULL, OPT_TIMEOUT},
                                                {"sleep-us", required_argument, NULL, OPT_SLEEP_US},
                                                {"lock", no_argument, NULL, OPT_LOCK},
                                                {"atomic", no_argument, NULL, OPT_ATOMIC},
                                                {"critical", no_argument, NULL, OPT_CRITICAL},
                                                {"ordered", no_argument, NULL, OPT_ORDERED},
                                                {"procs", no_argument, NULL, OPT_PROCS},
                                                {"mpi", no_argument, NULL, OPT_MPI},
                                                {"help", no_argument, NULL, 'h'},
                                                {NULL, 0, NULL, 0}};

/* Which PRIMER_OPT_* bit an option code belongs to. */
static unsigned primer_opt_bit(int c)
{
  switch (c) {
  case OPT_THREADS:
    return PRIMER_OPT_THREADS;
  case 'n':
    return PRIMER_OPT_N;
  case OPT_SEED:
    return PRIMER_OPT_SEED;
  case OPT_PERIOD:
    return PRIMER_OPT_PERIOD;
  case OPT_AFTER:
    return PRIMER_OPT_AFTER;
  case OPT_TIMEOUT:
    return PRIMER_OPT_TIMEOUT;
  case OPT_SLEEP_US:
    return PRIMER_OPT_SLEEP_US;
  case OPT_LOCK:
  case OPT_ATOMIC:
  case OPT_CRITICAL:
    return PRIMER_OPT_GUARD;
  case OPT_ORDERED:
    return PRIMER_OPT_ORDERED;
  case OPT_PROCS:
    return PRIMER_OPT_PROCS;
  case OPT_MPI:
    return PRIMER_OPT_MPI;
  }
  return 0;
}

static int primer_usage_error(const struct primer_cmd *cmd, const char *err)
{
  fprintf(stderr, "primer %s: %s\nTry 'primer %s --help'.\n", cmd->name, err, cmd->name);
  return 2;
}

static int primer_set_guard(struct primer_opts *o, enum primer_guard g)
{
  if (o->guard != PRIMER_GUARD_NONE && o->guard != g)
    return -1;
  o->guard = g;
  return 0;
}

int primer_parse(const struct primer_cmd *cmd, int argc, char **argv, struct primer_opts *o)
{
  char err[CLI_ERR_MAX];
  int c, rc = 0;
  memset(o, 0, sizeof *o);
  o->seed = 1;
  o->after = -1; /* 0 is a valid value for these two: -1 means "not given" */
  o->sleep_us = -1;
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "+n:h", primer_longopts, NULL)) != -1) {
    if (c == 'h') {
      printf("Usage: primer %s%s", cmd->name, cmd->usage);
      return 1;
    }
    unsigned bit = primer_opt_bit(c);
    if (bit == 0) {
      cli_unknown_option(argv[optind - 1], optopt, err);
      return primer_usage_error(cmd, err);
    }
    if (!(cmd->allowed & bit)) {
      snprintf(err, sizeof err, "%s does not apply to this demo", argv[optind - 1]);
      return primer_usage_error(cmd, err);
    }
    switch (c) {
    case OPT_THREADS:
      rc = cli_parse_int("--threads", optarg, 1, 64, &o->threads, err);
      break;
    case 'n':
      rc = cli_parse_i64("-n", optarg, 1, 1000000, &o->n, err);
      break;
    case OPT_SEED:
      rc = cli_parse_u64("--seed", optarg, 0, UINT64_MAX, &o->seed, err);
      break;
    case OPT_PERIOD:
      rc = cli_parse_double("--period", optarg, 0.001, 10, &o->period, err);
      break;
    case OPT_AFTER:
      rc = cli_parse_double("--after", optarg, 0, 60, &o->after, err);
      break;
    case OPT_TIMEOUT:
      rc = cli_parse_double("--timeout", optarg, 0.01, 60, &o->timeout, err);
      break;
    case OPT_SLEEP_US:
      rc = cli_parse_i64("--sleep-us", optarg, 0, 1000000, &o->sleep_us, err);
      break;
    case OPT_LOCK:
    case OPT_ATOMIC:
    case OPT_CRITICAL:
      if (primer_set_guard(o, c == OPT_LOCK     ? PRIMER_GUARD_LOCK
                              : c == OPT_ATOMIC ? PRIMER_GUARD_ATOMIC
                                                : PRIMER_GUARD_CRITICAL) != 0) {
        snprintf(err, sizeof err, "choose one of --lock, --atomic, --critical");
        rc = -1;
      }
      break;
    case OPT_ORDERED:
      o->ordered = 1;
      break;
    case OPT_PROCS:
      o->procs = 1;
      break;
    case OPT_MPI:
      o->mpi = 1;
      break;
    }
    if (rc != 0)
      return primer_usage_error(cmd, err);
  }
  if (optind < argc) {
    snprintf(err, sizeof err, "unexpected argument '%s'", argv[optind]);
    return primer_usage_error(cmd, err);
  }
  if (o->procs && o->mpi)
    return primer_usage_error(cmd, "--procs and --mpi exclude each other");
  return 0;
}
