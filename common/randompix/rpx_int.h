/* randompix internals shared by the per-transfer code (rpx_xfer.c) and the
 * engines (rpx_run.c) and the report (rpx_report.c). Not for programs: they
 * use rpx.h. */
#ifndef CONCUR_RPX_INT_H
#define CONCUR_RPX_INT_H

#include <curl/curl.h>
#include <pthread.h>

#include "msglimit.h"
#include "rpx.h"
#include "rpx_names.h"
#include "rpx_sha256.h"

/* State of one run, shared by every transfer (and thread). Counters are
 * updated with atomics; stdout and the progress bar under `lock`. */
struct rpx_ctx {
  const struct rpx_opts *o;
  const struct rpx_work *w;
  int dirfd;           /* the output folder */
  uint64_t name_seed;  /* stream of random names */
  uint64_t name_ctr;   /* next value of that stream (atomic) */
  uint64_t jitter_ctr; /* next jitter value (atomic) */
  uint64_t next;       /* next item to hand out (atomic) */
  struct rpx_stats st; /* atomic counters */
  int bar;             /* draw the progress bar */
  double t0, last_bar;
  pthread_mutex_t lock;
  struct msglimit notes;     /* failures and retry notes: the first 20 of each kind */
  char *out_shown;           /* o->out escaped, for the saved names on stdout */
  struct rpx_out *out;       /* what became of each item */
  uint64_t inflight;         /* body bytes of transfers not finished yet (atomic) */
  uint64_t rate_bytes;       /* --rate: bytes received so far (atomic) */
  int hash;                  /* compute SHA-256s (--manifest, --names sha256) */
  pthread_mutex_t host_lock; /* --per-host, blocking engines */
  pthread_cond_t host_free;
  struct rpx_host **hosts;
  struct rpx_fdpool *pool;   /* async: unnamed files made ahead (rpx_fdpool.c), or NULL */
  struct rpx_writer *writer; /* async: writes and hashes off the transfer thread, or NULL */
};

/* One transfer slot: an easy handle and the item it is fetching. */
struct rpx_xfer {
  struct rpx_ctx *c;
  CURL *h;
  uint64_t item;
  int attempt;                  /* 0 = first try */
  int fd;                       /* open .part file, or -1 */
  int started;                  /* the body's first bytes were seen */
  int discard;                  /* not a 2xx answer: read and drop the body */
  int fatal;                    /* a callback refused the body: do not retry */
  uint64_t bytes;               /* body bytes received in this attempt */
  uint64_t shown;               /* of those, counted in c->inflight */
  double t_first;               /* when the item's first attempt started */
  struct rpx_sha256 sha;        /* of the bytes written */
  char base[RPX_NAME_MAX + 16]; /* --names remote, sha256: the name wanted */
  char ext[16];                 /* the extension from the Content-Type */
  char name[RPX_NAME_MAX + 32]; /* final name */
  char part[RPX_NAME_MAX + 40]; /* name + ".part", or "" for an unnamed file */
  char sha_hex[65];             /* SHA-256 of the body, set before the commit */
  int dup;                      /* --names sha256: the same content was there */
  uint64_t prefix;              /* --resume: bytes of the .part kept before this answer */
  int restart;                  /* --resume: the answer does not continue the .part */
  struct curl_slist *hdrs;      /* --resume: If-Range */
  char why[512];                /* reason set by a callback */
  const char *kind;             /* what kind of reason `why` is (for the message limiter) */
  char errbuf[CURL_ERROR_SIZE];
  /* async (rpx_writer.c): pieces queued for the writer thread (atomic); set
   * when libcurl has finished the transfer (atomic); the first write error
   * there; a piece of this body went through the queue */
  int wq_pending, wq_finishing, wq_errno, wq_used;
};

enum rpx_outcome { RPX_SAVED, RPX_RETRY, RPX_FAILED, RPX_STOPPED };

/* Apply the options every transfer shares (once per easy handle). */
int rpx_easy_setup(CURL *h, struct rpx_xfer *x, struct rpx_ctx *c);
/* Point the handle at item's URL for attempt number `attempt`; the item's
 * first attempt started at t_first (0: now). */
void rpx_xfer_begin(struct rpx_xfer *x, uint64_t item, int attempt, double t_first);
/* Judge a finished attempt: commit the file (SAVED), or remove the .part and
 * ask for a retry after *delay seconds (RETRY), or give up (FAILED, reason
 * printed), or STOPPED by an interrupt. Updates the counters. */
