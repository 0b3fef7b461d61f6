/* primer: the concurrency primer, one demo per subcommand and per file.
 *
 * Every demo prints what it does, one line per event ("  0.102  worker-1
 * text": seconds since start, who, what), and ends with one verdict line on
 * stdout, "verdict: ok: ..." or "verdict: FAIL: ...", whose word is also the
 * exit status (0 / 1). Numbers in verdicts are key=value so tests read them. */
#ifndef PRIMER_H
#define PRIMER_H

#include <stdint.h>
#include <sys/types.h>

#include "cli.h"

/* Options a subcommand may accept (bits of primer_cmd.allowed). */
enum {
  PRIMER_OPT_THREADS = 1 << 0,  /* --threads N: workers */
  PRIMER_OPT_N = 1 << 1,        /* -n N: increments, lines or jobs */
  PRIMER_OPT_SEED = 1 << 2,     /* --seed N: the random sleeps */
  PRIMER_OPT_PERIOD = 1 << 3,   /* --period SECONDS */
  PRIMER_OPT_AFTER = 1 << 4,    /* --after SECONDS */
  PRIMER_OPT_TIMEOUT = 1 << 5,  /* --timeout SECONDS */
  PRIMER_OPT_SLEEP_US = 1 << 6, /* --sleep-us N */
  PRIMER_OPT_GUARD = 1 << 7,    /* --lock | --atomic | --critical */
  PRIMER_OPT_ORDERED = 1 << 8,  /* --ordered */
  PRIMER_OPT_PROCS = 1 << 9,    /* --procs */
  PRIMER_OPT_MPI = 1 << 10      /* --mpi */
};

enum primer_guard {
  PRIMER_GUARD_NONE,
  PRIMER_GUARD_LOCK,
  PRIMER_GUARD_ATOMIC,
  PRIMER_GUARD_CRITICAL
};

/* Parsed options; 0 in a number means "the demo's default" (-1 for after and
 * sleep_us, where 0 is a value). */
struct primer_opts {
  int threads;
  int64_t n;
  uint64_t seed;
  double period, after, timeout;
  int64_t sleep_us;
  enum primer_guard guard;
  int ordered, procs, mpi;
};

struct primer_cmd {
  const char *name;
  const char *summary; /* one line for `primer list` */
  const char *usage;   /* options and what the demo shows, for `primer NAME --help` */
  unsigned allowed;    /* PRIMER_OPT_* */
  int (*run)(const struct primer_opts *o);
};

extern const struct primer_cmd primer_cmd_start, primer_cmd_info, primer_cmd_process,
    primer_cmd_stop, primer_cmd_interleave, primer_cmd_race, primer_cmd_deadlock, primer_cmd_local,
    primer_cmd_queue, primer_cmd_event, primer_cmd_pool;

/* opts.c: parse argv (argv[0] is the subcommand name); prints nothing. */
enum cli_status primer_parse(const struct primer_cmd *cmd, int argc, char **argv,
                             struct primer_opts *o, char err[CLI_ERR_MAX]);
/* Print what the outcome asks for (the demo's help, a usage error);
 * returns the exit status for it. */
int primer_answer(const struct primer_cmd *cmd, enum cli_status st, const char *err);
/* Every demo's options, one table (each demo takes those in its `allowed`). */
extern const struct cli_option primer_options[];

/* util.c */
void primer_clock_start(void);
double primer_now(void); /* seconds since primer_clock_start (CLOCK_MONOTONIC) */
void primer_sleep(double seconds);
/* "%7.3f  %-10s  text" as one write(), so lines from threads and processes
 * never mix. */
void primer_say(const char *who, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints the verdict line, returns the exit status (0 ok, 1 fail). */
int primer_verdict(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Uniform random in [lo, hi) from (seed, i): the same sleeps every run. */
double primer_uniform(uint64_t seed, uint64_t i, double lo, double hi);
/* Name the calling thread (or process) as `ps`, `top` and /proc show it. */
void primer_set_name(const char *name);
/* Print this process's threads from /proc/self/task ("tid name"), return
 * their count; *found (if not NULL) gets how many of the NULL-terminated
 * `names` are among them. */
int primer_show_threads(const char *when, const char *const *names, int *found);
/* Print this process's child processes from /proc (pid, state, name), return
 * their count; *state gets the state letter of child `pid` ('-' if absent). */
int primer_show_children(const char *when, pid_t pid, char *state);
/* Fork with stdout flushed first (so no buffered line is printed twice). */
pid_t primer_fork(void);

#endif
