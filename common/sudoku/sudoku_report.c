/* What a finished batch reports: the exit status, the per-puzzle time
 * extremes, the summary on stderr and the JSON object. */
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "json.h"
#include "escape.h"
#include "report.h"
#include "stats.h"
#include "sudoku_batch.h"

int sudoku_exit_status(const struct sudoku_counts *cnt)
{
  if (cnt->verify_failed)
    return EXIT_FAIL;
  if (cnt->invalid)
    return EXIT_DATA;
  return EXIT_OK;
}

/* The members of the record's "options": the choices of the run, by the
 * long names of their options (docs/json.md). malloc()ed, or NULL. */
static char *sudoku_options_json(const struct sudoku_opts *o)
{
  struct json_members m;
  json_begin(&m);
  json_str(&m, "algo", sudoku_algo_names[o->algo]);
  json_str(&m, "schedule", sudoku_schedule_names[o->schedule]);
  json_str(&m, "dist", o->mpi ? sudoku_dist_names[o->dist] : NULL);
  json_bool(&m, "count", o->lim.count != 0);
  json_u64(&m, "max_nodes", o->lim.max_nodes);
  json_u64(&m, "batch", o->batch);
  json_key(&m, "input");
  if (m.fp != NULL) {
    fputc('[', m.fp);
    for (int i = 0; i < o->nfiles; i++) {
      fputs(i ? "," : "", m.fp);
      json_string(m.fp, o->files[i]);
    }
    fputc(']', m.fp);
  }
  json_str(&m, "output", o->output);
  return json_end(&m);
}

/* A time in the unit that reads best. */
static void batch_fmt_time(char *out, size_t cap, double s)
{
  if (s < 1e-3)
    snprintf(out, cap, "%.1f us", s * 1e6);
  else if (s < 1.0)
    snprintf(out, cap, "%.3f ms", s * 1e3);
  else
    snprintf(out, cap, "%.3f s", s);
}

size_t sudoku_time_extremes(const struct sudoku_result *res, size_t n, double *pmin, double *pmax)
{
  size_t slow = 0;
  *pmin = *pmax = res[0].seconds;
  for (size_t i = 1; i < n; i++) {
    double s = res[i].seconds;
    if (s > *pmax) {
      *pmax = s;
      slow = i;
    }
    if (s < *pmin)
      *pmin = s;
  }
  return slow;
}

void sudoku_stats_of(const struct sudoku_text *tx, const struct sudoku_batch *bt,
                     const struct sudoku_result *res, struct sudoku_stats *st)
{
  memset(st, 0, sizeof *st);
  st->n = bt->n;
  st->nrej = bt->nrej;
  if (bt->n == 0)
    return;
  size_t slow = sudoku_time_extremes(res, bt->n, &st->pmin, &st->pmax);
  st->slow_name = tx->names[bt->file[slow]];
  st->slow_line = bt->line[slow];
  double *t = malloc(bt->n * sizeof *t);
  if (t == NULL)
    return;
  for (size_t i = 0; i < bt->n; i++)
    t[i] = res[i].seconds;
  st->pmed = stats_median(t, bt->n);
  free(t);
}

