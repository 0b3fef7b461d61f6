/* randompix: the async engine's file writes and SHA-256s, on a thread of
 * their own.
 *
 * The async engine is one thread: every write(2) and every hash it does
 * holds back every transfer. Hashing costs about 0.8 ms per MB here (libcrypto
 * with the CPU's SHA instructions), so with --manifest a 1 MB file's hash
 * took longer than its transfer; writes to a busy disk can block for
 * milliseconds. The transfer thread copies each piece of a body into a
 * buffer and queues it; this thread writes the pieces to their files and
 * hashes them, in the order they came (one queue, so a file's pieces never
 * pass each other). A transfer whose pieces are still queued when libcurl
 * finishes it is judged once they are written (rpx_writer_idle); the last
 * piece wakes the engine's curl_multi_poll. A full queue (a disk slower
 * than the network) makes the transfer thread wait: memory stays bounded.
 *
 * Small bodies without a hash are written at once on the transfer thread:
 * one short write costs less than handing it over. */
#include "rpx_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fd_write.h"

#define WRITER_PIECE   65536 /* libcurl's buffer (CURLOPT_BUFFERSIZE): a piece fits */
#define WRITER_BUFFERS 64    /* 4 MiB queued at most */
#define WRITER_INLINE  65536 /* bodies up to this, unhashed, are written at once */
#define WRITER_BATCH   4     /* pieces queued before a sleeping writer is woken */

struct writer_piece {
  struct writer_piece *next;
  struct rpx_xfer *x;
  size_t len;
  char data[WRITER_PIECE];
};

struct rpx_writer {
  pthread_t th;
  pthread_mutex_t m;
  pthread_cond_t work, room;
  struct writer_piece *head, *tail, *spare;
  int made, stop, waiting;
  int queued, asleep; /* pieces in the queue; the writer waits for work */
  CURLM *wake;
};

/* Under wr->m: wake a sleeping writer for what is queued. */
static void writer_wake(struct rpx_writer *wr)
{
  if (wr->queued > 0 && wr->asleep)
    pthread_cond_signal(&wr->work);
}

static void writer_one(struct writer_piece *p)
{
  struct rpx_xfer *x = p->x;
  if (__atomic_load_n(&x->wq_errno, __ATOMIC_RELAXED) != 0) /* only this thread sets it */
    return;
  if (fd_write_all(x->fd, p->data, p->len) != 0) /* the transfer thread looks before each piece */
    __atomic_store_n(&x->wq_errno, errno, __ATOMIC_RELAXED);
  else if (x->c->hash)
    rpx_sha256_update(&x->sha, p->data, p->len);
}

static void *writer_main(void *arg)
{
  struct rpx_writer *wr = arg;
  pthread_mutex_lock(&wr->m);
  for (;;) {
    struct writer_piece *p = wr->head;
    if (p == NULL) {
      if (wr->stop)
        break;
      wr->asleep = 1;
      pthread_cond_wait(&wr->work, &wr->m);
      wr->asleep = 0;
      continue;
    }
    wr->head = p->next;
    wr->queued--;
    if (wr->head == NULL)
      wr->tail = NULL;
    pthread_mutex_unlock(&wr->m);
    writer_one(p);
    struct rpx_xfer *x = p->x;
    /* seq_cst against the engine's wq_finishing: one of the two sees the other */
    int last = __atomic_sub_fetch(&x->wq_pending, 1, __ATOMIC_SEQ_CST) == 0;
    if (last && __atomic_load_n(&x->wq_finishing, __ATOMIC_SEQ_CST))
      curl_multi_wakeup(wr->wake);
    pthread_mutex_lock(&wr->m);
    p->next = wr->spare;
    wr->spare = p;
    if (wr->waiting)
      pthread_cond_broadcast(&wr->room);
  }
  pthread_mutex_unlock(&wr->m);
  return NULL;
}

struct rpx_writer *rpx_writer_start(CURLM *wake)
{
  struct rpx_writer *wr = calloc(1, sizeof *wr);
  if (wr == NULL)
    return NULL;
  wr->wake = wake;
  pthread_mutex_init(&wr->m, NULL);
  pthread_cond_init(&wr->work, NULL);
  pthread_cond_init(&wr->room, NULL);
  if (pthread_create(&wr->th, NULL, writer_main, wr) != 0) {
    pthread_mutex_destroy(&wr->m);
    pthread_cond_destroy(&wr->work);
    pthread_cond_destroy(&wr->room);
    free(wr);
    return NULL;
  }
  return wr;
}

