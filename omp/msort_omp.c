/* msort-omp: stable merge sort on all cores of one machine (OpenMP).
 *
 * Phases: parse, open the output (a bad one fails before any work), read or
 * generate the input (untimed), first-touch all buffers (untimed), sort
 * `--repeat` times (timed), verify (untimed), write the output atomically,
 * report. */
#include <errno.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "errors.h"
#include "memory.h"
#include "msort.h"
#include "msort_opts.h"
#include "progress.h"
#include "report.h"
#include "timer.h"

/* Fill data with the input (generated, or from the file already counted). */
static int load_input(const struct msort_opts *o, void *data, size_t n, void *text, int threads)
{
  size_t size = msort_type_size(o->type);
  if (o->input == NULL) {
    msort_generate(o->type, o->dist, o->seed, n, 0, n, data, threads);
    return EXIT_OK;
  }
  if (text != NULL) { /* read whole already: text, or a stream */
    memcpy(data, text, n * size);
    return EXIT_OK;
  }
  return msort_read_binary(o->input, data, n * size);
}

/* The untimed checks; prints what failed. */
static int verify(const struct msort_opts *o, const void *res, size_t n, struct msort_sum before,
                  int threads)
{
  size_t bad = msort_first_unsorted(o->type, res, n, threads);
  if (bad < n) {
    err_msg("verification FAILED: not sorted at elements %zu and %zu", bad, bad + 1);
    return EXIT_FAIL;
  }
  struct msort_sum after = msort_checksum(o->type, res, n, threads);
  if (after.sum != before.sum || after.xr != before.xr) {
    err_msg("verification FAILED: checksum differs, elements were lost or changed");
    return EXIT_FAIL;
  }
  if (o->type == MSORT_REC100 && o->input == NULL) {
    bad = msort_first_unstable(res, n, o->dist, threads);
    if (bad < n) {
      err_msg("verification FAILED: not stable at records %zu and %zu", bad, bad + 1);
      return EXIT_FAIL;
    }
  }
  return EXIT_OK;
}

/* The progress line (on a terminal, for long runs: progress.h). */
static struct progress bar;

static int write_output(const struct msort_opts *o, struct afile *af, const void *res, size_t n)
{
  int bad = 0;
  errno = 0;
  size_t size = msort_type_size(o->type);
  progress_phase(&bar, "write", n, "keys");
  if (o->text) {
    bad = msort_write_text(af->fp, o->type, res, n) != 0;
  } else { /* in pieces of 16 Mi elements, so that the progress line moves */
    const size_t piece = (size_t)1 << 24;
    for (size_t at = 0; at < n && !bad; at += piece) {
      size_t k = n - at < piece ? n - at : piece;
      bad = fwrite((const char *)res + at * size, size, k, af->fp) != k;
      progress_add(&bar, k);
      progress_show(&bar);
    }
  }
  progress_clear(&bar);
  if (bad) {
    err_at(af->t.name, 0, "write failed: %s", strerror(errno ? errno : EIO));
    afile_abort(af);
    return EXIT_FAIL;
  }
  return afile_commit(af) == 0 ? EXIT_OK : EXIT_FAIL;
}

/* Everything main frees, in one place. */
struct omp_run {
  void *data, *orig, *text;
  double *secs;
  struct msort_ws ws;
  struct afile af;
  int out_open;
};

static int finish(struct omp_run *R, int rc)
{
  progress_clear(&bar);
  if (R->out_open)
    afile_abort(&R->af); /* nothing left behind on any failure */
  msort_ws_free(&R->ws);
  free(R->data);
  free(R->orig);
  free(R->text);
  free(R->secs);
  return rc;
}

