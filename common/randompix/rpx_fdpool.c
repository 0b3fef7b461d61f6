/* randompix: unnamed files made ahead of need, off the async engine's
 * thread.
 *
 * Creating a file is the slowest system call of a download on a disk file
 * system (openat: about 0.4 ms on this machine's ext4, more when the journal
 * is busy, against 7 us for a write); the async engine is one thread, so
 * every creation holds back every transfer. A helper thread keeps a few
 * unnamed (O_TMPFILE) files open in the output folder; a transfer takes one
 * (or, when none is ready, makes its own as before). Unused ones vanish
 * with their descriptors at the end. Not for .part files (--resume, file
 * systems without O_TMPFILE): those are made where they are needed. */
#include "rpx_int.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

struct rpx_fdpool {
  pthread_t th;
  pthread_mutex_t m;
  pthread_cond_t want;
  int *fds;
  int n, cap, stop, dirfd;
};

static void *fdpool_main(void *arg)
{
  struct rpx_fdpool *p = arg;
  pthread_mutex_lock(&p->m);
  while (!p->stop) {
    if (p->n >= p->cap) {
      pthread_cond_wait(&p->want, &p->m);
      continue;
    }
    pthread_mutex_unlock(&p->m);
    int fd = openat(p->dirfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
    pthread_mutex_lock(&p->m);
    if (fd < 0)
      break; /* the engine makes its own from now on */
    p->fds[p->n++] = fd;
  }
  pthread_mutex_unlock(&p->m);
  return NULL;
}

struct rpx_fdpool *rpx_fdpool_start(int dirfd, int cap)
{
  struct rpx_fdpool *p = calloc(1, sizeof *p);
  if (p == NULL || (p->fds = malloc((size_t)cap * sizeof *p->fds)) == NULL) {
    free(p);
    return NULL;
  }
  p->cap = cap;
  p->dirfd = dirfd;
  pthread_mutex_init(&p->m, NULL);
  pthread_cond_init(&p->want, NULL);
  if (pthread_create(&p->th, NULL, fdpool_main, p) != 0) {
    pthread_mutex_destroy(&p->m);
    pthread_cond_destroy(&p->want);
    free(p->fds);
    free(p);
    return NULL;
  }
  return p;
}

int rpx_fdpool_take(struct rpx_fdpool *p)
{
  int fd = -1;
  if (p == NULL)
    return -1;
  pthread_mutex_lock(&p->m);
  if (p->n > 0)
    fd = p->fds[--p->n];
  pthread_cond_signal(&p->want);
  pthread_mutex_unlock(&p->m);
  return fd;
}

void rpx_fdpool_stop(struct rpx_fdpool *p)
{
  if (p == NULL)
    return;
  pthread_mutex_lock(&p->m);
  p->stop = 1;
  pthread_cond_signal(&p->want);
  pthread_mutex_unlock(&p->m);
  pthread_join(p->th, NULL);
  for (int i = 0; i < p->n; i++)
    close(p->fds[i]);
  pthread_mutex_destroy(&p->m);
  pthread_cond_destroy(&p->want);
  free(p->fds);
  free(p);
}
