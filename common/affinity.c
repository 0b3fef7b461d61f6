/* One CPU per OpenMP thread (see affinity.h). */
#include <omp.h>
#include <sched.h>
#include <stdlib.h>

#include "affinity.h"

int affinity_spread(int threads)
{
  if (getenv("OMP_PROC_BIND") || getenv("OMP_PLACES") || getenv("GOMP_CPU_AFFINITY") || threads < 2)
    return 0;
  cpu_set_t allowed;
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0 || CPU_COUNT(&allowed) < threads)
    return 0;
  int cpu_of[CPU_SETSIZE], n = 0;
  for (int c = 0; c < CPU_SETSIZE && n < threads; c++)
    if (CPU_ISSET(c, &allowed))
      cpu_of[n++] = c;
  int pinned = 1;
#pragma omp parallel num_threads(threads) reduction(&& : pinned)
  {
    int t = omp_get_thread_num();
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu_of[t], &one);
    pinned = sched_setaffinity(0, sizeof one, &one) == 0; /* this thread only */
  }
  return pinned;
}