enum rpx_outcome rpx_xfer_end(struct rpx_xfer *x, CURLcode rc, double *delay);
/* Create the file of an attempt whose body starts, for a file of extension
 * ext (rpx_commit.c). Returns 0, or -1 with x->why set. */
int rpx_xfer_open_file(struct rpx_xfer *x, const char *ext);
/* Close the file and give it its final name without replacing anything: a
 * taken name (another run, same --seed) gets another (--names); with
 * --names sha256 a taken name is the same content: x->dup is set and the
 * file dropped. Returns 0, or -1 with x->why set. */
int rpx_xfer_commit(struct rpx_xfer *x);
/* --resume (rpx_resume.c): before an attempt, ask for the rest of a .part
 * (Range, If-Range with its validator); at the first bytes, open the .part
 * to continue it (a 206 that matches) or to start it over (a 200); a 206
 * that does not match sets x->restart. Returns 0, or -1 with x->why set. */
void rpx_resume_begin(struct rpx_xfer *x);
int rpx_resume_open(struct rpx_xfer *x);
/* The complete file keeps no validator attribute. */
void rpx_resume_forget(int fd);

/* --per-host (rpx_limits.c): wait for a slot of url's host (NULL: no cap)
 * and give it back. Thread-safe; the wait ends on an interrupt. */
void *rpx_host_acquire(struct rpx_ctx *c, const char *url);
void rpx_host_release(struct rpx_ctx *c, void *slot);
void rpx_hosts_free(struct rpx_ctx *c);
/* --rate: n more bytes arrived; sleep while the process is ahead of pace. */
void rpx_rate_take(struct rpx_ctx *c, size_t n);

/* Unnamed files in dirfd made ahead by a helper thread, up to cap; NULL
 * when it cannot start. take: one of them, or -1 (none ready: make your
 * own); stop: end the thread, close the unused ones. */
struct rpx_fdpool *rpx_fdpool_start(int dirfd, int cap);
int rpx_fdpool_take(struct rpx_fdpool *p);
void rpx_fdpool_stop(struct rpx_fdpool *p);

/* The async engine's writer thread (rpx_writer.c): start it (curl_multi_
 * wakeup(wake) when a finished transfer's last piece is written; NULL when it
 * cannot start); wants: whether the n bytes arriving for x go through it;
 * put: queue a copy of them (waits while the queue is full; -1: out of
 * memory; a sleeping writer is woken for a batch of pieces); kick: wake it
 * for what is queued (before the engine waits); idle: libcurl has finished
 * x, are its pieces all written (if not, the writer is kicked and the wake
 * comes when they are); wait: until they are (wr may be NULL);
 * stop: write what is queued, end the thread. */
struct rpx_writer *rpx_writer_start(CURLM *wake);
int rpx_writer_wants(const struct rpx_writer *wr, const struct rpx_xfer *x, size_t n);
int rpx_writer_put(struct rpx_writer *wr, struct rpx_xfer *x, const char *data, size_t n);
int rpx_writer_idle(struct rpx_writer *wr, struct rpx_xfer *x);
void rpx_writer_kick(struct rpx_writer *wr);
void rpx_writer_wait(struct rpx_writer *wr, struct rpx_xfer *x);
void rpx_writer_stop(struct rpx_writer *wr);

/* The async engine (rpx_async.c): jobs transfers at a time on this thread. */
int rpx_run_async(struct rpx_ctx *c, int jobs);

/* A write to x's file failed with errno err: set x->why, refuse the body. */
void rpx_xfer_write_failed(struct rpx_xfer *x, int err);
/* Take the attempt's bytes off the in-flight count of the progress bar. */
void rpx_xfer_unshow(struct rpx_xfer *x);
/* Drop an attempt that will not finish (interrupt): close and remove .part. */
void rpx_xfer_drop(struct rpx_xfer *x);

struct rpx_rec;
/* Record what became of item (rpx_manifest.c). Thread-safe. */
void rpx_record(struct rpx_ctx *c, uint64_t item, const struct rpx_rec *r);

/* Redraw the progress bar if due (final = 1: clear it). Thread-safe. */
void rpx_progress(struct rpx_ctx *c, int final);

#endif
