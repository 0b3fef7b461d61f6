/* start: start a named thread with arguments, join it, get its result.
 * Construct: pthread_create + pthread_join (OpenMP has no named thread that
 * one starts with a function and arguments and joins later). */
#include <pthread.h>
#include <string.h>

#include "primer.h"

struct start_args {
  const char *name; /* the thread names itself first thing */
  const char *greeting;
  int count;
  long result; /* written by the thread, read after the join */
};

static void *start_worker(void *p)
{
  struct start_args *a = p;
  primer_set_name(a->name);
  primer_say(a->name, "started with args (greeting=\"%s\", count=%d)", a->greeting, a->count);
  long sum = 0;
  for (int i = 1; i <= a->count; i++) {
    sum += (long)i * i;
    primer_say(a->name, "%s #%d", a->greeting, i);
    primer_sleep(0.01);
  }
  a->result = sum;
  primer_say(a->name, "done, returning %ld (sum of squares 1..%d)", sum, a->count);
  return NULL;
}

static int start_run(const struct primer_opts *o)
{
  struct start_args a = {.name = "worker-1", .greeting = "hello", .count = (int)(o->n ? o->n : 3)};
  long want = (long)a.count * (a.count + 1) * (2L * a.count + 1) / 6;
  pthread_t t;
  int before = primer_show_threads("before start", NULL, NULL);
  primer_say("main", "starting thread %s", a.name);
  if (pthread_create(&t, NULL, start_worker, &a) != 0)
    return primer_verdict(0, "pthread_create failed");
  pthread_join(t, NULL);
  primer_say("main", "joined %s, its result is %ld", a.name, a.result);
  const char *names[] = {a.name, NULL};
  int has;
  int after = primer_show_threads("after join", names, &has);
  return primer_verdict(a.result == want && after == before && !has,
                        "thread ran with its arguments and returned result=%ld (want %ld); "
                        "threads before=%d after=%d",
                        a.result, want, before, after);
}

const struct primer_cmd primer_cmd_start = {
    "start", "start a named thread with arguments, join it, read its result",
    " [-n COUNT]\n"
    "Start thread 'worker-1' with arguments (greeting, COUNT, default 3); it prints\n"
    "COUNT greetings and returns the sum of squares 1..COUNT, read after the join.\n",
    PRIMER_OPT_N, start_run};
