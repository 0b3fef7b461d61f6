/* queue --procs: the producer is a child process and the queue is a pipe, a
 * bounded buffer in the kernel (write blocks when it is full, read when it
 * is empty). Items travel as text lines; the sentinel is the line "STOP".
 * Construct: fork + pipe (+ F_SETPIPE_SZ to make the buffer small). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "primer.h"
#include "queue_common.h"

static void queue_procs_producer(int fd)
{
  long items[PRIMER_QUEUE_MAX];
  int n = primer_queue_items(items);
  char who[32], line[32];
  primer_set_name("producer");
  snprintf(who, sizeof who, "producer[%d]", (int)getpid());
  for (int i = 0; i < n; i++) {
    int len = snprintf(line, sizeof line, "%ld\n", items[i]);
    if (write(fd, line, (size_t)len) != len)
      _exit(1);
    primer_say(who, "put %ld", items[i]);
  }
  if (write(fd, "STOP\n", 5) != 5)
    _exit(1);
  primer_say(who, "put STOP");
  close(fd);
  _exit(0);
}

int primer_queue_procs(const struct primer_opts *o)
{
  (void)o;
  int fds[2];
  if (pipe(fds) != 0)
    return primer_verdict(0, "pipe failed");
  int cap = fcntl(fds[1], F_SETPIPE_SZ, 4096); /* a small buffer: the smallest allowed */
  if (cap < 0)
    cap = fcntl(fds[1], F_GETPIPE_SZ);
  pid_t pid = primer_fork();
  if (pid < 0)
    return primer_verdict(0, "fork failed");
  if (pid == 0) {
    close(fds[0]);
    queue_procs_producer(fds[1]);
  }
  close(fds[1]);
  char who[32];
  snprintf(who, sizeof who, "consumer[%d]", (int)getpid());
  primer_say(who, "reading from the pipe (buffer %d bytes) fed by producer %d", cap, (int)pid);
  FILE *in = fdopen(fds[0], "r");
  long got[PRIMER_QUEUE_MAX];
  int ngot = 0, stopped = 0;
  char *line = NULL;
  size_t linecap = 0;
  while (in != NULL && getline(&line, &linecap, in) > 0) {
    line[strcspn(line, "\n")] = '\0';
    if (strcmp(line, "STOP") == 0) {
      primer_say(who, "got STOP: stopping");
      stopped = 1;
      break;
    }
    char *end;
    long v = strtol(line, &end, 10);
    primer_say(who, "got %ld", v);
    if (ngot < PRIMER_QUEUE_MAX)
      got[ngot++] = v;
  }
  free(line);
  if (in != NULL)
    fclose(in);
  else
    close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return primer_verdict(0, "the producer process failed (status %d)", status);
  return primer_queue_verdict(got, ngot, stopped, "processes, a pipe");
}
