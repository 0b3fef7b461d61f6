/* pool --procs: a pool of worker processes. Job numbers wait in a pipe; each
 * worker reads one (a 4-byte read from a pipe is atomic), runs it, writes a
 * result record to a second pipe, and reads the next, until the job pipe is
 * empty and closed. The running count lives in shared memory.
 * Construct: fork, two pipes, mmap(MAP_SHARED) with C11 atomics. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pool_common.h"
#include "primer.h"

struct pool_shared {
  atomic_int running, max_running;
};

static void pool_procs_worker(int me, int jobs_fd, int results_fd, struct pool_shared *sh,
                              uint64_t seed)
{
  char who[24];
  int j;
  snprintf(who, sizeof who, "worker-%d", me);
  primer_set_name(who);
  while (read(jobs_fd, &j, sizeof j) == (ssize_t)sizeof j) {
    struct primer_pool_job a = {.job = j, .worker = me, .pid = (int)getpid()};
    double dur = primer_uniform(seed, (uint64_t)j, 0.1, 0.3);
    a.running = atomic_fetch_add(&sh->running, 1) + 1;
    a.start = primer_now();
    int m = atomic_load(&sh->max_running);
    while (a.running > m && !atomic_compare_exchange_weak(&sh->max_running, &m, a.running))
      ;
    primer_say(who, "job %d starts (%.3f s; %d running) in pid %d", j, dur, a.running, a.pid);
    primer_sleep(dur);
    a.end = primer_now();
    atomic_fetch_sub(&sh->running, 1);
    primer_say(who, "job %d done", j);
    if (write(results_fd, &a, sizeof a) != (ssize_t)sizeof a) /* < PIPE_BUF: atomic */
      _exit(1);
  }
  _exit(0);
}

int primer_pool_procs(const struct primer_opts *o, int njobs, int size)
{
  struct pool_shared *sh =
      mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  int jobs_p[2], res_p[2];
  if (sh == MAP_FAILED || pipe(jobs_p) != 0)
    return primer_verdict(0, "mmap or pipe failed");
  if (pipe(res_p) != 0)
    return primer_verdict(0, "pipe failed");
  atomic_init(&sh->running, 0);
  atomic_init(&sh->max_running, 0);
  /* all job numbers go in first (njobs x 4 bytes fit the pipe), then EOF */
  for (int j = 0; j < njobs; j++)
    if (write(jobs_p[1], &j, sizeof j) != (ssize_t)sizeof j)
      return primer_verdict(0, "cannot queue job %d", j);
  close(jobs_p[1]);
  pid_t *pids = calloc((size_t)size, sizeof *pids);
  struct primer_pool_job *jobs = calloc((size_t)njobs, sizeof *jobs);
  if (pids == NULL || jobs == NULL)
    return primer_verdict(0, "out of memory");
  int started = 0;
  for (int w = 0; w < size; w++) {
    pids[w] = primer_fork();
    if (pids[w] == 0) {
      close(res_p[0]);
      pool_procs_worker(w, jobs_p[0], res_p[1], sh, o->seed);
    }
    started += pids[w] > 0;
  }
  close(jobs_p[0]);
  close(res_p[1]);
  primer_say("main", "%d worker processes started for %d jobs", started, njobs);
  struct primer_pool_job a;
  int nres = 0, dup = 0;
  while (read(res_p[0], &a, sizeof a) == (ssize_t)sizeof a) {
    if (a.job >= 0 && a.job < njobs && jobs[a.job].end == 0)
      jobs[a.job] = a;
    else
      dup = 1;
    nres++;
  }
  close(res_p[0]);
  int failed = 0;
  for (int w = 0; w < size; w++) {
    int st = 0;
    if (pids[w] > 0 &&
        (waitpid(pids[w], &st, 0) != pids[w] || !WIFEXITED(st) || WEXITSTATUS(st) != 0))
      failed++;
  }
  int max_counted = atomic_load(&sh->max_running);
  munmap(sh, sizeof *sh);
  int rc;
  if (started != size || failed || nres != njobs || dup)
    rc = primer_verdict(0, "workers started=%d failed=%d, results=%d for %d jobs", started, failed,
                        nres, njobs);
  else
    rc = primer_pool_verdict(jobs, njobs, size, max_counted, "worker processes, pipes");
  free(pids);
  free(jobs);
  return rc;
}
