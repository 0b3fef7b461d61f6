#include "memory.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define HUGE_PAGE ((size_t)2 << 20)

void *mem_alloc_big(size_t bytes)
{
  if (bytes < HUGE_PAGE / 32) /* below 64 KiB: rounding up would waste too much */
    return malloc(bytes ? bytes : 1);
  void *p = NULL;
  size_t rounded = (bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
  if (posix_memalign(&p, HUGE_PAGE, rounded) != 0)
    return NULL;
  madvise(p, rounded, MADV_HUGEPAGE); /* a hint: failure is harmless */
  return p;
}

void mem_release_tail(void *p, size_t keep, size_t len)
{
  size_t from = (keep + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
  if (len >= HUGE_PAGE / 32 && from < len) /* else malloc's: not page-aligned */
    madvise((char *)p + from, len - from, MADV_DONTNEED);
}

void *mem_alloc_touched(size_t bytes, int threads)
{
  if (bytes == 0)
    bytes = 1;
  char *p = malloc(bytes);
  if (p == NULL)
    return NULL;
  /* one page-sized write per page, from the thread that will use that part
   * in static schedules */
  size_t pages = (bytes + 4095) / 4096;
#pragma omp parallel for num_threads(threads) schedule(static)
  for (size_t i = 0; i < pages; i++)
    p[i * 4096] = 0;
  return p;
}

uint64_t mem_physical(void)
{
  long pages = sysconf(_SC_PHYS_PAGES), psize = sysconf(_SC_PAGESIZE);
  return pages > 0 && psize > 0 ? (uint64_t)pages * (uint64_t)psize : 0;
}

void mem_human_bytes(double b, char *buf, size_t len)
{
  static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  int u = 0;
  while (b >= 1024 && u < 6) {
    b /= 1024;
    u++;
  }
  snprintf(buf, len, "%.1f %s", b, units[u]);
}
