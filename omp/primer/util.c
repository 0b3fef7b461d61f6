/* Helpers shared by the demos: the clock, one-write lines, verdicts, thread
 * and process listings from /proc. */
#include <dirent.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "primer.h"
#include "rng.h"

static double primer_t0;

static double primer_clock(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void primer_clock_start(void)
{
  primer_t0 = primer_clock();
}

/* CLOCK_MONOTONIC is system-wide, so forked children share the origin. */
double primer_now(void)
{
  return primer_clock() - primer_t0;
}

void primer_sleep(double seconds)
{
  if (seconds <= 0)
    return;
  struct timespec ts = {(time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9)};
  while (nanosleep(&ts, &ts) != 0)
    ;
}

static void primer_write_line(const char *line, size_t len)
{
  fflush(stdout); /* keep order with anything printed through stdio */
  while (len > 0) {
    ssize_t w = write(STDOUT_FILENO, line, len);
    if (w <= 0)
      return;
    line += w;
    len -= (size_t)w;
  }
}

static void primer_vline(char *buf, size_t cap, size_t len, const char *fmt, va_list ap)
{
  if (len < cap)
    len += (size_t)vsnprintf(buf + len, cap - len, fmt, ap);
  if (len > cap - 2)
    len = cap - 2;
  buf[len++] = '\n';
  buf[len] = '\0';
  primer_write_line(buf, len);
}

void primer_say(const char *who, const char *fmt, ...)
{
  char buf[1024];
  size_t len = (size_t)snprintf(buf, sizeof buf, "%7.3f  %-10s  ", primer_now(), who);
  va_list ap;
  va_start(ap, fmt);
  primer_vline(buf, sizeof buf, len, fmt, ap);
  va_end(ap);
}

int primer_verdict(int ok, const char *fmt, ...)
{
  char buf[1024];
  size_t len = (size_t)snprintf(buf, sizeof buf, "verdict: %s: ", ok ? "ok" : "FAIL");
  va_list ap;
  va_start(ap, fmt);
  primer_vline(buf, sizeof buf, len, fmt, ap);
  va_end(ap);
  return ok ? 0 : 1;
}

double primer_uniform(uint64_t seed, uint64_t i, double lo, double hi)
{
  return lo + (hi - lo) * (double)(rng_at(seed, i) >> 11) * 0x1.0p-53;
}

void primer_set_name(const char *name)
{
  prctl(PR_SET_NAME, name, 0, 0, 0); /* the calling thread; 15 characters at most */
}

/* First line of a small /proc file, without its newline. */
static int primer_read_proc(const char *path, char *buf, size_t cap)
{
  FILE *f = fopen(path, "r");
  if (f == NULL)
    return -1;
  size_t n = fread(buf, 1, cap - 1, f);
  fclose(f);
  buf[n] = '\0';
  buf[strcspn(buf, "\n")] = '\0';
  return 0;
}

int primer_show_threads(const char *when, const char *const *names, int *found)
{
  DIR *d = opendir("/proc/self/task");
  struct dirent *e;
  char line[900], comm[64], path[300];
  int n = 0;
  size_t len = 0;
  if (found)
    *found = 0;
  if (d == NULL)
    return -1;
  line[0] = '\0';
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9')
      continue;
    snprintf(path, sizeof path, "/proc/self/task/%s/comm", e->d_name);
    if (primer_read_proc(path, comm, sizeof comm) != 0)
      continue;
    n++;
    for (int k = 0; found && names && names[k]; k++)
      if (strcmp(comm, names[k]) == 0)
        ++*found;
    int main_thread = atoi(e->d_name) == (int)getpid();
    if (len < sizeof line)
      len += (size_t)snprintf(line + len, sizeof line - len, "%s %s %s%s", len ? "," : "",
                              e->d_name, comm, main_thread ? " (main)" : "");
  }
  closedir(d);
  primer_say("main", "threads %s: %d:%s", when, n, line);
  return n;
}

int primer_show_children(const char *when, pid_t pid, char *state)
{
  DIR *d = opendir("/proc");
  struct dirent *e;
  char line[900], stat[600], path[300];
  int n = 0;
  size_t len = 0;
  *state = '-';
  if (d == NULL)
    return -1;
  line[0] = '\0';
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9')
      continue;
    snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
    if (primer_read_proc(path, stat, sizeof stat) != 0)
      continue;
    /* "pid (comm) S ppid ...": comm may hold spaces and parentheses */
    char *lp = strchr(stat, '('), *rp = strrchr(stat, ')');
    char st;
    int ppid;
    if (lp == NULL || rp == NULL || sscanf(rp + 1, " %c %d", &st, &ppid) != 2 ||
        ppid != (int)getpid())
      continue;
    *rp = '\0';
    n++;
    if (atoi(e->d_name) == (int)pid)
      *state = st;
    if (len < sizeof line)
      len += (size_t)snprintf(line + len, sizeof line - len, "%s %s %s [%c]", len ? "," : "",
                              e->d_name, lp + 1, st);
  }
  closedir(d);
  primer_say("main", "child processes %s: %d%s%s", when, n, n ? ":" : "", line);
  return n;
}

pid_t primer_fork(void)
{
  fflush(NULL);
  return fork();
}
