#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "stats.h"

void report_json_string(FILE *fp, const char *s)
{
  fputc('"', fp);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    switch (*p) {
    case '"':
      fputs("\\\"", fp);
      break;
    case '\\':
      fputs("\\\\", fp);
      break;
    case '\n':
      fputs("\\n", fp);
      break;
    case '\r':
      fputs("\\r", fp);
      break;
    case '\t':
      fputs("\\t", fp);
      break;
    default:
      if (*p < 0x20)
        fprintf(fp, "\\u%04x", *p);
      else
        fputc(*p, fp);
    }
  }
  fputc('"', fp);
}

static const char *verdict_word(int v)
{
  return v == REPORT_PASSED ? "PASS" : v == REPORT_FAILED ? "FAIL" : "unchecked";
}

int report_json_dest(int json, int results_on_stdout)
{
  return !json ? REPORT_JSON_OFF : results_on_stdout ? REPORT_JSON_STDERR : REPORT_JSON_STDOUT;
}

void report_print(const struct report *r, int json)
{
  double *t = malloc(r->repeat * sizeof *t);
  double median = 0, min = 0;
  if (t != NULL && r->repeat > 0) {
    memcpy(t, r->seconds, r->repeat * sizeof *t);
    min = stats_min(t, r->repeat);
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
  fprintf(jf, "{\"program\":");
  report_json_string(jf, r->program);
  fprintf(jf, ",\"variant\":");
  report_json_string(jf, r->variant);
  fprintf(jf,
          ",\"threads\":%d,\"ranks\":%d,\"n\":%llu,\"seconds\":%.9g,"
          "\"min_seconds\":%.9g,\"repeat\":%zu,\"rate\":%.9g,\"rate_unit\":",
          r->threads, r->ranks, (unsigned long long)r->n, median, min, r->repeat, rate);
  report_json_string(jf, r->rate_unit);
  fprintf(jf, ",\"verified\":%s",
          r->verified == REPORT_PASSED   ? "true"
          : r->verified == REPORT_FAILED ? "false"
                                         : "null");
  if (r->extra_json && *r->extra_json)
    fprintf(jf, ",%s", r->extra_json);
  fprintf(jf, "}\n");
  fflush(jf);
}