void sudoku_print_summary(const struct sudoku_opts *o, const struct sudoku_stats *st,
                          const struct sudoku_counts *cnt, const struct sudoku_times *tm)
{
  const char *prog = o->prog;
  double pmin = st->pmin, pmed = st->pmed, pmax = st->pmax;
  double solve_med = 0;
  {
    double *t = malloc((size_t)o->repeat * sizeof *t);
    if (t) {
      memcpy(t, tm->solve, (size_t)o->repeat * sizeof *t);
      solve_med = stats_median(t, (size_t)o->repeat);
      free(t);
    }
  }

  if (o->lim.count)
    fprintf(stderr,
            "%s: %zu puzzles: %llu unique, %llu with 2+ solutions, %llu unsolvable, "
            "%llu gave up; %zu lines rejected; %llu grids verified, %llu failed\n",
            prog, st->n, (unsigned long long)cnt->solved, (unsigned long long)cnt->multiple,
            (unsigned long long)cnt->unsolvable, (unsigned long long)cnt->gave_up, st->nrej,
            (unsigned long long)cnt->verified, (unsigned long long)cnt->verify_failed);
  else
    fprintf(stderr,
            "%s: %zu puzzles: %llu solved, %llu unsolvable, %llu gave up; %zu lines "
            "rejected; %llu grids verified, %llu failed\n",
            prog, st->n, (unsigned long long)cnt->solved, (unsigned long long)cnt->unsolvable,
            (unsigned long long)cnt->gave_up, st->nrej, (unsigned long long)cnt->verified,
            (unsigned long long)cnt->verify_failed);
  char a[32], b[32], c[32];
  batch_fmt_time(a, sizeof a, pmin);
  batch_fmt_time(b, sizeof b, pmed);
  batch_fmt_time(c, sizeof c, pmax);
  char shown[1024 * ESC_GROWTH]; /* a file name is outside text: escaped */
  if (st->n > 0)
    fprintf(stderr, "%s: per puzzle: min %s, median %s, max %s (slowest: %s:%llu)\n", prog, a, b, c,
            esc_str(shown, sizeof shown, st->slow_name), (unsigned long long)st->slow_line);
  double cpu_med = -1;
  if (tm->solve_cpu) {
    double *t = malloc((size_t)o->repeat * sizeof *t);
    if (t) {
      memcpy(t, tm->solve_cpu, (size_t)o->repeat * sizeof *t);
      cpu_med = stats_median(t, (size_t)o->repeat);
      free(t);
    }
  }
  double rate = solve_med > 0 ? (double)st->n / solve_med : 0;
  double e2e_rate = tm->e2e > 0 ? (double)st->n / tm->e2e : 0;
  fprintf(stderr,
          "%s: %s solver%s, %s%s%sschedule %s, %d rank%s x %d thread%s: solve %.6f s "
          "(%.0f puzzles/s); read %.6f s, write %.6f s, end to end %.6f s (%.0f puzzles/s)\n",
          prog, sudoku_algo_names[o->algo], o->lim.count ? " --count" : "", o->mpi ? "dist " : "",
          o->mpi ? sudoku_dist_names[o->dist] : "", o->mpi ? ", " : "",
          sudoku_schedule_names[o->schedule], tm->ranks, tm->ranks == 1 ? "" : "s", o->threads,
          o->threads == 1 ? "" : "s", solve_med, rate, tm->read, tm->write, tm->e2e, e2e_rate);

  char *options = sudoku_options_json(o);
  struct json_members m;
  json_begin(&m);
  json_u64(&m, "solved", cnt->solved);
  json_u64(&m, "multiple", cnt->multiple);
  json_u64(&m, "unsolvable", cnt->unsolvable);
  json_u64(&m, "gave_up", cnt->gave_up);
  json_u64(&m, "invalid", st->nrej);
  json_u64(&m, "verified_grids", cnt->verified);
  json_u64(&m, "verify_failed", cnt->verify_failed);
  json_num(&m, "puzzle_min_seconds", pmin);
  json_num(&m, "puzzle_median_seconds", pmed);
  json_num(&m, "puzzle_max_seconds", pmax);
  json_key(&m, "slowest");
  if (m.fp != NULL && st->n > 0) { /* the file name as it is, its line as a number */
    fputs("{\"file\":", m.fp);
    json_string(m.fp, st->slow_name);
    fprintf(m.fp, ",\"line\":%llu}", (unsigned long long)st->slow_line);
  } else if (m.fp != NULL) {
    fputs("null", m.fp);
  }
  json_num(&m, "read_seconds", tm->read);
  json_num(&m, "write_seconds", tm->write);
  json_num(&m, "e2e_seconds", tm->e2e);
  json_num(&m, "e2e_rate", e2e_rate);
  json_num(&m, "solve_cpu_seconds", cpu_med); /* -1: not measured (MPI) */
  char *extra = json_end(&m);

  struct report r = {
      .program = prog,
      .variant = o->mpi ? sudoku_dist_names[o->dist] : sudoku_schedule_names[o->schedule],
      .threads = o->threads,
      .ranks = tm->ranks,
      .n = st->n,
      .seconds = tm->solve,
      .repeat = (size_t)o->repeat,
      .rate_unit = "puzzles/s",
      .verified = cnt->verify_failed || tm->output_failed ? REPORT_FAILED : REPORT_PASSED,
      .extra_json = extra,
      .timed = "solve",
      .options = options,
      .binding = tm->binding,
  };
  report_print(&r, report_json_dest(o->json, sudoku_results_on_stdout(o)));
  free(extra);
  free(options);
}
