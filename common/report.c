/* The human line and the JSON record of a run (report.h, docs/json.md). */
#include "report.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "affinity.h"
#include "buildinfo.h"
#include "json.h"
#include "stats.h"

void report_json_string(FILE *fp, const char *s)
{
  json_string(fp, s);
}

static const char *verdict_word(int v)
{
  return v == REPORT_PASSED ? "PASS" : v == REPORT_FAILED ? "FAIL" : "unchecked";
}

int report_json_dest(int json, int results_on_stdout)
{
  return !json ? REPORT_JSON_OFF : results_on_stdout ? REPORT_JSON_STDERR : REPORT_JSON_STDOUT;
}

/* The facts of the build and of the machine: "program" to "date". */
static void put_provenance(FILE *jf, const struct report *r)
{
  char host[256] = "", date[32] = "";
  if (gethostname(host, sizeof host - 1) != 0)
    host[0] = '\0';
  time_t now = time(NULL);
  struct tm tm;
  if (gmtime_r(&now, &tm) != NULL)
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
  const char *mpi = build_part(BUILD_MPI);
  fputs("\"program\":", jf); /* first: scripts find the record by its start */
  json_string(jf, r->program);
  fprintf(jf, ",\"schema\":\"%s\"", REPORT_SCHEMA);
  fputs(",\"version\":", jf);
  json_string(jf, build_version());
  fputs(",\"commit\":", jf);
  json_string(jf, build_commit());
  fputs(",\"build_type\":", jf);
  json_string(jf, build_type());
  fputs(",\"compiler\":", jf);
  json_string(jf, build_compiler());
  fputs(",\"flags\":", jf);
  json_string(jf, build_flags());
  fputs(",\"simd\":", jf);
  json_string(jf, build_part(BUILD_SIMD));
  fputs(",\"mpi\":", jf);
  if (mpi != NULL) {
    fputs("{\"library\":", jf);
    json_string(jf, mpi);
    fputs(",\"version\":", jf);
    json_string(jf, build_part(BUILD_MPI_VERSION));
    fputc('}', jf);
  } else {
    fputs("null", jf);
  }
  fputs(",\"libcurl\":", jf);
  json_string(jf, build_part(BUILD_CURL));
  fputs(",\"host\":", jf);
  json_string(jf, host);
  fputs(",\"date\":", jf);
  json_string(jf, date);
}

static void put_json(FILE *jf, const struct report *r, double median, double min, double sd,
                     double rate)
{
  fputc('{', jf);
  put_provenance(jf, r);
  fputs(",\"variant\":", jf);
  json_string(jf, r->variant);
  fprintf(jf, ",\"options\":{%s}", r->options ? r->options : "");
  fprintf(jf, ",\"threads\":%d,\"ranks\":%d,\"binding\":", r->threads, r->ranks);
  if (r->binding != NULL) {
    fputs(r->binding, jf);
  } else {
    char *mine = affinity_binding(0, r->threads);
    fprintf(jf, "[%s]", mine ? mine : "");
    free(mine);
  }
  fprintf(jf, ",\"n\":%llu,\"repeat\":%zu,\"timed\":", (unsigned long long)r->n, r->repeat);
  json_string(jf, r->timed ? r->timed : "run");
  fputs(",\"times\":[", jf);
  for (size_t i = 0; i < r->repeat; i++) {
    if (i > 0)
      fputc(',', jf);
    json_number(jf, r->seconds[i]);
  }
  fputs("],\"seconds\":", jf);
  json_number(jf, median);
  fputs(",\"min_seconds\":", jf);
  json_number(jf, min);
  fputs(",\"stddev\":", jf);
  json_number(jf, sd);
  fputs(",\"rate\":", jf);
  json_number(jf, rate);
  fputs(",\"rate_unit\":", jf);
  json_string(jf, r->rate_unit);
  fprintf(jf, ",\"verified\":%s",
          r->verified == REPORT_PASSED   ? "true"
          : r->verified == REPORT_FAILED ? "false"
                                         : "null");
  if (r->extra_json && *r->extra_json)
    fprintf(jf, ",%s", r->extra_json);
  fputs("}\n", jf);
}

void report_print(const struct report *r, int json)
{
  double *t = malloc(r->repeat * sizeof *t);
  double median = 0, min = 0, sd = 0;
  if (t != NULL && r->repeat > 0) {
    memcpy(t, r->seconds, r->repeat * sizeof *t);
    min = stats_min(t, r->repeat);
    sd = stats_stddev(t, r->repeat);
    median = stats_median(t, r->repeat);
  }
  free(t);
  double rate = median > 0 ? (double)r->n / median : 0.0;

  fprintf(stderr,
          "%s %s: n=%llu threads=%d ranks=%d time=%.6f s (median of %zu, "
          "min %.6f s) rate=%.4g %s verify=%s\n",
          r->program, r->variant, (unsigned long long)r->n, r->threads, r->ranks, median, r->repeat,
          min, rate, r->rate_unit, verdict_word(r->verified));
  if (!json)
    return;
  FILE *jf = json == REPORT_JSON_STDERR ? stderr : stdout;
  put_json(jf, r, median, min, sd, rate);
  fflush(jf);
}
