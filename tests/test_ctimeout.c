/* Unit tests of the call-with-timeout helper (common/ctimeout.h): each outcome
 * (done, failed, timed out, crashed), result truncation, the kill reaching
 * what the child started, and after all of it: no child process left (live
 * or zombie) and no file descriptor leaked. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "ctimeout.h"

static int count_fds(void)
{
  DIR *d = opendir("/proc/self/fd");
  int n = 0;
  if (d == NULL)
    return -1;
  while (readdir(d) != NULL)
    n++;
  closedir(d);
  return n;
}

/* Processes whose parent is us, from /proc (zombies included). */
static int count_children(void)
{
  DIR *d = opendir("/proc");
  int n = 0;
  struct dirent *e;
  if (d == NULL)
    return -1;
  while ((e = readdir(d)) != NULL) {
    char path[300], buf[512];
    if (e->d_name[0] < '0' || e->d_name[0] > '9')
      continue;
    snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
    FILE *f = fopen(path, "r");
    if (f == NULL)
      continue;
    size_t len = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[len] = '\0';
    char *rp = strrchr(buf, ')');
    char state;
    int ppid;
    if (rp != NULL && sscanf(rp + 1, " %c %d", &state, &ppid) == 2 && ppid == (int)getpid())
      n++;
  }
  closedir(d);
  return n;
}

static int fn_hello(void *arg, char *out, size_t cap, size_t *len)
{
  (void)arg;
  *len = (size_t)snprintf(out, cap, "hello");
  return 0;
}

static int fn_nothing(void *arg, char *out, size_t cap, size_t *len)
{
  (void)arg, (void)out, (void)cap;
  *len = 0;
  return 0;
}

static int fn_fail(void *arg, char *out, size_t cap, size_t *len)
{
  (void)arg;
  *len = (size_t)snprintf(out, cap, "no such thing");
  return 3;
}

static int fn_exit7(void *arg, char *out, size_t cap, size_t *len)
{
  (void)arg, (void)out, (void)cap, (void)len;
  _exit(7);
}

static int fn_sleep(void *arg, char *out, size_t cap, size_t *len)
{
  (void)out, (void)cap, (void)len;
  sleep(*(unsigned *)arg);
  return 0;
}

static int fn_abort(void *arg, char *out, size_t cap, size_t *len)
{
  (void)arg, (void)out, (void)cap, (void)len;
  abort();
}

/* A real SIGSEGV, with the sanitizers' handler set aside so that the signal
 * (not their report) ends the child. */
static int fn_segv(void *arg, char *out, size_t cap, size_t *len)
{
  (void)arg, (void)out, (void)cap, (void)len;
  signal(SIGSEGV, SIG_DFL);
  raise(SIGSEGV);
  return 0;
}

static int fn_big(void *arg, char *out, size_t cap, size_t *len)
{
  (void)arg;
  memset(out, 'x', cap);
  *len = 1000; /* more than fits */
  return 0;
}

/* Starts a grandchild that would sleep for a minute, tells its pid through
 * shared memory, then hangs itself. */
static int fn_grandchild(void *arg, char *out, size_t cap, size_t *len)
{
  (void)out, (void)cap, (void)len;
  volatile pid_t *shared = arg;
  pid_t g = fork();
  if (g == 0) {
    sleep(60);
    _exit(0);
  }
  *shared = g;
  sleep(60);
  return 0;
}

/* Gone, or a zombie waiting for init: either way no longer running. */
static int process_gone(pid_t pid)
{
  for (int i = 0; i < 200; i++) {
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
      return 1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *rp = strrchr(buf, ')');
    if (rp != NULL && (rp[2] == 'Z' || rp[2] == 'X'))
      return 1;
    usleep(10000);
  }
  return 0;
}

int main(void)
{
  struct rlimit nocore = {0, 0};
  setrlimit(RLIMIT_CORE, &nocore); /* the crash tests must not write core files */
  int fds0 = count_fds();
  char out[64];
  struct ctimeout_result r;

  CHECK(ctimeout_call(fn_hello, NULL, 5.0, out, sizeof out, &r) == CTIMEOUT_DONE);
  CHECK(r.len == 5 && memcmp(out, "hello", 5) == 0 && r.status == 0 && !r.truncated);
  CHECK(ctimeout_call(fn_hello, NULL, 0, out, sizeof out, &r) == CTIMEOUT_DONE);
  CHECK(ctimeout_call(fn_nothing, NULL, 5.0, NULL, 0, &r) == CTIMEOUT_DONE && r.len == 0);

  CHECK(ctimeout_call(fn_fail, NULL, 5.0, out, sizeof out, &r) == CTIMEOUT_FAILED);
  CHECK(r.sent && r.status == 3 && r.len == 13 && memcmp(out, "no such thing", 13) == 0);

  CHECK(ctimeout_call(fn_exit7, NULL, 5.0, out, sizeof out, &r) == CTIMEOUT_FAILED);
  CHECK(!r.sent && r.status == 7);

  CHECK(ctimeout_call(fn_big, NULL, 5.0, out, 10, &r) == CTIMEOUT_DONE);
  CHECK(r.len == 10 && r.truncated);

  /* Killed on time: the overrun (time past the limit until the child is
   * reaped) is measured and printed; the bound is generous for a loaded box. */
  unsigned secs = 30;
  double limit = 0.3;
  CHECK(ctimeout_call(fn_sleep, &secs, limit, out, sizeof out, &r) == CTIMEOUT_TIMED_OUT);
  CHECK(r.signal == SIGKILL);
  CHECK(r.seconds >= limit && r.seconds < limit + 2.0);
  printf("sleeping call, limit %.3f s: returned after %.4f s, overrun %.2f ms\n", limit, r.seconds,
         1e3 * (r.seconds - limit));

  CHECK(ctimeout_call(fn_abort, NULL, 5.0, out, sizeof out, &r) == CTIMEOUT_CRASHED);
  CHECK(r.signal == SIGABRT);
  CHECK(ctimeout_call(fn_segv, NULL, 5.0, out, sizeof out, &r) == CTIMEOUT_CRASHED);
  CHECK(r.signal == SIGSEGV);
  char why[200];
  ctimeout_describe(&r, out, why, sizeof why);
  CHECK(strstr(why, "signal 11") != NULL);
  printf("crashing call: %s\n", why);

  /* The kill reaches the child's whole process group. */
  volatile pid_t *shared =
      mmap(NULL, sizeof(pid_t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  CHECK(shared != MAP_FAILED);
  if (shared != MAP_FAILED) {
    *shared = 0;
    CHECK(ctimeout_call(fn_grandchild, (void *)shared, 0.5, out, sizeof out, &r) ==
          CTIMEOUT_TIMED_OUT);
    CHECK(*shared > 0 && process_gone(*shared));
    munmap((void *)shared, sizeof(pid_t));
  }

  /* Nothing left behind: no child (live or zombie), no descriptor. */
  CHECK(count_children() == 0);
  errno = 0;
  CHECK(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD);
  CHECK(count_fds() == fds0);
  return check_summary("ctimeout");
}
