#include "ctimeout.h"
#include "fd_write.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* What the child sends before its result bytes. */
struct ctimeout_header {
  int32_t rc;
  uint32_t truncated;
  uint64_t len;
};

static double ctimeout_now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The child: die with the parent, lead its own process group (so that a kill
 * also reaches whatever it starts), run fn, send header + result, exit
 * without running the parent's atexit handlers or flushing its stdio. */
static void ctimeout_child(int wfd, pid_t parent, ctimeout_fn fn, void *arg, char *out, size_t cap)
{
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) /* the parent died before prctl took effect */
    _exit(127);
  setpgid(0, 0);
  size_t len = 0;
  int rc = fn(arg, out, cap, &len);
  struct ctimeout_header h = {.rc = rc, .truncated = len > cap, .len = len > cap ? cap : len};
  if (fd_write_all(wfd, &h, sizeof h) != 0 ||
      (h.len > 0 && fd_write_all(wfd, out, (size_t)h.len) != 0))
    _exit(126);
  _exit(0);
}

/* Reap pid, retrying on EINTR. Returns 0 and the status, or -1 (ECHILD when
 * SIGCHLD is ignored and the kernel reaped it already). */
static int ctimeout_reap(pid_t pid, int *status)
{
  for (;;) {
    pid_t r = waitpid(pid, status, 0);
    if (r == pid)
      return 0;
    if (r < 0 && errno != EINTR)
      return -1;
  }
}

static void ctimeout_kill(pid_t pid)
{
  kill(-pid, SIGKILL); /* the child's group: the child and anything it forked */
  kill(pid, SIGKILL);  /* in case setpgid had not happened yet */
}

/* Incoming bytes: header first, then the result into out (the excess, if the
 * child sends more than it announced, is dropped). */
struct ctimeout_reader {
  struct ctimeout_header h;
  size_t hgot, dgot;
  char *out;
  size_t cap;
};

static void ctimeout_consume(struct ctimeout_reader *r, const char *buf, size_t n)
{
  while (n > 0 && r->hgot < sizeof r->h) {
    ((char *)&r->h)[r->hgot++] = *buf++;
    n--;
  }
  if (n == 0 || r->hgot < sizeof r->h)
    return;
  size_t want = (size_t)(r->h.len < r->cap ? r->h.len : r->cap);
  size_t take = want > r->dgot ? want - r->dgot : 0;
  if (take > n)
    take = n;
  if (take > 0) {
    memcpy(r->out + r->dgot, buf, take);
    r->dgot += take;
  }
}

/* Read until EOF or the deadline. Returns 1 at EOF, 0 on timeout, -1 on error. */
static int ctimeout_read(int rfd, double deadline, struct ctimeout_reader *r)
{
  char buf[4096];
  for (;;) {
    struct timespec ts, *tsp = NULL;
    if (deadline > 0) {
      double left = deadline - ctimeout_now();
      if (left <= 0)
        return 0;
      ts.tv_sec = (time_t)left;
      ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
      tsp = &ts;
    }
    struct pollfd pfd = {.fd = rfd, .events = POLLIN};
    int p = ppoll(&pfd, 1, tsp, NULL);
    if (p < 0 && errno == EINTR)
      continue;
    if (p < 0)
      return -1;
    if (p == 0)
      return 0;
    ssize_t n = read(rfd, buf, sizeof buf);
    if (n == 0)
      return 1;
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
      continue;
    if (n < 0)
      return -1;
    ctimeout_consume(r, buf, (size_t)n);
  }
}

/* After EOF the child normally exits at once, but it may also have closed
 * the pipe and gone on running: poll for its exit until the deadline. */
static int ctimeout_wait_exit(pid_t pid, double deadline, int *status)
{
  long nap_ns = 100000; /* 0.1 ms, doubling up to 10 ms */
  for (;;) {
    pid_t w = waitpid(pid, status, WNOHANG);
    if (w == pid)
      return 1;
    if (w < 0 && errno == EINTR)
      continue;
    if (w < 0)
      return -1;
    if (deadline > 0 && ctimeout_now() >= deadline)
      return 0;
    struct timespec nap = {0, nap_ns};
    nanosleep(&nap, NULL);
    if (nap_ns < 10000000)
      nap_ns *= 2;
  }
}

