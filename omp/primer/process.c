/* process: the start demo with a child process instead of a thread.
 * Construct: fork + waitpid (a process is started by copying this one; its
 * exit status is its result; until the parent reaps it, an ended child stays
 * a zombie, shown here with waitid(WNOWAIT)). */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "primer.h"

static void process_child(int ready, int go, const char *greeting, int count)
{
  char who[24], c = 1;
  primer_set_name("child-1");
  if (write(ready, &c, 1) != 1) /* named: the parent may list us */
    _exit(1);
  close(ready);
  snprintf(who, sizeof who, "child-1");
  primer_say(who, "started: pid=%d parent=%d, args (greeting=\"%s\", count=%d)", (int)getpid(),
             (int)getppid(), greeting, count);
  while (read(go, &c, 1) > 0) /* wait until the parent has listed us */
    ;
  int sum = 0;
  for (int i = 1; i <= count; i++)
    sum += i * i;
  primer_say(who, "%s; exiting with status %d (sum of squares 1..%d)", greeting, sum, count);
  _exit(sum);
}

static int process_run(const struct primer_opts *o)
{
  int count = (int)(o->n ? o->n : 3);
  if (count > 6)
    count = 6; /* the result travels as an exit status: 0..255 */
  int want = count * (count + 1) * (2 * count + 1) / 6;
  int go[2], ready[2];
  char st_before, st_running, st_zombie, st_after;
  primer_say("main", "I am pid %d", (int)getpid());
  int before = primer_show_children("before start", 0, &st_before);
  if (pipe(go) != 0 || pipe(ready) != 0)
    return primer_verdict(0, "pipe failed");
  pid_t pid = primer_fork();
  if (pid < 0)
    return primer_verdict(0, "fork failed");
  if (pid == 0) {
    close(go[1]);
    close(ready[0]);
    process_child(ready[1], go[0], "hello", count);
  }
  close(go[0]);
  close(ready[1]);
  primer_say("main", "started child %d", (int)pid);
  char c;
  if (read(ready[0], &c, 1) != 1) /* it has named itself */
    primer_say("main", "child %d ended before it was ready", (int)pid);
  close(ready[0]);
  primer_show_children("while running", pid, &st_running);
  close(go[1]); /* the child may finish now */
  siginfo_t si;
  waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT); /* ended, not yet reaped */
  primer_show_children("ended, not reaped", pid, &st_zombie);
  int status = 0;
  waitpid(pid, &status, 0);
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  primer_say("main", "reaped child %d: exit status %d", (int)pid, code);
  int after = primer_show_children("after reaping", pid, &st_after);
  return primer_verdict(st_running != '-' && st_after == '-' && after == before && code == want,
                        "child ran (state %c), ended (state %c), was reaped (gone), exit "
                        "status=%d (want %d)",
                        st_running, st_zombie, code, want);
}

const struct primer_cmd primer_cmd_process = {
    "process", "the same with a child process: fork, exit status, zombie, reap",
    " [-n COUNT]\n"
    "Fork child process 'child-1' with arguments (greeting, COUNT, default 3, at most\n"
    "6); it returns the sum of squares 1..COUNT as its exit status. The parent lists\n"
    "its children while the child runs, after it ended (a zombie until reaped),\n"
    "and after waitpid reaped it.\n",
    PRIMER_OPT_N, process_run};
