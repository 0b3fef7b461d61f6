/* Option parsing shared by the subcommands: one table, and each subcommand
 * says which options apply to it (the others are usage errors). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "primer.h"

enum { OPT_PERIOD = 256, OPT_AFTER, OPT_SLEEP_US, OPT_LOCK, OPT_ATOMIC, OPT_CRITICAL };
enum { OPT_ORDERED = 300, OPT_PROCS, OPT_MPI };

/* Every demo's options; a demo takes those whose bit is in its `allowed`. */
const struct cli_option primer_options[] = {
    {"threads", 't', "N", 't', "workers", PRIMER_OPT_THREADS},
    {"count", 'n', "N", 'n', "increments, lines or jobs", PRIMER_OPT_N},
    {"seed", 's', "N", 's', "the seed of the random sleeps", PRIMER_OPT_SEED},
    {"period", 0, "SECONDS", OPT_PERIOD, "the worker's period", PRIMER_OPT_PERIOD},
    {"after", 0, "SECONDS", OPT_AFTER, "when main acts (sets the flag, fires the event)",
     PRIMER_OPT_AFTER},
    {"timeout", 'w', "SECONDS", 'w', "how long a timed wait lasts", PRIMER_OPT_TIMEOUT},
    {"sleep-us", 0, "US", OPT_SLEEP_US, "the sleep between read and write", PRIMER_OPT_SLEEP_US},
    {"lock", 0, NULL, OPT_LOCK, "guard with an OpenMP lock", PRIMER_OPT_GUARD},
    {"atomic", 0, NULL, OPT_ATOMIC, "guard with omp atomic", PRIMER_OPT_GUARD},
    {"critical", 0, NULL, OPT_CRITICAL, "guard with omp critical", PRIMER_OPT_GUARD},
    {"ordered", 0, NULL, OPT_ORDERED, "take the locks in one order", PRIMER_OPT_ORDERED},
    {"procs", 0, NULL, OPT_PROCS, "processes instead of threads", PRIMER_OPT_PROCS},
    {"mpi", 0, NULL, OPT_MPI, "MPI ranks instead of threads (under mpirun)", PRIMER_OPT_MPI},
    {"help", 'h', NULL, CLI_CODE_HELP, "this help", 0},
    CLI_END};

int primer_answer(const struct primer_cmd *cmd, enum cli_status st, const char *err)
{
  char prog[64];
  snprintf(prog, sizeof prog, "primer %s", cmd->name);
  struct cli_help help = {"Usage: {prog}", cmd->usage, NULL};
  return cli_answer(st, prog, &help, primer_options, cmd->allowed, err, 1);
}

static int primer_set_guard(struct primer_opts *o, enum primer_guard g)
{
  if (o->guard != PRIMER_GUARD_NONE && o->guard != g)
    return -1;
  o->guard = g;
  return 0;
}

enum cli_status primer_parse(const struct primer_cmd *cmd, int argc, char **argv,
                             struct primer_opts *o, char err[CLI_ERR_MAX])
{
  char prog[64];
  struct cli_parser p;
  int c, rc = 0;
  memset(o, 0, sizeof *o);
  o->seed = 1;
  o->after = -1; /* 0 is a valid value for these two: -1 means "not given" */
  o->sleep_us = -1;
  err[0] = '\0';
  snprintf(prog, sizeof prog, "primer %s", cmd->name);
  cli_begin(&p, prog, primer_options, cmd->allowed, argc, argv);
  while (rc == 0 && (c = cli_next(&p, err)) != -1) {
    const char *a = p.arg;
    switch (c) {
    case 't':
      rc = cli_parse_int("--threads", a, 1, 64, &o->threads, err);
      break;
    case 'n':
      rc = cli_parse_i64("-n", a, 1, 1000000, &o->n, err);
      break;
    case 's':
      rc = cli_parse_u64("--seed", a, 0, UINT64_MAX, &o->seed, err);
      break;
    case OPT_PERIOD:
      rc = cli_parse_double("--period", a, 0.001, 10, &o->period, err);
      break;
    case OPT_AFTER:
      rc = cli_parse_double("--after", a, 0, 60, &o->after, err);
      break;
    case 'w':
      rc = cli_parse_double("--timeout", a, 0.01, 60, &o->timeout, err);
      break;
    case OPT_SLEEP_US:
      rc = cli_parse_i64("--sleep-us", a, 0, 1000000, &o->sleep_us, err);
      break;
    case OPT_LOCK:
    case OPT_ATOMIC:
    case OPT_CRITICAL:
      if (primer_set_guard(o, c == OPT_LOCK     ? PRIMER_GUARD_LOCK
                              : c == OPT_ATOMIC ? PRIMER_GUARD_ATOMIC
                                                : PRIMER_GUARD_CRITICAL) != 0) {
        snprintf(err, CLI_ERR_MAX, "choose one of --lock, --atomic, --critical");
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
    default:
      return cli_status_of(c);
    }
  }
  if (rc != 0 || cli_no_operands(&p, err) != CLI_OK)
    return CLI_USAGE;
  if (o->procs && o->mpi) {
    snprintf(err, CLI_ERR_MAX, "--procs and --mpi exclude each other");
    return CLI_USAGE;
  }
  return CLI_OK;
}
