/* race: workers increment a shared counter with read / sleep / write.
 * Unprotected, a worker that sleeps between reading and writing overwrites
 * the increments the others made meanwhile: updates are lost, and how many
 * is expected - final. Protected, the result is exact.
 * Constructs: OpenMP lock (omp_set_lock), critical section (omp critical),
 * atomic update (omp atomic), and omp atomic read/write for the unprotected
 * steps (each step is whole; only their sequence is unprotected). */
#include <omp.h>

#include "primer.h"

static const char *const race_guard_names[] = {"no protection", "omp lock", "omp atomic",
                                               "omp critical"};

/* Workers that read the counter, sleep, and write back read + 1. */
static long race_count(int workers, long n, long sleep_us, enum primer_guard guard, int *team)
{
  long counter = 0;
  omp_lock_t lock;
  double nap = 1e-6 * (double)sleep_us;
  omp_init_lock(&lock);
  omp_set_dynamic(0);
#pragma omp parallel num_threads(workers) shared(counter, lock, team)
  {
#pragma omp single
    *team = omp_get_num_threads();
    /* start together, so that the workers overlap from the first increment */
#pragma omp barrier
    for (long i = 0; i < n; i++) {
      long v;
      switch (guard) {
      case PRIMER_GUARD_NONE:
#pragma omp atomic read
        v = counter;
        primer_sleep(nap);
#pragma omp atomic write
        counter = v + 1;
        break;
      case PRIMER_GUARD_LOCK:
        omp_set_lock(&lock);
        v = counter;
        primer_sleep(nap);
        counter = v + 1;
        omp_unset_lock(&lock);
        break;
      case PRIMER_GUARD_CRITICAL:
#pragma omp critical(race_counter)
      {
        v = counter;
        primer_sleep(nap);
        counter = v + 1;
      } break;
      case PRIMER_GUARD_ATOMIC:
        /* an atomic update has no room for a sleep between read and write:
         * the "work" comes first, then the indivisible increment */
        primer_sleep(nap);
#pragma omp atomic update
        counter++;
        break;
      }
    }
    primer_say("worker", "%d: %ld increments done", omp_get_thread_num(), n);
  }
  omp_destroy_lock(&lock);
  return counter;
}

static int race_run(const struct primer_opts *o)
{
  int workers = o->threads ? o->threads : 2;
  long n = (long)(o->n ? o->n : 200);
  long sleep_us = (long)(o->sleep_us >= 0 ? o->sleep_us : 50);
  const char *how = race_guard_names[o->guard];
  int team = 0;
  primer_say("main", "%d workers x %ld increments, read / sleep %ld us / write, %s", workers, n,
             sleep_us, how);
  long final = race_count(workers, n, sleep_us, o->guard, &team);
  long expected = (long)workers * n, lost = expected - final;
  primer_say("main", "expected=%ld final=%ld lost=%ld", expected, final, lost);
  if (team != workers)
    return primer_verdict(0, "OpenMP gave %d threads, not %d (OMP_THREAD_LIMIT?)", team, workers);
  if (o->guard == PRIMER_GUARD_NONE)
    return primer_verdict(1, "%s expected=%ld final=%ld lost=%ld (%s, workers=%d)",
                          lost > 0 ? "race shown, updates lost:"
                          : workers == 1
                              ? "one worker has nobody to race with:"
                              : "no update lost this time (try a larger -n or --sleep-us):",
                          expected, final, lost, how, workers);
  return primer_verdict(lost == 0, "%s expected=%ld final=%ld lost=%ld (%s, workers=%d)",
                        lost == 0 ? "exact:" : "NOT exact:", expected, final, lost, how, workers);
}

const struct primer_cmd primer_cmd_race = {
    "race", "a shared counter: lost updates, then exact with a lock, atomic or critical",
    " [--lock|--atomic|--critical] [--threads N] [-n N] [--sleep-us US]\n"
    "N workers (default 2) each increment a shared counter -n times (default 200),\n"
    "reading it, sleeping --sleep-us microseconds (default 50), writing it back + 1.\n"
    "Unprotected, updates are lost (lost = expected - final); with --lock (OpenMP\n"
    "lock), --critical (omp critical) or --atomic (omp atomic) the count is exact.\n",
    PRIMER_OPT_THREADS | PRIMER_OPT_N | PRIMER_OPT_SLEEP_US | PRIMER_OPT_GUARD, race_run};
