/* info: which thread am I, and which threads exist, before, during and after.
 * Construct: pthread_self/gettid and the names in /proc/self/task (the
 * counterparts of threading.current_thread() and threading.enumerate()). */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#include "primer.h"

struct info_worker {
  const char *name;
  pthread_barrier_t *up, *listed;
};

/* What the calling thread knows about itself. */
static void info_whoami(const char *who)
{
  char name[32] = "?";
  pthread_getname_np(pthread_self(), name, sizeof name);
  primer_say(who, "current thread: name=%s tid=%d pid=%d main=%s", name, (int)gettid(),
             (int)getpid(), gettid() == getpid() ? "yes" : "no");
}

static void *info_thread(void *p)
{
  struct info_worker *w = p;
  primer_set_name(w->name);
  info_whoami(w->name);
  pthread_barrier_wait(w->up);     /* running: main may list us */
  pthread_barrier_wait(w->listed); /* main has listed: we may end */
  return NULL;
}

static int info_run(const struct primer_opts *o)
{
  (void)o;
  pthread_barrier_t up, listed;
  pthread_barrier_init(&up, NULL, 3);
  pthread_barrier_init(&listed, NULL, 3);
  struct info_worker w[2] = {{"alpha", &up, &listed}, {"beta", &up, &listed}};
  pthread_t t[2];
  info_whoami("main");
  int before = primer_show_threads("before start", NULL, NULL);
  for (int i = 0; i < 2; i++)
    if (pthread_create(&t[i], NULL, info_thread, &w[i]) != 0)
      return primer_verdict(0, "pthread_create failed");
  pthread_barrier_wait(&up);
  const char *names[] = {"alpha", "beta", NULL};
  int listed_during, listed_after;
  int during = primer_show_threads("while running", names, &listed_during);
  pthread_barrier_wait(&listed);
  for (int i = 0; i < 2; i++)
    pthread_join(t[i], NULL);
  int after = primer_show_threads("after join", names, &listed_after);
  pthread_barrier_destroy(&up);
  pthread_barrier_destroy(&listed);
  return primer_verdict(listed_during == 2 && listed_after == 0 && during == before + 2 &&
                            after == before,
                        "threads before=%d during=%d after=%d; alpha and beta listed while "
                        "running, gone after the join",
                        before, during, after);
}

const struct primer_cmd primer_cmd_info = {
    "info", "current thread and all threads, before, during and after a join",
    "\nShow the current thread (name, tid, main or not) from main and from two\n"
    "named threads, and list all threads of the process before they start, while\n"
    "they run, and after they are joined.\n",
    0, info_run};
