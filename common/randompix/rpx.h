/* randompix: the libcurl transfer engine (library concur_randompix).
 *
 * One download = one item: item i of a work list is fetched from a URL, at
 * most 1 + retries times, into an unnamed file (O_TMPFILE) in OUT that is
 * linked in as OUT/NAME when complete, or where the file system has no
 * unnamed files into OUT/NAME.part renamed to OUT/NAME. NAME is 8 random hex
 * digits plus an extension from the Content-Type; neither the .part nor the
 * final name ever replaces an existing file. Three engines drive the same per-transfer code
 * (rpx_xfer.c): serial (one easy handle, keep-alive), threads (an OpenMP
 * team, one handle per thread, items handed out dynamically) and async (one
 * thread, the multi interface, at most `jobs` transfers in flight). */
#ifndef CONCUR_RPX_H
#define CONCUR_RPX_H

#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"

enum rpx_mode { RPX_SERIAL = 0, RPX_THREADS, RPX_ASYNC };
extern const char *const rpx_mode_names[]; /* NULL-terminated, enum order */
enum rpx_names { RPX_NAMES_RANDOM = 0, RPX_NAMES_REMOTE, RPX_NAMES_SHA256 };
extern const char *const rpx_names_names[];

#define RPX_URL_MAX_SIZE ((uint64_t)100 << 20) /* --max-size default with --url */

struct rpx_opts {
  enum rpx_mode mode;
  uint64_t count;   /* --count with --url */
  const char *url;  /* --url */
  const char *list; /* --list FILE */
  const char *out;  /* --out DIR */
  int jobs;         /* transfers in flight (async), team size (threads) */
  int threads;      /* --threads (threads mode), 0 = use jobs */
  double timeout;   /* whole transfer, seconds, 0 = none */
  double connect_timeout;
  int retries;        /* extra attempts after the first */
  double retry_delay; /* first backoff, seconds; doubles per attempt */
  uint64_t max_size;  /* bytes, 0 = no limit */
  int any_type;       /* save non-image Content-Types too */
  int fsync;          /* fsync each file before its rename */
  const char *cacert; /* --cacert: CA bundle for TLS verification */
  int quiet;          /* no progress bar, no retry notes */
  int json;           /* JSON result on stdout (names go to stderr then) */
  int have_seed;      /* --seed given: reproducible names and jitter */
  uint64_t seed;
  const char *manifest; /* --manifest FILE: one JSON line per requested item */
  const char *failed;   /* --failed FILE: the URLs not saved, in list format */
  int skip_existing;    /* --skip-existing: fetch only what is missing */
  enum rpx_names names; /* --names */
  int resume;           /* --resume: continue .part files with Range requests */
  int per_host;         /* --per-host: transfers at once per host, 0 = no cap */
  uint64_t rate;        /* --rate: bytes/s for the whole process, 0 = no cap */
};

/* Parse argv into o. Prints nothing, so that MPI ranks other than 0 stay
 * silent: hand the outcome to rpx_opts_answer. */
enum cli_status rpx_parse_opts(int argc, char **argv, const char *prog, struct rpx_opts *o,
                               char err[CLI_ERR_MAX]);
/* Print what the outcome asks for (help, version, usage error) when
 * `speak` (rank 0); returns the exit status for it. */
int rpx_opts_answer(const char *prog, int mpi, enum cli_status st, const char *err, int speak);

/* What to fetch: items [0, n). Every item fetches `url`, or urls[i] (read
 * from list_name, line lines[i]). */
struct rpx_work {
  uint64_t n;
  const char *url;
  char **urls;
  long *lines;
  const char *list_name;
  uint64_t base;         /* item 0 is item `base` of the whole run (MPI shares) */
  struct rpx_old **skip; /* --skip-existing: per item, what an earlier run saved, or NULL */
  char **names;          /* --names remote: per item, the name from its URL */
};

/* What an earlier run saved for an item (--skip-existing). */
struct rpx_old {
  char *path; /* as the manifest names it: OUT/NAME */
  uint64_t bytes;
  char sha256[65]; /* "" when not known (found in the folder, no manifest) */
};

/* Read a URL list (path "-": standard input): one URL per line, blank lines
 * and lines starting with '#' skipped, surrounding blanks trimmed; "\n",
 * "\r\n" and "\r" end a line, a byte-order mark at the start is dropped.
 * Returns EXIT_OK (0), EXIT_USAGE when a line cannot be a URL (a NUL byte,
 * longer than RPX_LIST_LINE_MAX: a bad URL, the whole list is refused), or
 * EXIT_FAIL (cannot read it), after printing the reasons. */
#define RPX_LIST_LINE_MAX ((size_t)1 << 20)
int rpx_work_load_list(struct rpx_work *w, const char *path);
void rpx_work_free(struct rpx_work *w);
/* Check every URL of w before any transfer (rpx_urls.c): libcurl must parse
 * it, its scheme be http or https and it have a host. Prints a line per bad
 * URL (the first 20, then a count; only if `speak`) and returns -1 if there
 * is any: a usage error (exit 2). Returns 0 when all can be fetched. */
int rpx_work_check_urls(const struct rpx_work *w, int speak);
/* A loaded list as one block of bytes (malloc'ed), and back: for MPI ranks
 * that cannot read the list themselves (standard input reaches rank 0
 * only). Return 0, or -1 when out of memory. */
