/* event: one worker waits until another fires an event.
 * Construct: an event made of a mutex, a condition variable and a flag (the
 * counterpart of threading.Event: set() wakes every waiter, wait(timeout)
 * says whether it was set). OpenMP has no such wait, so POSIX threads. */
#include <pthread.h>
#include <time.h>

#include "primer.h"

struct event {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int set;
};

static void event_set(struct event *e)
{
  pthread_mutex_lock(&e->mu);
  e->set = 1;
  pthread_cond_broadcast(&e->cv);
  pthread_mutex_unlock(&e->mu);
}

/* Wait until set or `timeout` seconds passed; returns whether it is set. */
static int event_wait(struct event *e, double timeout)
{
  struct timespec until;
  clock_gettime(CLOCK_MONOTONIC, &until);
  double t = (double)until.tv_nsec * 1e-9 + timeout;
  until.tv_sec += (time_t)t;
  until.tv_nsec = (long)((t - (double)(time_t)t) * 1e9);
  pthread_mutex_lock(&e->mu);
  int rc = 0;
  while (!e->set && rc == 0) /* the loop absorbs spurious wake-ups */
    rc = pthread_cond_clockwait(&e->cv, &e->mu, CLOCK_MONOTONIC, &until);
  int set = e->set;
  pthread_mutex_unlock(&e->mu);
  return set;
}

struct event_demo {
  struct event ev;
  double delay, fired_at, woke_at;
  int early, late;
};

static void *event_waiter(void *p)
{
  struct event_demo *d = p;
  primer_set_name("waiter");
  primer_say("waiter", "wait(timeout 0.05 s) for the event");
  d->early = event_wait(&d->ev, 0.05);
  primer_say("waiter", "... returned %s", d->early ? "set" : "not set (timed out)");
  primer_say("waiter", "wait for the event (up to 10 s)");
  d->late = event_wait(&d->ev, 10.0);
  d->woke_at = primer_now();
  primer_say("waiter", "woke: the event is %s", d->late ? "set" : "NOT set");
  return NULL;
}

static void *event_firer(void *p)
{
  struct event_demo *d = p;
  primer_set_name("firer");
  primer_say("firer", "working for %.3f s before firing", d->delay);
  primer_sleep(d->delay);
  d->fired_at = primer_now();
  primer_say("firer", "fire!");
  event_set(&d->ev);
  return NULL;
}

static int event_run(const struct primer_opts *o)
{
  struct event_demo d = {.delay = o->after >= 0 ? o->after : 0.2};
  pthread_condattr_t ca;
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_mutex_init(&d.ev.mu, NULL);
  pthread_cond_init(&d.ev.cv, &ca);
  pthread_condattr_destroy(&ca);
  pthread_t tw, tf;
  if (pthread_create(&tw, NULL, event_waiter, &d) != 0 ||
      pthread_create(&tf, NULL, event_firer, &d) != 0)
    return primer_verdict(0, "pthread_create failed");
  pthread_join(tw, NULL);
  pthread_join(tf, NULL);
  pthread_cond_destroy(&d.ev.cv);
  pthread_mutex_destroy(&d.ev.mu);
  double lag = d.woke_at - d.fired_at;
  /* the short wait may only see the event if it fired within those 0.05 s */
  int early_ok = !d.early || d.delay < 0.05;
  return primer_verdict(early_ok && d.late && lag >= 0,
                        "the waiter's short wait %s, then it woke lag=%.4f s after the "
                        "event fired at %.3f s",
                        d.early ? "saw the event already set" : "timed out", lag, d.fired_at);
}

const struct primer_cmd primer_cmd_event = {
    "event", "one worker waits until another fires an event",
    " [--after SECONDS]\n"
    "'waiter' first waits 0.05 s (times out: not set yet), then waits for the event;\n"
    "'firer' works --after seconds (default 0.2) and fires it, waking the waiter.\n",
    PRIMER_OPT_AFTER, event_run};