int main(int argc, char **argv)
{
  struct msort_opts o;
  char err[CLI_ERR_MAX];
  err_init(msort_prog_name(MSORT_PROG_OMP));
  enum cli_status st = msort_opts_parse(argc, argv, MSORT_PROG_OMP, &o, err);
  if (st != CLI_OK)
    return msort_opts_answer(st, MSORT_PROG_OMP, err, 1);
  int threads = o.threads ? o.threads : omp_get_max_threads();
  enum msort_algo algo = (enum msort_algo)o.algo;
  size_t size = msort_type_size(o.type);
  static struct omp_run R; /* zero; static: the output's names are large */

  /* 0. the output first: a bad one fails now, not after the sort */
  if (o.output) {
    if (afile_open(&R.af, o.output) != 0)
      return EXIT_FAIL;
    R.out_open = 1;
    R.af.durable = o.fsync;
  }

  /* 1. input size (text and streams are read whole to be counted) */
  uint64_t n = o.n;
  int rc = EXIT_OK;
  if (o.input && (o.text || msort_input_is_stream(o.input))) {
    size_t cnt = 0;
    rc = msort_read_whole(o.input, o.type, o.text, &R.text, &cnt);
    n = cnt;
  } else if (o.input) {
    rc = msort_file_count(o.input, o.type, &n);
  }
  if (rc != EXIT_OK)
    return finish(&R, rc);

  /* 2. memory: refuse before allocating more than the tightest limit allows
   * (available memory, memory cgroup, ulimit), rather than be OOM-killed */
  int keep_copy = o.input != NULL && o.repeat > 1;
  double need = (double)n * (double)size * (1 + keep_copy) + (double)msort_ws_bytes(o.type, n);
  struct mem_limit lim;
  if (need > (double)mem_limit(&lim, MEM_LIMIT_ALL)) {
    char a[32], b[600];
    mem_human_bytes(need, a, sizeof a);
    mem_limit_describe(&lim, b, sizeof b);
    err_msg("%llu %s elements need %s of memory (data and scratch); %s", (unsigned long long)n,
            msort_type_names[o.type], a, b);
    return finish(&R, EXIT_FAIL);
  }
  R.data = mem_alloc_touched(n * size, threads);
  R.orig = keep_copy ? malloc(n * size + 1) : NULL;
  R.secs = malloc((size_t)o.repeat * sizeof *R.secs);
  if (R.data == NULL || (keep_copy && R.orig == NULL) || R.secs == NULL ||
      msort_ws_alloc(&R.ws, o.type, n, threads) != 0) {
    char a[32];
    mem_human_bytes(need, a, sizeof a);
    err_msg("cannot allocate %s for %llu elements", a, (unsigned long long)n);
    return finish(&R, EXIT_FAIL);
  }

  /* 3. input and its checksum */
  progress_init(&bar, msort_prog_name(MSORT_PROG_OMP));
  progress_phase(&bar, o.input ? "read" : "generate", 0, NULL);
  rc = load_input(&o, R.data, n, R.text, threads);
  free(R.text);
  R.text = NULL;
  if (rc != EXIT_OK)
    return finish(&R, rc);
  if (keep_copy)
    memcpy(R.orig, R.data, n * size);
  struct msort_sum before = {0, 0};
  if (o.verify)
    before = msort_checksum(o.type, R.data, n, threads);

  /* 4. the timed runs (buffers are allocated and touched already) */
  void *res = R.data;
  progress_phase(&bar, "sort", (uint64_t)n * (uint64_t)o.repeat, "keys");
  msort_progress = bar.on ? &bar : NULL; /* the sort counts its merges only for a drawn line */
  for (int r = 0; r < o.repeat; r++) {
    if (r > 0 && keep_copy)
      memcpy(R.data, R.orig, n * size);
    else if (r > 0)
      msort_generate(o.type, o.dist, o.seed, n, 0, n, R.data, threads);
    double t0 = timer_now();
    res = msort_sort(o.type, algo, R.data, n, &R.ws, threads, o.parts);
    R.secs[r] = timer_now() - t0;
  }
  msort_progress = NULL;

  /* 5. verify, 6. write, 7. report: a run whose output was not written is
   * no PASS */
  int verdict = REPORT_UNCHECKED;
  if (o.verify) {
    progress_phase(&bar, "verify", 0, NULL);
    rc = verify(&o, res, n, before, threads);
    progress_clear(&bar);
    verdict = rc == EXIT_OK ? REPORT_PASSED : REPORT_FAILED;
  }
  if (o.output && rc == EXIT_OK) {
    R.out_open = 0;
    rc = write_output(&o, &R.af, res, n);
    if (rc != EXIT_OK)
      verdict = REPORT_FAILED;
  }
  progress_clear(&bar);
  /* rec100: valsort's summary of the result, printed and in --json */
  struct msort_valsum vs;
  int have_vs = o.type == MSORT_REC100 && o.verify, ordered = 0;
  char extra[512] = "";
  if (have_vs) {
    msort_valsort(res, n, threads, &vs);
    ordered = verdict == REPORT_PASSED && vs.first_unordered >= n;
    msort_valsort_print(stderr, msort_prog_name(MSORT_PROG_OMP), &vs, ordered);
    msort_valsort_json(extra, sizeof extra, &vs, ordered);
  }
  char *options = msort_options_json(&o, MSORT_PROG_OMP);
  struct report rep = {.program = msort_prog_name(MSORT_PROG_OMP),
                       .variant = msort_prog_algos(MSORT_PROG_OMP)[o.algo],
                       .threads = threads,
                       .ranks = 1,
                       .n = n,
                       .seconds = R.secs,
                       .repeat = (size_t)o.repeat,
                       .rate_unit = "keys/s",
                       .verified = verdict,
                       .extra_json = have_vs ? extra : NULL,
                       .timed = "sort",
                       .options = options};
  report_print(&rep, report_json_dest(o.json, o.output && afile_is_stdout(o.output)));
  free(options);
  return finish(&R, rc);
}
