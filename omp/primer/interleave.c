/* interleave: two named threads print with random sleeps, so their lines
 * interleave differently from run to run (the textbook's "starwars").
 * Construct: an OpenMP parallel region of two threads, each naming itself. */
#include <omp.h>
#include <stdlib.h>

#include "primer.h"

static int interleave_run(const struct primer_opts *o)
{
  int n = (int)(o->n ? o->n : 5);
  int *log = calloc(2 * (size_t)n, sizeof *log), pos = 0, team = 0;
  int last[2] = {0, 0}, in_order = 1;
  if (log == NULL)
    return primer_verdict(0, "out of memory");
  omp_set_dynamic(0);
#pragma omp parallel num_threads(2) shared(pos, team, in_order, last)
  {
    int me = omp_get_thread_num();
    const char *name = me == 0 ? "star" : "wars";
#pragma omp single
    team = omp_get_num_threads();
    primer_set_name(name);
    for (int i = 1; i <= n; i++) {
      primer_sleep(primer_uniform(o->seed, (uint64_t)me * 1000003u + (uint64_t)i, 0, 0.05));
#pragma omp critical(interleave_log)
      {
        primer_say(name, "%s %d", name, i);
        log[pos++] = me;
        if (i != last[me] + 1)
          in_order = 0;
        last[me] = i;
      }
    }
  }
  int switches = 0;
  for (int k = 1; k < pos; k++)
    switches += log[k] != log[k - 1];
  free(log);
  if (team != 2)
    return primer_verdict(0, "OpenMP gave %d thread(s), not 2 (OMP_THREAD_LIMIT?)", team);
  return primer_verdict(in_order && last[0] == n && last[1] == n,
                        "star and wars each printed their %d lines in their own order; "
                        "switches=%d between them",
                        n, switches);
}

const struct primer_cmd primer_cmd_interleave = {
    "interleave", "two named threads printing with random sleeps (\"starwars\")",
    " [-n LINES] [--seed N]\n"
    "Threads 'star' and 'wars' each print LINES lines (default 5), sleeping a random\n"
    "0-50 ms before each; the seed fixes the sleeps, the scheduler the interleaving.\n",
    PRIMER_OPT_N | PRIMER_OPT_SEED, interleave_run};
