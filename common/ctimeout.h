/* Call a function with a timeout by running it in a forked child process.
 *
 * A blocking call that has no timeout of its own (getaddrinfo, a stuck read
 * on a network file system, a library that loops) cannot be interrupted
 * safely inside the calling thread. Running it in a child process can: the
 * child passes its result back through a pipe, the parent waits with a
 * deadline, and on overrun it kills the child (and anything the child
 * started, via the child's process group) and reaps it.
 *
 * Guarantees, whatever happens: the child is reaped before ctimeout_call
 * returns (no zombie), both pipe ends are closed in the parent (no leaked
 * descriptor), and the child dies with the calling thread if the caller is
 * killed (PR_SET_PDEATHSIG). The pipe is close-on-exec, so other threads that
 * exec do not inherit it.
 *
 * The function runs in a copy of the process made by fork(): it sees the
 * caller's memory as it was, but its changes are not seen by the caller. In a
 * multi-threaded caller only the forking thread exists in the child, so the
 * function must not need locks that other threads might hold. The caller must
 * not reap children behind our back (SIGCHLD set to SIG_IGN, or a handler
 * calling waitpid(-1)): the outcome is then ERROR. */
#ifndef CONCUR_CTIMEOUT_H
#define CONCUR_CTIMEOUT_H

#include <stddef.h>

/* How the call ended. */
enum ctimeout_outcome {
  CTIMEOUT_DONE,      /* fn returned 0; its result is in out[0..len) */
  CTIMEOUT_TIMED_OUT, /* deadline passed: child killed with SIGKILL and reaped */
  CTIMEOUT_CRASHED,   /* the child was killed by a signal (res.signal) */
  CTIMEOUT_FAILED,    /* fn returned non-zero (res.status; out may hold its message),
                         or the child exited without sending a result */
  CTIMEOUT_ERROR      /* the call could not be started (pipe/fork failed, res.errnum) */
};

struct ctimeout_result {
  enum ctimeout_outcome outcome;
  int status;     /* FAILED: fn's return value, or the child's exit status if it sent
                     nothing (then `sent` is 0) */
  int sent;       /* 1 if the child sent its result through the pipe */
  int signal;     /* CRASHED: the signal; TIMED_OUT: SIGKILL */
  int errnum;     /* ERROR: errno of the failed system call */
  size_t len;     /* bytes of result in out (DONE and FAILED) */
  int truncated;  /* the child's result did not fit in out and was cut */
  double seconds; /* from fork to reaped, wall clock */
  double timeout; /* the limit that was asked for (<= 0: none) */
};

/* The function run in the child: write at most cap bytes of result to out,
 * set *len, return 0 for success or non-zero for a failure (out may then
 * hold a message). */
typedef int (*ctimeout_fn)(void *arg, char *out, size_t cap, size_t *len);

/* Run fn(arg) in a child and wait at most timeout_s seconds (<= 0: no limit).
 * out/cap receive the result (out may be NULL when cap is 0). Fills *res and
 * returns res->outcome. */
enum ctimeout_outcome ctimeout_call(ctimeout_fn fn, void *arg, double timeout_s, char *out,
                                    size_t cap, struct ctimeout_result *res);

/* "done", "timed out", "crashed", "failed", "error". */
const char *ctimeout_outcome_name(enum ctimeout_outcome outcome);

/* One-line human description of a result, e.g. "timed out after 1.00 s",
 * "crashed with signal 11 (Segmentation fault)", "failed: <fn's message>". */
void ctimeout_describe(const struct ctimeout_result *res, const char *out, char *buf,
                       size_t bufsize);

#endif
