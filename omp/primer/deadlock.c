/* deadlock: two workers take two locks in opposite order and wait for each
 * other forever; here they wait with a timeout, so the demo detects the
 * deadlock and reports it instead of hanging. --ordered takes the locks in
 * one global order (lock-1 before lock-2) and always completes.
 * Construct: pthread_mutex_clocklock (OpenMP locks have no timed acquire). */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "primer.h"

enum { DL_STARTING, DL_WANTS_FIRST, DL_HOLDS_FIRST, DL_DONE };

struct dl_shared {
  pthread_mutex_t lock[2];
  atomic_int state[2];
  int first[2], second[2]; /* lock indexes per worker */
  double timeout;
};

struct dl_worker {
  struct dl_shared *sh;
  int me;
  const char *name;
  int gave_up, completed;
  double waited; /* time spent on the lock it gave up on */
};

/* Timed acquire: 0, or ETIMEDOUT after `timeout` seconds. */
static int dl_lock(pthread_mutex_t *m, double timeout)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  double t = (double)ts.tv_nsec * 1e-9 + timeout;
  ts.tv_sec += (time_t)t;
  ts.tv_nsec = (long)((t - (double)(time_t)t) * 1e9);
  return pthread_mutex_clocklock(m, CLOCK_MONOTONIC, &ts);
}

/* So that the demo shows the deadlock every time (not only when the
 * scheduler happens to interleave the workers), each worker holding its first
 * lock waits until the other holds its own first lock, or is queued for the
 * lock this one holds, or is done. */
static void dl_rendezvous(struct dl_worker *w)
{
  struct dl_shared *sh = w->sh;
  int other = 1 - w->me;
  double until = primer_now() + sh->timeout;
  while (primer_now() < until) {
    int st = atomic_load(&sh->state[other]);
    if (st == DL_HOLDS_FIRST || st == DL_DONE ||
        (st == DL_WANTS_FIRST && sh->first[other] == sh->first[w->me]))
      return;
    primer_sleep(0.001);
  }
}

static void *dl_thread(void *p)
{
  struct dl_worker *w = p;
  struct dl_shared *sh = w->sh;
  int f = sh->first[w->me], s = sh->second[w->me];
  primer_set_name(w->name);
  atomic_store(&sh->state[w->me], DL_WANTS_FIRST);
  primer_say(w->name, "taking lock-%d", f + 1);
  if (dl_lock(&sh->lock[f], sh->timeout) != 0) {
    w->gave_up = 1;
    w->waited = sh->timeout;
    primer_say(w->name, "gave up on lock-%d after %.3f s", f + 1, sh->timeout);
    atomic_store(&sh->state[w->me], DL_DONE);
    return NULL;
  }
  atomic_store(&sh->state[w->me], DL_HOLDS_FIRST);
  primer_say(w->name, "holding lock-%d", f + 1);
  dl_rendezvous(w);
  primer_say(w->name, "taking lock-%d (timeout %.3f s)", s + 1, sh->timeout);
  double t = primer_now();
  if (dl_lock(&sh->lock[s], sh->timeout) != 0) {
    w->gave_up = 1;
    w->waited = primer_now() - t;
    primer_say(w->name, "gave up on lock-%d after %.3f s while holding lock-%d: deadlock", s + 1,
               w->waited, f + 1);
    pthread_mutex_unlock(&sh->lock[f]);
    atomic_store(&sh->state[w->me], DL_DONE);
    return NULL;
  }
  primer_say(w->name, "holding lock-%d and lock-%d: working", f + 1, s + 1);
  primer_sleep(0.02);
  pthread_mutex_unlock(&sh->lock[s]);
  pthread_mutex_unlock(&sh->lock[f]);
  primer_say(w->name, "released both locks");
  w->completed = 1;
  atomic_store(&sh->state[w->me], DL_DONE);
  return NULL;
}

static int deadlock_run(const struct primer_opts *o)
{
  struct dl_shared sh = {.timeout = o->timeout > 0 ? o->timeout : 0.5};
  struct dl_worker w[2] = {{&sh, 0, "worker-A", 0, 0, 0}, {&sh, 1, "worker-B", 0, 0, 0}};
  pthread_t t[2];
  for (int i = 0; i < 2; i++) {
    pthread_mutex_init(&sh.lock[i], NULL);
    atomic_init(&sh.state[i], DL_STARTING);
    /* A: lock-1 then lock-2; B: the opposite, unless --ordered */
    sh.first[i] = (o->ordered || i == 0) ? 0 : 1;
    sh.second[i] = 1 - sh.first[i];
  }
  primer_say("main", "%s",
             o->ordered ? "both workers take lock-1, then lock-2"
                        : "worker-A takes lock-1 then lock-2, worker-B the opposite");
  double t0 = primer_now();
  for (int i = 0; i < 2; i++)
    if (pthread_create(&t[i], NULL, dl_thread, &w[i]) != 0)
      return primer_verdict(0, "pthread_create failed");
  for (int i = 0; i < 2; i++)
    pthread_join(t[i], NULL);
  double elapsed = primer_now() - t0;
  for (int i = 0; i < 2; i++)
    pthread_mutex_destroy(&sh.lock[i]);
  int gave_up = w[0].gave_up + w[1].gave_up, completed = w[0].completed + w[1].completed;
  if (o->ordered)
    return primer_verdict(completed == 2,
                          "%s: completed=%d gave_up=%d elapsed=%.3f s (lock order lock-1 < lock-2)",
                          completed == 2 ? "completed, no deadlock" : "did not complete", completed,
                          gave_up, elapsed);
  double waited = w[0].gave_up ? w[0].waited : w[1].waited;
  return primer_verdict(gave_up > 0,
                        "%s: gave_up=%d completed=%d waited=%.3f s timeout=%.3f s elapsed=%.3f s",
                        gave_up ? "deadlock detected and reported" : "no deadlock detected",
                        gave_up, completed, waited, sh.timeout, elapsed);
}

const struct primer_cmd primer_cmd_deadlock = {
    "deadlock", "two locks in opposite order: detected by timed locks; --ordered completes",
    " [--ordered] [--timeout SECONDS]\n"
    "worker-A takes lock-1 then lock-2, worker-B lock-2 then lock-1: each holds what\n"
    "the other needs. Every acquire is timed (--timeout, default 0.5 s), so a worker\n"
    "gives up, reports the deadlock and releases its lock. --ordered makes both take\n"
    "lock-1 first: no cycle, both complete.\n",
    PRIMER_OPT_ORDERED | PRIMER_OPT_TIMEOUT, deadlock_run};
