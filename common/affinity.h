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

#endif
