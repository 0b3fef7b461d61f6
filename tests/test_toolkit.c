/* Unit tests of the common toolkit: option parsing edge cases, the
 * counter-based generator across slice boundaries and the JSON reporter
 * (atomic output files: test_atomic_file.c). */
#include <errno.h>
#include <omp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "cli.h"
#include "errors.h"
#include "json.h"
#include "report.h"
#include "rng.h"
#include "stats.h"

static char err[CLI_ERR_MAX];

static int u64_ok(const char *s, uint64_t want)
{
  uint64_t v = 0;
  return cli_parse_u64("-n", s, 0, UINT64_MAX, &v, err) == 0 && v == want;
}

static int u64_bad(const char *s, uint64_t min, uint64_t max)
{
  uint64_t v = 12345;
  err[0] = '\0';
  int rc = cli_parse_u64("-n", s, min, max, &v, err);
  /* rejected, value untouched, and a reason that names the option */
  return rc == -1 && v == 12345 && strncmp(err, "-n: ", 4) == 0;
}

static void test_cli(void)
{
  CHECK(u64_ok("0", 0));
  CHECK(u64_ok("42", 42));
  CHECK(u64_ok("+7", 7));
  CHECK(u64_ok("10k", 10000));
  CHECK(u64_ok("10K", 10000));
  CHECK(u64_ok("10M", 10000000));
  CHECK(u64_ok("2G", 2000000000ULL));
  CHECK(u64_ok("1Ki", 1024));
  CHECK(u64_ok("1Gi", 1ULL << 30));
  CHECK(u64_ok("3Ti", 3ULL << 40));
  CHECK(u64_ok("18446744073709551615", UINT64_MAX));
  CHECK(u64_bad("", 0, 100));                            /* empty */
  CHECK(u64_bad("-1", 0, 100));                          /* negative */
  CHECK(u64_bad("-0", 0, 100));                          /* negative zero is still a sign */
  CHECK(u64_bad("18446744073709551616", 0, UINT64_MAX)); /* overflow */
  CHECK(u64_bad("99999999999999999999999", 0, UINT64_MAX));
  CHECK(u64_bad("20000000Ti", 0, UINT64_MAX)); /* overflow via suffix */
  CHECK(u64_bad("12abc", 0, UINT64_MAX));      /* trailing junk */
  CHECK(u64_bad("12 ", 0, UINT64_MAX));
  CHECK(u64_bad(" 12", 0, UINT64_MAX));
  CHECK(u64_bad("1.5", 0, UINT64_MAX));
  CHECK(u64_bad("0x10", 0, UINT64_MAX));
  CHECK(u64_bad("10m", 0, UINT64_MAX)); /* unknown suffix */
  CHECK(u64_bad("abc", 0, UINT64_MAX));
  CHECK(u64_bad("101", 0, 100)); /* above range: rejected, not clamped */
  CHECK(u64_bad("0", 1, 100));   /* below range */
  CHECK(strstr(err, "out of range") != NULL);

  int64_t s = 0;
  CHECK(cli_parse_i64("--seed", "-5", INT64_MIN, INT64_MAX, &s, err) == 0 && s == -5);
  CHECK(cli_parse_i64("--x", "-9223372036854775808", INT64_MIN, INT64_MAX, &s, err) == 0 &&
        s == INT64_MIN);
  CHECK(cli_parse_i64("--x", "-9223372036854775809", INT64_MIN, INT64_MAX, &s, err) == -1);
  CHECK(cli_parse_i64("--x", "9223372036854775808", INT64_MIN, INT64_MAX, &s, err) == -1);
  CHECK(cli_parse_i64("--x", "-", INT64_MIN, INT64_MAX, &s, err) == -1);
  CHECK(cli_parse_i64("--x", "-3", 0, 10, &s, err) == -1);

  int t = 0;
  CHECK(cli_parse_int("--threads", "4", 1, 1024, &t, err) == 0 && t == 4);
  CHECK(cli_parse_int("--threads", "0", 1, 1024, &t, err) == -1);
  CHECK(cli_parse_int("--threads", "4294967297", 1, 1024, &t, err) == -1);

  double d = 0;
  CHECK(cli_parse_double("-t", "1.5", 0, 100, &d, err) == 0 && d == 1.5);
  CHECK(cli_parse_double("-t", "1e-3", 0, 100, &d, err) == 0 && d == 1e-3);
  CHECK(cli_parse_double("-t", "", 0, 100, &d, err) == -1);
  CHECK(cli_parse_double("-t", "1.5s", 0, 100, &d, err) == -1);
  CHECK(cli_parse_double("-t", "nan", 0, 100, &d, err) == -1);
  CHECK(cli_parse_double("-t", "inf", 0, 1e308, &d, err) == -1);
  CHECK(cli_parse_double("-t", "1e999", 0, 1e308, &d, err) == -1);
  CHECK(cli_parse_double("-t", "-1", 0, 100, &d, err) == -1);
  CHECK(cli_parse_double("-t", " 1", 0, 100, &d, err) == -1);

  static const char *const kinds[] = {"tasks", "chunks", "serial", NULL};
  int k = -1;
  CHECK(cli_parse_choice("--algo", "chunks", kinds, &k, err) == 0 && k == 1);
  CHECK(cli_parse_choice("--algo", "task", kinds, &k, err) == -1);
  CHECK(strstr(err, "tasks chunks serial") != NULL);
}

