/* pool: the part its two versions share (pool_common.c), and the process
 * version that the demo (pool.c) dispatches to. */
#ifndef PRIMER_POOL_COMMON_H
#define PRIMER_POOL_COMMON_H

#include "primer.h"

struct primer_pool_job {
  int job, worker, pid, running; /* running: jobs running when it started, itself included */
  double start, end;
};
/* Print the table, check every job ran once and at most `size` at a time;
 * `max_counted` is the largest count the workers saw. */
int primer_pool_verdict(struct primer_pool_job *jobs, int njobs, int size, int max_counted,
                        const char *how);

int primer_pool_procs(const struct primer_opts *o, int njobs, int size); /* pool_procs.c */

#endif
