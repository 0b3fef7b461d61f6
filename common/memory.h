/* Big arrays: the helpers that msort and sudoku both need.
 *
 * First touches are expensive on the virtual machines this suite runs on
 * (12-15 us per fresh 4 KiB page, 50-100x bare metal), so big arrays are
 * either backed by transparent huge pages (one fault per 2 MiB) or touched
 * by the threads that will use them before a timed region starts. */
#ifndef CONCUR_MEMORY_H
#define CONCUR_MEMORY_H

#include <stddef.h>
#include <stdint.h>

/* malloc() for big arrays: blocks of 64 KiB or more are rounded up to
 * whole 2 MiB pages, aligned and advised to use transparent huge pages (one
 * page fault per 2 MiB instead of 512: 2 MiB of fresh 4 KiB pages cost 6-8
 * ms here, a 2 MiB huge page about 0.3 ms). Few arrays are this big, so the
 * rounding wastes little. Free with free(). */
void *mem_alloc_big(size_t bytes);
/* Give the system back the memory of p (len bytes from mem_alloc_big)
 * beyond its first `keep` bytes, in whole 2 MiB pages; p stays valid (the
 * pages given back read as zeros), and is still freed with free(). */
void mem_release_tail(void *p, size_t keep, size_t len);
/* malloc, then write every page from the OpenMP thread (of `threads`, in a
 * static schedule) that will use that part: page faults stay out of timed
 * regions, and pages land near the threads. NULL on failure. */
void *mem_alloc_touched(size_t bytes, int threads);
/* The machine's physical memory in bytes (0 if unknown). */
uint64_t mem_physical(void);

/* The tightest memory limit on this process (common/mem_limit.c): what it
 * may still allocate before it is refused or killed. Programs compare what
 * a run needs with it before allocating, so that a run too big for its
 * memory cgroup (SLURM, containers) or its ulimit is refused with a clear
 * line instead of being OOM-killed (status 137). */
enum {
  MEM_LIMIT_SHARED = 1,  /* shared by the processes of a machine or cgroup:
                            MemAvailable, memory cgroups v1 and v2 */
  MEM_LIMIT_PROCESS = 2, /* one process's own: RLIMIT_AS, RLIMIT_DATA */
  MEM_LIMIT_ALL = 3
};
struct mem_limit {
  uint64_t room;  /* bytes left under the tightest limit; UINT64_MAX: none known */
  char what[320]; /* which limit, for messages: "the memory cgroup /a/b" */
  char how[160];  /* its source and figures: "memory.max 1.5 GiB, 12 MiB in use" */
};
/* Fill out with the tightest of the limits in `which` (MEM_LIMIT_*) and
 * return out->room. Memory cgroups count from every level of the process's
 * path up to the root, as limit minus usage (page cache that can be dropped,
 * inactive_file, not counted as usage). */
uint64_t mem_limit(struct mem_limit *out, unsigned which);
/* "the memory cgroup /a/b allows 1.4 GiB (memory.max 1.5 GiB, 12 MiB in
 * use)": the limit for a message. */
void mem_limit_describe(const struct mem_limit *l, char *buf, size_t len);
/* A size for people, like "8.0 GiB". */
void mem_human_bytes(double bytes, char *buf, size_t len);

#endif