enum ctimeout_outcome ctimeout_call(ctimeout_fn fn, void *arg, double timeout_s, char *out,
                                    size_t cap, struct ctimeout_result *res)
{
  memset(res, 0, sizeof *res);
  res->timeout = timeout_s;
  if (out == NULL)
    cap = 0;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    res->errnum = errno;
    return res->outcome = CTIMEOUT_ERROR;
  }
  double t0 = ctimeout_now();
  double deadline = timeout_s > 0 ? t0 + timeout_s : 0;
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    res->errnum = errno;
    close(fds[0]);
    close(fds[1]);
    return res->outcome = CTIMEOUT_ERROR;
  }
  if (pid == 0) {
    close(fds[0]);
    ctimeout_child(fds[1], parent, fn, arg, out, cap);
  }
  close(fds[1]);
  setpgid(pid, pid); /* also done by the child: whichever runs first wins */

  struct ctimeout_reader rd = {.out = out, .cap = cap};
  int got = ctimeout_read(fds[0], deadline, &rd);
  int status = 0, exited = 0;
  if (got == 1)
    exited = ctimeout_wait_exit(pid, deadline, &status);
  if (exited != 1) {
    ctimeout_kill(pid);
    int reaped = ctimeout_reap(pid, &status) == 0;
    close(fds[0]);
    res->seconds = ctimeout_now() - t0;
    if (got == -1 || exited == -1 || !reaped) {
      res->errnum = errno;
      return res->outcome = CTIMEOUT_ERROR;
    }
    res->signal = SIGKILL;
    return res->outcome = CTIMEOUT_TIMED_OUT;
  }
  close(fds[0]);
  res->seconds = ctimeout_now() - t0;

  res->sent = rd.hgot == sizeof rd.h && rd.dgot == (rd.h.len < cap ? rd.h.len : cap);
  if (WIFSIGNALED(status)) {
    res->signal = WTERMSIG(status);
    return res->outcome = CTIMEOUT_CRASHED;
  }
  if (!res->sent || WEXITSTATUS(status) != 0) {
    res->sent = 0;
    res->status = WEXITSTATUS(status);
    return res->outcome = CTIMEOUT_FAILED;
  }
  res->len = rd.dgot;
  res->truncated = rd.h.truncated || rd.h.len > cap;
  res->status = rd.h.rc;
  return res->outcome = rd.h.rc == 0 ? CTIMEOUT_DONE : CTIMEOUT_FAILED;
}

const char *ctimeout_outcome_name(enum ctimeout_outcome outcome)
{
  switch (outcome) {
  case CTIMEOUT_DONE:
    return "done";
  case CTIMEOUT_TIMED_OUT:
    return "timed out";
  case CTIMEOUT_CRASHED:
    return "crashed";
  case CTIMEOUT_FAILED:
    return "failed";
  case CTIMEOUT_ERROR:
    return "error";
  }
  return "?";
}

void ctimeout_describe(const struct ctimeout_result *res, const char *out, char *buf,
                       size_t bufsize)
{
  switch (res->outcome) {
  case CTIMEOUT_DONE:
    snprintf(buf, bufsize, "done in %.3f s", res->seconds);
    break;
  case CTIMEOUT_TIMED_OUT:
    snprintf(buf, bufsize, "timed out after %.2f s (limit %g s); the child was killed",
             res->seconds, res->timeout);
    break;
  case CTIMEOUT_CRASHED:
    snprintf(buf, bufsize, "crashed with signal %d (%s)", res->signal, strsignal(res->signal));
    break;
  case CTIMEOUT_FAILED:
    if (res->sent && res->len > 0 && out != NULL)
      snprintf(buf, bufsize, "%.*s", (int)res->len, out);
    else if (res->sent)
      snprintf(buf, bufsize, "failed with code %d", res->status);
    else
      snprintf(buf, bufsize, "the child exited with status %d without a result", res->status);
    break;
  case CTIMEOUT_ERROR:
    snprintf(buf, bufsize, "could not run the call: %s", strerror(res->errnum));
    break;
  }
}