int rpx_writer_wants(const struct rpx_writer *wr, const struct rpx_xfer *x, size_t n)
{
  return wr != NULL && (x->c->hash || x->wq_used || x->bytes + n > WRITER_INLINE);
}

int rpx_writer_put(struct rpx_writer *wr, struct rpx_xfer *x, const char *data, size_t n)
{
  while (n > 0) {
    size_t len = n < WRITER_PIECE ? n : WRITER_PIECE;
    pthread_mutex_lock(&wr->m);
    struct writer_piece *p = wr->spare;
    while (p == NULL && wr->made >= WRITER_BUFFERS) {
      writer_wake(wr); /* (every buffer is queued) */
      wr->waiting++;   /* the disk is slower than the network: wait for it */
      pthread_cond_wait(&wr->room, &wr->m);
      wr->waiting--;
      p = wr->spare;
    }
    if (p != NULL)
      wr->spare = p->next;
    pthread_mutex_unlock(&wr->m);
    if (p == NULL) {
      p = malloc(sizeof *p);
      if (p == NULL)
        return -1;
      pthread_mutex_lock(&wr->m);
      wr->made++;
      pthread_mutex_unlock(&wr->m);
    }
    memcpy(p->data, data, len);
    p->len = len;
    p->x = x;
    p->next = NULL;
    x->wq_used = 1; /* from now on every piece of this body goes through the queue */
    __atomic_add_fetch(&x->wq_pending, 1, __ATOMIC_SEQ_CST);
    pthread_mutex_lock(&wr->m);
    if (wr->tail != NULL)
      wr->tail->next = p;
    else
      wr->head = p;
    wr->tail = p;
    /* Waking the writer costs about as much as writing a piece to tmpfs:
     * it is woken for a batch, or by rpx_writer_kick when the engine is
     * about to wait or a finished transfer waits for its last pieces. */
    if (++wr->queued >= WRITER_BATCH && wr->asleep)
      pthread_cond_signal(&wr->work);
    pthread_mutex_unlock(&wr->m);
    data += len;
    n -= len;
  }
  return 0;
}

void rpx_writer_kick(struct rpx_writer *wr)
{
  if (wr == NULL)
    return;
  pthread_mutex_lock(&wr->m);
  writer_wake(wr);
  pthread_mutex_unlock(&wr->m);
}

int rpx_writer_idle(struct rpx_writer *wr, struct rpx_xfer *x)
{
  __atomic_store_n(&x->wq_finishing, 1, __ATOMIC_SEQ_CST);
  if (__atomic_load_n(&x->wq_pending, __ATOMIC_SEQ_CST) == 0)
    return 1;
  rpx_writer_kick(wr); /* its last pieces may be waiting for a batch */
  return 0;
}

void rpx_writer_wait(struct rpx_writer *wr, struct rpx_xfer *x)
{
  if (wr == NULL)
    return;
  pthread_mutex_lock(&wr->m);
  writer_wake(wr);
  while (__atomic_load_n(&x->wq_pending, __ATOMIC_SEQ_CST) > 0) {
    wr->waiting++; /* woken as each piece is done */
    pthread_cond_wait(&wr->room, &wr->m);
    wr->waiting--;
  }
  pthread_mutex_unlock(&wr->m);
  /* atomic: the writer may still be reading it after its last piece */
  __atomic_store_n(&x->wq_finishing, 0, __ATOMIC_RELAXED);
}

void rpx_writer_stop(struct rpx_writer *wr)
{
  if (wr == NULL)
    return;
  pthread_mutex_lock(&wr->m);
  wr->stop = 1;
  pthread_cond_signal(&wr->work);
  pthread_mutex_unlock(&wr->m);
  pthread_join(wr->th, NULL);
  while (wr->spare != NULL) {
    struct writer_piece *p = wr->spare;
    wr->spare = p->next;
    free(p);
  }
  pthread_mutex_destroy(&wr->m);
  pthread_cond_destroy(&wr->work);
  pthread_cond_destroy(&wr->room);
  free(wr);
}
