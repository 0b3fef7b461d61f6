/* local: thread-local values set before a barrier are unchanged after it in
 * every thread, while a shared variable written by all holds only the last
 * writer's value.
 * Constructs: OpenMP threadprivate data and the OpenMP barrier. */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

#include "primer.h"

static int local_value;
#pragma omp threadprivate(local_value)

static int local_run(const struct primer_opts *o)
{
  int workers = o->threads ? o->threads : 4;
  int shared_value = -1, team = 0;
  int *kept = calloc((size_t)workers, sizeof *kept);
  if (kept == NULL)
    return primer_verdict(0, "out of memory");
  omp_set_dynamic(0);
#pragma omp parallel num_threads(workers) shared(shared_value, team)
  {
    int me = omp_get_thread_num();
    char who[24];
    snprintf(who, sizeof who, "thread %d", me);
#pragma omp single
    team = omp_get_num_threads();
    /* random sleeps so that the threads write in a different order each time */
    primer_sleep(primer_uniform(o->seed, (uint64_t)me, 0, 0.03));
    local_value = 100 + me;
#pragma omp atomic write
    shared_value = 100 + me;
    primer_say(who, "set local=%d and shared=%d", 100 + me, 100 + me);
#pragma omp barrier
    primer_sleep(primer_uniform(o->seed, (uint64_t)me + 1000, 0, 0.03));
    int seen_shared;
#pragma omp atomic read
    seen_shared = shared_value;
    kept[me] = local_value == 100 + me;
    primer_say(who, "after the barrier: local=%d (%s), shared=%d", local_value,
               kept[me] ? "kept" : "CHANGED", seen_shared);
  }
  int all = team == workers;
  for (int i = 0; i < workers && all; i++)
    all = kept[i];
  free(kept);
  if (team != workers)
    return primer_verdict(0, "OpenMP gave %d threads, not %d", team, workers);
  return primer_verdict(all,
                        "%s: threads=%d each kept its thread-local value across the barrier; the "
                        "shared variable holds one value for all (%d)",
                        all ? "kept" : "NOT kept", workers, shared_value);
}

const struct primer_cmd primer_cmd_local = {
    "local", "thread-local values survive a barrier; a shared one does not",
    " [--threads N] [--seed N]\n"
    "Each of N threads (default 4) sets its threadprivate value (100 + thread number)\n"
    "and writes the same to a shared variable, waits at a barrier, then reads both:\n"
    "its own value is intact, the shared one is whoever wrote last.\n",
    PRIMER_OPT_THREADS | PRIMER_OPT_SEED, local_run};