int rpx_work_pack(const struct rpx_work *w, char **blob, size_t *len);
int rpx_work_unpack(struct rpx_work *w, const char *name, const char *blob, size_t len);
/* The URL of item i. */
static inline const char *rpx_work_url(const struct rpx_work *w, uint64_t i)
{
  return w->url ? w->url : w->urls[i];
}

/* requested = ok + failed + skipped + not_done, always. */
struct rpx_stats {
  uint64_t ok;        /* files saved */
  uint64_t failed;    /* items given up on */
  uint64_t retried;   /* extra attempts made */
  uint64_t bytes;     /* bytes in saved files */
  uint64_t not_done;  /* items not finished because of an interrupt */
  uint64_t skipped;   /* items an earlier run saved (--skip-existing) */
  uint64_t requested; /* items asked for */
  int signal;         /* the signal that interrupted the run, or 0 */
  double seconds;     /* wall time of the run */
};

/* What became of each item, and the files that say it (rpx_out.c):
 * --manifest FILE, appended to as items complete (each line one write(2),
 * O_APPEND, so a killed run leaves whole lines) and replaced at the end,
 * atomically, by one line per requested item in request order; --failed
 * FILE, written at the end. A private journal (an unnamed temporary file)
 * keeps each fetched item's line until then. */
enum rpx_result { RPX_R_NONE = 0, RPX_R_SAVED, RPX_R_FAILED, RPX_R_SKIPPED };
struct rpx_out {
  const struct rpx_opts *o;
  uint64_t n;       /* items of this process */
  uint8_t *result;  /* per item: enum rpx_result */
  int fd;           /* the visible manifest (O_APPEND), or -1 */
  FILE *journal;    /* the private one, or NULL */
  uint64_t jlen;    /* bytes in journal */
  uint64_t *off;    /* per item: offset + 1 of its line in journal, 0 = none */
  uint32_t *len;    /* per item: length of that line */
  int write_failed; /* a line could not be written: said once */
  pthread_mutex_t lock;
};
/* Set up out for w. With `all` (the one process that does it, rank 0, with
 * the whole work), replace --manifest FILE at once, atomically, by the
 * lines of the items `all` skips (what an earlier run saved stays listed).
 * Returns 0, or -1 after printing why. */
int rpx_out_start(struct rpx_out *out, const struct rpx_opts *o, const struct rpx_work *w,
                  const struct rpx_work *all);
/* Open the manifest for appending (after rpx_out_start created it). */
int rpx_out_attach(struct rpx_out *out);
/* One line per item of w in order (items never done: "not_started") to mf,
 * the URL of every item not saved or skipped to ff (either may be NULL).
 * Returns 0, or -1 when the journal cannot be read. */
int rpx_out_ordered(struct rpx_out *out, const struct rpx_work *w, FILE *mf, FILE *ff);
/* Without MPI: rpx_out_ordered into --manifest FILE and --failed FILE,
 * each replaced atomically. Returns 0, or -1 after printing why. */
int rpx_out_finish(struct rpx_out *out, const struct rpx_work *w);
void rpx_out_free(struct rpx_out *out);

/* --skip-existing (rpx_skip.c): mark in w->skip the items an earlier run
 * saved whose file is still there: from --manifest FILE (saved lines, the
 * file of the recorded size present), else from the folder (--names
 * remote). Returns 0, or -1 after printing why. */
int rpx_skip_plan(const struct rpx_opts *o, struct rpx_work *w);
void rpx_skip_free(struct rpx_work *w);

/* --names remote (rpx_names.c): w->names[i], the name from each item's URL,
 * collisions within the work resolved in item order (STEM~2.EXT, ...).
 * Returns 0, or -1 after printing why (out of memory). */
int rpx_names_plan(struct rpx_work *w);
void rpx_names_free(struct rpx_work *w);

/* Set by SIGINT/SIGTERM (rpx_install_signals): engines stop starting
 * transfers, abort the running ones and remove their .part files. */
extern volatile sig_atomic_t rpx_stop; /* the signal number */
void rpx_install_signals(void);

/* Fetch every item of w with the engine o->mode. `stream` separates the name
 * streams of MPI ranks (0 without MPI); `progress` allows the progress bar
 * (still only on a terminal and without --quiet). Records every item in
 * out. Fills st. Returns 0, or -1
 * when the run could not start (output folder, libcurl), after printing why. */
int rpx_run(const struct rpx_opts *o, const struct rpx_work *w, uint64_t stream, int progress,
            struct rpx_out *out, struct rpx_stats *st);

/* The summary on stderr (and the JSON object with --json): ok, failed,
 * retried, bytes, seconds, images/s, MB/s. `binding`: the record's binding
 * of every rank (mpix_binding), or NULL: this process's. */
void rpx_print_summary(const char *prog, const struct rpx_opts *o, const struct rpx_stats *st,
                       int ranks, const char *binding);

/* Exit status for a finished run: 0 every item saved or skipped, 1 some
 * failed, 128 + the signal (130 for SIGINT, 143 for SIGTERM) when
 * interrupted before every item was done (that wins over 1). */
int rpx_exit_code(const struct rpx_stats *st);

#endif