static void test_rng(void)
{
  enum { N = 100003 };
  uint64_t *whole = malloc(N * sizeof *whole);
  uint64_t *sliced = malloc(N * sizeof *sliced);
  rng_fill_u64(42, 0, N, whole);
  int same = 1;
  for (size_t i = 0; i < N; i++)
    same &= whole[i] == rng_at(42, i);
  CHECK(same);
  /* Slices of any size, in any order, on any thread count, give the same data. */
  const size_t cuts[] = {1, 2, 7, 1000, 65539};
  for (size_t c = 0; c < sizeof cuts / sizeof cuts[0]; c++) {
    memset(sliced, 0, N * sizeof *sliced);
    for (size_t first = 0; first < N; first += cuts[c]) {
      size_t len = first + cuts[c] <= N ? cuts[c] : N - first;
      rng_fill_u64(42, first, len, sliced + first);
    }
    CHECK(memcmp(whole, sliced, N * sizeof *whole) == 0);
  }
  for (int threads = 1; threads <= 4; threads++) {
    memset(sliced, 0, N * sizeof *sliced);
#pragma omp parallel num_threads(threads)
    rng_fill_u64(42, 0, N, sliced);
    CHECK(memcmp(whole, sliced, N * sizeof *whole) == 0);
  }
  /* Different seeds give different streams; values look uniform. */
  CHECK(rng_at(1, 0) != rng_at(2, 0));
  CHECK(rng_at(1, 0) != rng_at(1, 1));
  double mean = 0;
  for (size_t i = 0; i < N; i++)
    mean += rng_unit_at(7, i);
  mean /= N;
  CHECK(mean > 0.49 && mean < 0.51);
  int in_range = 1;
  for (size_t i = 0; i < 10000; i++)
    if (rng_below_at(7, i, 10) >= 10)
      in_range = 0;
  CHECK(in_range);
  free(whole);
  free(sliced);
}

static void test_report_and_stats(void)
{
  double v[] = {3.0, 1.0, 2.0, 10.0};
  CHECK(stats_min(v, 4) == 1.0);
  CHECK(stats_max(v, 4) == 10.0);
  CHECK(stats_median(v, 4) == 2.5);
  double w[] = {5.0, 1.0, 3.0};
  CHECK(stats_median(w, 3) == 3.0);

  char *buf = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&buf, &len);
  report_json_string(mem, "a\"b\\c\n\t\x01");
  fclose(mem);
  CHECK(strcmp(buf, "\"a\\\"b\\\\c\\n\\t\\u0001\"") == 0);
  free(buf);

  /* bytes that are not UTF-8: one U+FFFD each; DEL and C1 controls escaped;
   * valid UTF-8 kept */
  mem = open_memstream(&buf, &len);
  json_string(mem, "\xff\xc3(\x7f\xc2\x9b\xc3\xa9\xe2\x82\xac\xed\xa0\x80");
  json_number(mem, 1.0 / 0.0);
  fclose(mem);
  CHECK(strcmp(buf,
               "\"\\ufffd\\ufffd(\\u007f\\u009b\xc3\xa9\xe2\x82\xac\\ufffd\\ufffd\\ufffd\"null") ==
        0);
  free(buf);

  struct json_members m;
  CHECK(json_begin(&m) == 0);
  json_str(&m, "a", NULL);
  json_bool(&m, "b", -1);
  json_u64(&m, "c", 18446744073709551615ULL);
  json_raw(&m, "d", "[1]");
  char *text = json_end(&m);
  CHECK(text != NULL &&
        strcmp(text, "\"a\":null,\"b\":null,\"c\":18446744073709551615,\"d\":[1]") == 0);
  free(text);
  double t[] = {1.0, 2.0, 3.0, 4.0};
  CHECK(stats_stddev(t, 4) > 1.2909 && stats_stddev(t, 4) < 1.2910);
  CHECK(stats_stddev(t, 1) == 0.0);
}

int main(void)
{
  err_init("test_toolkit");
  test_cli();
  test_rng();
  test_report_and_stats();
  return check_summary("toolkit");
}
