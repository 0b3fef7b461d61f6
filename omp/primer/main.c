/* primer: the concurrency primer as one program of small, verified demos.
 *
 *   primer list            the demos
 *   primer NAME [OPTIONS]  run one (primer NAME --help for its options)
 *
 * Each demo lives in its own file; this one only dispatches. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "errors.h"
#include "primer.h"
#include "queue_common.h"

static const struct primer_cmd *const primer_cmds[] = {
    &primer_cmd_start,      &primer_cmd_info,  &primer_cmd_process,  &primer_cmd_stop,
    &primer_cmd_interleave, &primer_cmd_race,  &primer_cmd_deadlock, &primer_cmd_local,
    &primer_cmd_queue,      &primer_cmd_event, &primer_cmd_pool};
#define PRIMER_NCMDS (sizeof primer_cmds / sizeof primer_cmds[0])

static const struct cli_option primer_top_options[] = {CLI_HELP_OPTIONS, CLI_END};

/* The top-level help, with the list of demos. */
static int primer_top_answer(enum cli_status st, const char *err)
{
  char demos[2048];
  size_t at = (size_t)snprintf(demos, sizeof demos,
                               "Example: primer race --threads 4 --lock\n"
                               "\nDemos:\n");
  for (size_t i = 0; i < PRIMER_NCMDS && at < sizeof demos; i++)
    at += (size_t)snprintf(demos + at, sizeof demos - at, "  %-11s %s\n", primer_cmds[i]->name,
                           primer_cmds[i]->summary);
  const struct cli_help help = {
      "Usage: primer DEMO [OPTIONS]   (primer DEMO --help for its options)\n"
      "       primer list | --help | --version\n",
      "The concurrency primer: threads, processes, races, locks, deadlock,\n"
      "thread-local data, barriers, events, queues and pools, each demo printing\n"
      "what happens and ending with 'verdict: ok: ...' (exit 0) or\n"
      "'verdict: FAIL: ...' (exit 1). Bad usage exits 2.\n",
      demos};
  const char *doc = getenv("CONCUR_HELP_FORMAT");
  if (st != CLI_HELP || doc == NULL)
    return cli_answer(st, "primer", &help, primer_top_options, 1, err, 1);
  /* the man page and completion cover the demos and their options too */
  int rc = cli_print_doc(stdout, doc, "primer", &help, primer_top_options, 1, primer_options);
  if (rc == 0 && strcmp(doc, "bash") == 0) {
    printf("_concur_words_primer='list");
    for (size_t i = 0; i < PRIMER_NCMDS; i++)
      printf(" %s", primer_cmds[i]->name);
    printf("'\n");
  }
  return rc;
}

int main(int argc, char **argv)
{
  err_init("primer");
  primer_queue_mpi_facts(); /* `queue --mpi` uses MPI: --version names it */
  if (argc < 2)
    return primer_top_answer(CLI_USAGE, "say which demo to run ('primer list' shows them)");
  const char *name = argv[1];
  if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0)
    return primer_top_answer(CLI_HELP, NULL);
  if (strcmp(name, "-V") == 0 || strcmp(name, "--version") == 0)
    return primer_top_answer(CLI_VERSION, NULL);
  if (strcmp(name, "list") == 0) {
    for (size_t i = 0; i < PRIMER_NCMDS; i++)
      printf("%-11s %s\n", primer_cmds[i]->name, primer_cmds[i]->summary);
    return EXIT_OK;
  }
  for (size_t i = 0; i < PRIMER_NCMDS; i++) {
    if (strcmp(name, primer_cmds[i]->name) != 0)
      continue;
    struct primer_opts o;
    char err[CLI_ERR_MAX];
    enum cli_status st = primer_parse(primer_cmds[i], argc - 1, argv + 1, &o, err);
    if (st != CLI_OK)
      return primer_answer(primer_cmds[i], st, err);
    primer_clock_start();
    return primer_cmds[i]->run(&o);
  }
  char err[CLI_ERR_MAX];
  snprintf(err, sizeof err, "unknown demo '%s' (primer list shows them)", name);
  return primer_top_answer(CLI_USAGE, err);
}
