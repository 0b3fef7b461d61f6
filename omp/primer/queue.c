/* queue: producer / consumer over a bounded queue. The producer puts the
 * Fibonacci numbers up to 35, then a sentinel that tells the consumer to
 * stop. The queue holds 3 items: a full queue blocks the producer, an empty
 * one the consumer. --procs and --mpi are in queue_procs.c and queue_mpi.c.
 * Construct: a mutex and two condition variables (not full, not empty);
 * OpenMP has no condition variable, so this one is POSIX threads. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "primer.h"
#include "queue_common.h"

enum { QUEUE_CAP = 3 };
#define QUEUE_SENTINEL (-1L)

struct queue {
  long item[QUEUE_CAP];
  int head, size, max_size;
  pthread_mutex_t mu;
  pthread_cond_t not_full, not_empty;
};

struct queue_consumer {
  struct queue *q;
  long got[PRIMER_QUEUE_MAX + 1];
  int ngot, stopped;
};

static void queue_put(struct queue *q, long v)
{
  pthread_mutex_lock(&q->mu);
  if (q->size == QUEUE_CAP)
    primer_say("producer", "queue full (%d/%d), waiting", q->size, QUEUE_CAP);
  while (q->size == QUEUE_CAP)
    pthread_cond_wait(&q->not_full, &q->mu);
  q->item[(q->head + q->size) % QUEUE_CAP] = v;
  q->size++;
  if (q->size > q->max_size)
    q->max_size = q->size;
  if (v == QUEUE_SENTINEL)
    primer_say("producer", "put the sentinel (queue %d/%d)", q->size, QUEUE_CAP);
  else
    primer_say("producer", "put %ld (queue %d/%d)", v, q->size, QUEUE_CAP);
  pthread_cond_signal(&q->not_empty);
  pthread_mutex_unlock(&q->mu);
}

static long queue_get(struct queue *q)
{
  pthread_mutex_lock(&q->mu);
  while (q->size == 0)
    pthread_cond_wait(&q->not_empty, &q->mu);
  long v = q->item[q->head];
  q->head = (q->head + 1) % QUEUE_CAP;
  q->size--;
  pthread_cond_signal(&q->not_full);
  pthread_mutex_unlock(&q->mu);
  return v;
}

static void *queue_producer(void *p)
{
  struct queue *q = p;
  long items[PRIMER_QUEUE_MAX];
  int n = primer_queue_items(items);
  primer_set_name("producer");
  for (int i = 0; i < n; i++)
    queue_put(q, items[i]);
  queue_put(q, QUEUE_SENTINEL);
  return NULL;
}

static void *queue_consumer(void *p)
{
  struct queue_consumer *c = p;
  primer_set_name("consumer");
  for (;;) {
    long v = queue_get(c->q);
    if (v == QUEUE_SENTINEL) {
      primer_say("consumer", "got the sentinel: stopping");
      c->stopped = 1;
      return NULL;
    }
    primer_say("consumer", "got %ld", v);
    if (c->ngot < PRIMER_QUEUE_MAX)
      c->got[c->ngot++] = v;
    primer_sleep(0.01); /* a slower consumer: the producer meets a full queue */
  }
}

static int queue_run(const struct primer_opts *o)
{
  if (o->procs)
    return primer_queue_procs(o);
  if (o->mpi)
    return primer_queue_mpi(o);
  struct queue q = {.head = 0};
  struct queue_consumer c = {.q = &q};
  pthread_mutex_init(&q.mu, NULL);
  pthread_cond_init(&q.not_full, NULL);
  pthread_cond_init(&q.not_empty, NULL);
  pthread_t tp, tc;
  if (pthread_create(&tc, NULL, queue_consumer, &c) != 0 ||
      pthread_create(&tp, NULL, queue_producer, &q) != 0)
    return primer_verdict(0, "pthread_create failed");
  pthread_join(tp, NULL);
  pthread_join(tc, NULL);
  pthread_cond_destroy(&q.not_full);
  pthread_cond_destroy(&q.not_empty);
  pthread_mutex_destroy(&q.mu);
  char how[64];
  snprintf(how, sizeof how, "threads, queue of %d, at most %d held", QUEUE_CAP, q.max_size);
  if (q.max_size > QUEUE_CAP)
    return primer_verdict(0, "the queue held %d items, more than %d", q.max_size, QUEUE_CAP);
  return primer_queue_verdict(c.got, c.ngot, c.stopped, how);
}

const struct primer_cmd primer_cmd_queue = {
    "queue", "producer/consumer over a bounded queue with a sentinel (threads, --procs, --mpi)",
    " [--procs | --mpi]\n"
    "A producer puts the Fibonacci numbers up to 35 (0 1 1 2 3 5 8 13 21 34) into a\n"
    "queue, then a sentinel; the consumer prints each and stops at the sentinel.\n"
    "  (default)  two threads, a queue of 3 (mutex + condition variables)\n"
    "  --procs    two processes, a pipe (the kernel's bounded buffer), STOP line\n"
    "  --mpi      two ranks, synchronous sends and a STOP-tagged message:\n"
    "             mpirun -np 2 primer queue --mpi\n",
    PRIMER_OPT_PROCS | PRIMER_OPT_MPI, queue_run};
