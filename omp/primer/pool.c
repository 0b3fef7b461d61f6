/* pool: 5 jobs on a pool of 3 workers; which worker ran what, and never more
 * than 3 at once. --procs is in pool_procs.c.
 * Construct: OpenMP tasks (one thread creates them in a single region, the
 * team of 3 threads runs them: the team is the pool), a critical section for
 * the running count. */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "pool_common.h"
#include "primer.h"

static int pool_run(const struct primer_opts *o)
{
  int size = o->threads ? o->threads : 3;
  int njobs = (int)(o->n ? o->n : 5);
  if (o->procs)
    return primer_pool_procs(o, njobs, size);
  struct primer_pool_job *jobs = calloc((size_t)njobs, sizeof *jobs);
  int running = 0, max_running = 0, team = 0;
  if (jobs == NULL)
    return primer_verdict(0, "out of memory");
  omp_set_dynamic(0);
#pragma omp parallel num_threads(size) shared(running, max_running, team)
  {
    char name[24];
    snprintf(name, sizeof name, "worker-%d", omp_get_thread_num());
    primer_set_name(name);
#pragma omp single
    {
      team = omp_get_num_threads();
      for (int j = 0; j < njobs; j++) {
#pragma omp task firstprivate(j)
        {
          struct primer_pool_job *a = &jobs[j];
          int me = omp_get_thread_num();
          char who[24];
          snprintf(who, sizeof who, "worker-%d", me);
          double dur = primer_uniform(o->seed, (uint64_t)j, 0.1, 0.3);
#pragma omp critical(pool_count)
          {
            a->running = ++running;
            if (running > max_running)
              max_running = running;
            a->start = primer_now();
          }
          a->job = j;
          a->worker = me;
          a->pid = (int)getpid();
          primer_say(who, "job %d starts (%.3f s; %d running)", j, dur, a->running);
          primer_sleep(dur);
#pragma omp critical(pool_count)
          {
            running--;
            a->end = primer_now();
          }
          primer_say(who, "job %d done", j);
        }
      }
    }
  }
  char how[64];
  snprintf(how, sizeof how, "OpenMP tasks on a team of %d threads", team);
  int rc = team > size ? primer_verdict(0, "team of %d threads, more than %d", team, size)
                       : primer_pool_verdict(jobs, njobs, size, max_running, how);
  free(jobs);
  return rc;
}

const struct primer_cmd primer_cmd_pool = {
    "pool", "5 jobs on a pool of 3 workers: who ran what, never more than 3 at once",
    " [--procs] [--threads SIZE] [-n JOBS] [--seed N]\n"
    "JOBS jobs (default 5), each sleeping 0.1-0.3 s, run on a pool of SIZE workers\n"
    "(default 3): OpenMP tasks on a team of SIZE threads, or with --procs SIZE\n"
    "worker processes that take job numbers from a pipe. The table shows which\n"
    "worker ran each job and when; the verdict checks at most SIZE ran at once.\n",
    PRIMER_OPT_PROCS | PRIMER_OPT_THREADS | PRIMER_OPT_N | PRIMER_OPT_SEED, pool_run};
