/* Unit tests of the common toolkit: option parsing edge cases, the
 * counter-based generator across slice boundaries, atomic output files and
 * the JSON reporter. */
#include <dirent.h>
#include <errno.h>
#include <omp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "atomic_file.h"
#include "check.h"
#include "cli.h"
#include "errors.h"
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

static int count_entries(const char *dir)
{
  DIR *d = opendir(dir);
  if (!d)
    return -1;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
      n++;
  closedir(d);
  return n;
}

static void test_atomic_file(void)
{
  char dir[] = "/tmp/concur-test-XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char path[512], missing[512], sub[512];
  snprintf(path, sizeof path, "%s/out.txt", dir);
  snprintf(missing, sizeof missing, "%s/no/such/folder/out.txt", dir);
  snprintf(sub, sizeof sub, "%s/adir", dir);
  struct afile af;

  /* Output path in a missing folder: clear failure, nothing created. */
  CHECK(afile_open(&af, missing) == -1);
  CHECK(count_entries(dir) == 0);

  /* Abort leaves nothing; the final name never appears. */
  CHECK(afile_open(&af, path) == 0);
  fputs("partial", af.fp);
  CHECK(count_entries(dir) == 1); /* only the temporary */
  CHECK(access(path, F_OK) == -1);
  afile_abort(&af);
  CHECK(count_entries(dir) == 0);

  /* Commit: exactly the final file, complete. */
  CHECK(afile_open(&af, path) == 0);
  fputs("complete\n", af.fp);
  CHECK(afile_commit(&af) == 0);
  CHECK(count_entries(dir) == 1);
  FILE *fp = fopen(path, "r");
  char buf[32] = {0};
  CHECK(fp && fgets(buf, sizeof buf, fp) && strcmp(buf, "complete\n") == 0);
  if (fp)
    fclose(fp);
  struct stat st;
  CHECK(stat(path, &st) == 0 && (st.st_mode & 0044) != 0); /* not left 0600 */

  /* A failed commit (the final name is a folder) removes the temporary and
   * leaves the old contents alone. */
  CHECK(mkdir(sub, 0755) == 0);
  CHECK(afile_open(&af, sub) == 0);
  fputs("x", af.fp);
  CHECK(afile_commit(&af) == -1);
  CHECK(count_entries(dir) == 2); /* out.txt and adir, no temporary */
  CHECK(count_entries(sub) == 0);
  afile_abort(&af); /* harmless after a failed commit */

  /* Replacing an existing file is atomic: old content until the rename
   * (a durable one: fsynced, and the folder too). */
  CHECK(afile_open(&af, path) == 0);
  af.durable = 1;
  fputs("new\n", af.fp);
  fp = fopen(path, "r");
  CHECK(fp && fgets(buf, sizeof buf, fp) && strcmp(buf, "complete\n") == 0);
  if (fp)
    fclose(fp);
  CHECK(afile_commit(&af) == 0);
  fp = fopen(path, "r");
  CHECK(fp && fgets(buf, sizeof buf, fp) && strcmp(buf, "new\n") == 0);
  if (fp)
    fclose(fp);

  /* Lower level: make_temp + publish, and discard. */
  char tmp[PATH_MAX];
  CHECK(afile_make_temp(path, tmp, sizeof tmp) == 0);
  CHECK(access(tmp, F_OK) == 0);
  afile_discard(tmp);
  CHECK(access(tmp, F_OK) == -1);
  CHECK(afile_make_temp(missing, tmp, sizeof tmp) == -1);
  CHECK(afile_make_temp(path, tmp, sizeof tmp) == 0);
  CHECK(afile_publish(tmp, path, 0) == 0);
  CHECK(stat(path, &st) == 0 && st.st_size == 0);
  CHECK(count_entries(dir) == 2);
  CHECK(afile_make_temp(path, tmp, sizeof tmp) == 0);
  CHECK(afile_publish(tmp, path, 1) == 0);
  CHECK(count_entries(dir) == 2);

  unlink(path);
  rmdir(sub);
  CHECK(rmdir(dir) == 0);
}

/* An output that exists and is not a regular file (a device like
 * /dev/null) is written in place, never renamed over or removed. The test
 * makes its own null device (root only), so a failure cannot break the real
 * /dev/null. */
static void test_atomic_special(void)
{
  char dir[] = "/tmp/concur-test-XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char dev[512];
  snprintf(dev, sizeof dev, "%s/null", dir);
  if (mknod(dev, S_IFCHR | 0666, makedev(1, 3)) != 0) {
    printf("toolkit: no mknod (%s): special-file output not checked\n", strerror(errno));
    CHECK(rmdir(dir) == 0);
    return;
  }
  struct stat st;
  struct afile af;
  CHECK(afile_open(&af, dev) == 0);
  fputs("gone\n", af.fp);
  CHECK(afile_commit(&af) == 0);
  CHECK(stat(dev, &st) == 0 && S_ISCHR(st.st_mode));
  CHECK(count_entries(dir) == 1); /* no temporary file left behind */
  CHECK(afile_open(&af, dev) == 0);
  af.durable = 1; /* fsync of a device fails with EINVAL: not an error */
  CHECK(afile_commit(&af) == 0);
  CHECK(afile_open(&af, dev) == 0);
  afile_abort(&af);
  CHECK(stat(dev, &st) == 0 && S_ISCHR(st.st_mode));
  char tmp[PATH_MAX];
  CHECK(afile_make_temp(dev, tmp, sizeof tmp) == 0);
  CHECK(strcmp(tmp, dev) == 0);
  CHECK(afile_publish(tmp, dev, 1) == 0);
  afile_discard(tmp);
  CHECK(stat(dev, &st) == 0 && S_ISCHR(st.st_mode));
  CHECK(count_entries(dir) == 1);
  unlink(dev);
  CHECK(rmdir(dir) == 0);
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
}

int main(void)
{
  err_init("test_toolkit");
  test_cli();
  test_rng();
  test_atomic_file();
  test_atomic_special();
  test_report_and_stats();
  return check_summary("toolkit");
}
