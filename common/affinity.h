/* One CPU per OpenMP thread, when nobody chose otherwise.
 *
 * Why: on a virtual machine whose CPUs report no shared cache, Linux wakes a
 * thread on the CPU of the thread that woke it and moves it only at the next
 * load balancing, milliseconds later. A parallel phase of a few milliseconds
 * (parsing, formatting) then runs on one core. Threads pinned one per CPU
 * start together. */
#ifndef CONCUR_AFFINITY_H
#define CONCUR_AFFINITY_H

/* Start `threads` OpenMP threads and pin thread t to the t-th CPU this
 * process may run on, unless OMP_PROC_BIND, OMP_PLACES or GOMP_CPU_AFFINITY
 * is set (the user's binding wins), threads < 2 (a lone thread, e.g. one of
 * several MPI ranks, must stay free to move) or there are fewer CPUs than
 * threads. Later parallel regions reuse the same threads. Returns 1 if it
 * pinned, else 0. */
int affinity_spread(int threads);

/* Where this process's threads may run, for the JSON record (docs/json.md,
 * "binding"): the object {"rank":R,"host":"H","cpus":[...]}, one CPU list
 * per OpenMP thread of a parallel region of `threads` threads (as Linux's
 * cpulist: "0-3,8"), each read by that thread with sched_getaffinity, as the
 * threads the program ran are (OpenMP reuses them). malloc()ed (free it), or
 * NULL when out of memory. */
char *affinity_binding(int rank, int threads);

#endif
