/* One CPU per OpenMP thread (see affinity.h). */
#include <omp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "affinity.h"
#include "json.h"

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

/* The calling thread's CPUs as a cpulist ("0-3,8") into out. */
static void cpulist(char *out, size_t cap)
{
  cpu_set_t set;
  size_t at = 0;
  out[0] = '\0';
  if (sched_getaffinity(0, sizeof set, &set) != 0)
    return;
  for (int c = 0; c < CPU_SETSIZE && at + 24 < cap; c++) {
    if (!CPU_ISSET(c, &set))
      continue;
    int last = c;
    while (last + 1 < CPU_SETSIZE && CPU_ISSET(last + 1, &set))
      last++;
    at +=
        (size_t)snprintf(out + at, cap - at, last > c ? "%s%d-%d" : "%s%d", at ? "," : "", c, last);
    c = last;
  }
}

char *affinity_binding(int rank, int threads)
{
  enum { LIST = 256 };
  if (threads < 1)
    threads = 1;
  char *lists = calloc((size_t)threads, LIST);
  if (lists == NULL)
    return NULL;
  int team = 1;
#pragma omp parallel num_threads(threads)
  {
    int t = omp_get_thread_num();
    if (t == 0)
      team = omp_get_num_threads(); /* OpenMP may give fewer */
    if (t < threads)
      cpulist(lists + (size_t)t * LIST, LIST);
  }
  char host[256] = "";
  if (gethostname(host, sizeof host - 1) != 0)
    host[0] = '\0';
  struct json_members m;
  json_begin(&m);
  json_int(&m, "rank", rank);
  json_str(&m, "host", host);
  json_key(&m, "cpus");
  if (m.fp != NULL) {
    fputc('[', m.fp);
    for (int t = 0; t < team && t < threads; t++) {
      if (t > 0)
        fputc(',', m.fp);
      json_string(m.fp, lists + (size_t)t * LIST);
    }
    fputc(']', m.fp);
  }
  free(lists);
  char *members = json_end(&m);
  if (members == NULL)
    return NULL;
  char *obj = malloc(m.len + 3);
  if (obj != NULL)
    snprintf(obj, m.len + 3, "{%s}", members);
  free(members);
  return obj;
}
