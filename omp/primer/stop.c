/* stop: a worker prints Fibonacci numbers until a cooperative stop flag is
 * set; it is stopped after a set time, joined, never killed.
 * Construct: a C11 atomic flag read once per period by the worker (OpenMP
 * has cancellation, but only when OMP_CANCELLATION is set before start),
 * and pthread_join. */
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>

#include "primer.h"

struct stop_state {
  atomic_int stop;
  double period;
  double seen; /* when the worker saw the flag */
  long printed;
};

static void *stop_worker(void *p)
{
  struct stop_state *s = p;
  uint64_t a = 0, b = 1;
  primer_set_name("fib");
  while (!atomic_load(&s->stop)) {
    primer_say("fib", "%" PRIu64, a);
    s->printed++;
    uint64_t next = a + b;
    a = b;
    b = next;
    if (a > UINT64_MAX / 2) { /* would overflow soon: start again */
      a = 0;
      b = 1;
    }
    primer_sleep(s->period);
  }
  s->seen = primer_now();
  primer_say("fib", "saw the stop flag, returning");
  return NULL;
}

static int stop_run(const struct primer_opts *o)
{
  struct stop_state s = {.period = o->period > 0 ? o->period : 0.1};
  double after = o->after >= 0 ? o->after : 0.55;
  atomic_init(&s.stop, 0);
  pthread_t t;
  primer_say("main", "starting the worker; stop flag in %.3f s; period %.3f s", after, s.period);
  if (pthread_create(&t, NULL, stop_worker, &s) != 0)
    return primer_verdict(0, "pthread_create failed");
  primer_sleep(after);
  double set_at = primer_now();
  atomic_store(&s.stop, 1);
  primer_say("main", "stop flag set");
  pthread_join(t, NULL);
  double joined = primer_now();
  double latency = joined - set_at;
  primer_say("main", "joined the worker %.3f s after setting the flag", latency);
  return primer_verdict(latency <= 2 * s.period,
                        "worker printed %ld numbers and stopped latency=%.3f s after the flag "
                        "(limit 2 periods = %.3f s); joined, not killed",
                        s.printed, latency, 2 * s.period);
}

const struct primer_cmd primer_cmd_stop = {
    "stop", "stop a worker with a cooperative flag after a set time, then join it",
    " [--period SECONDS] [--after SECONDS]\n"
    "A worker prints Fibonacci numbers, one per period (default 0.1 s), checking a\n"
    "stop flag before each; main sets the flag after --after seconds (default 0.55)\n"
    "and joins. The verdict checks the worker stopped within 2 periods.\n",
    PRIMER_OPT_PERIOD | PRIMER_OPT_AFTER, stop_run};
