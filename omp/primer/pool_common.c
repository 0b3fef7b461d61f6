/* pool: what its two versions (threads, --procs) share: the table of who ran
 * what, and the verdict on it. */
#include <stdio.h>

#include "pool_common.h"
#include "primer.h"

int primer_pool_verdict(struct primer_pool_job *jobs, int njobs, int size, int max_counted,
                        const char *how)
{
  int ran_once = 1, max_overlap = 0;
  primer_say("main", "job  worker  pid      start    end      running at start");
  for (int j = 0; j < njobs; j++) {
    struct primer_pool_job *a = &jobs[j];
    char row[128];
    snprintf(row, sizeof row, "%3d  %6d  %-7d  %6.3f  %6.3f  %d", a->job, a->worker, a->pid,
             a->start, a->end, a->running);
    primer_say("main", "%s", row);
    ran_once &= a->job == j && a->end >= a->start;
    /* how many jobs were running at the moment job j started */
    int overlap = 0;
    for (int k = 0; k < njobs; k++)
      overlap += jobs[k].start <= a->start && a->start < jobs[k].end;
    if (overlap > max_overlap)
      max_overlap = overlap;
  }
  int ok = ran_once && max_counted <= size && max_overlap <= size;
  return primer_verdict(ok,
                        "jobs=%d on a pool of size=%d: max_running=%d (counted) "
                        "max_overlap=%d (from the times)%s (%s)",
                        njobs, size, max_counted, max_overlap,
                        ran_once ? ", every job ran once" : ", a job did NOT run exactly once",
                        how);
}
