/* msort's serial core, in process: every algorithm gives byte-identical
 * output to the 2-way reference for every type, distribution and the sizes of
 * the issue at 1-4 threads; the key mapping agrees with the reference
 * comparators on special floats; rec100 stays stable; the checks catch what
 * they should; text numbers parse or are rejected with a reason. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "msort.h"
#include "msort_same.h"
#include "rng.h"

static const size_t sizes[] = {0, 1, 2, 7, 1000, 65539};

static void test_matrix(void)
{
  for (int t = 0; msort_type_names[t]; t++)
    for (int d = 0; msort_dist_names[d]; d++)
      for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        size_t n = sizes[s], sz = msort_type_size((enum msort_type)t);
        char *in = malloc(n * sz + 1), *want = malloc(n * sz + 1), *tmp = malloc(n * sz + 1);
        msort_generate((enum msort_type)t, (enum msort_dist)d, 7, n, 0, n, in, 2);
        memcpy(want, in, n * sz);
        msort_ref2(want, n, sz, msort_type_cmp((enum msort_type)t), tmp);
        struct msort_sum a = msort_checksum((enum msort_type)t, in, n, 2);
        struct msort_sum b = msort_checksum((enum msort_type)t, want, n, 1);
        CHECK(a.sum == b.sum && a.xr == b.xr);
        CHECK(msort_first_unsorted((enum msort_type)t, want, n, 3) == n);
        if (t == MSORT_REC100)
          CHECK(msort_first_unstable(want, n, MSORT_UNIFORM, 2) == n);
        CHECK(same_as((enum msort_type)t, MSORT_SERIAL, in, want, n, 1, 0));
        CHECK(same_as((enum msort_type)t, MSORT_REFK, in, want, n, 1, 1 + 2 * (int)(s % 3)));
        for (int th = n > 4 * MSORT_MIN_PIECE ? 1 : 2; th <= (n > 4 * MSORT_MIN_PIECE ? 4 : 2);
             th++)
          CHECK(same_as((enum msort_type)t, MSORT_TASKS, in, want, n, th, 0));
        CHECK(same_as((enum msort_type)t, MSORT_CHUNKS, in, want, n, 2 + (int)(s % 2), 0));
        free(in);
        free(want);
        free(tmp);
      }
}

/* Large enough for the task recursion and split merges (n >= 4 * 16384). */
static void test_parallel_large(void)
{
  size_t n = 300007;
  uint64_t *in = malloc(n * 8), *want = malloc(n * 8), *tmp = malloc(n * 8);
  for (int d = 0; msort_dist_names[d]; d++) {
    msort_generate(MSORT_I64, (enum msort_dist)d, 3, n, 0, n, in, 2);
    memcpy(want, in, n * 8);
    msort_ref2(want, n, 8, msort_type_cmp(MSORT_I64), tmp);
    for (int th = 1; th <= 4; th++)
      CHECK(same_as(MSORT_I64, MSORT_TASKS, in, want, n, th, 0));
  }
  free(in);
  free(want);
  free(tmp);
}

/* The key mapping orders special floats like the reference comparator. */
static void test_float_order(void)
{
  double v[] = {NAN, -NAN, INFINITY, -INFINITY, 0.0,   -0.0,
                1.5, -1.5, 5e-324,   -5e-324,   1e308, -1e308};
  size_t n = sizeof v / sizeof v[0];
  uint64_t bits[sizeof v / sizeof v[0] + 2];
  memcpy(bits, v, sizeof v);
  bits[n] = 0x7FF0000000000005ULL;     /* a positive NaN with another payload */
  bits[n + 1] = 0xFFF0000000000007ULL; /* a negative NaN with another payload */
  n += 2;
  uint64_t a[16], ref[16], tmp[16];
  memcpy(a, bits, n * 8);
  memcpy(ref, bits, n * 8);
  msort_ref2(ref, n, 8, msort_type_cmp(MSORT_F64), tmp);
  msort_to_keys(MSORT_F64, a, n, 1);
  msort_serial_k64(a, tmp, n);
  msort_from_keys(MSORT_F64, a, n, 1);
  CHECK(memcmp(a, ref, n * 8) == 0);
  double first, last;
  memcpy(&first, &ref[0], 8);
  memcpy(&last, &ref[n - 1], 8);
  CHECK(first == -INFINITY);
  CHECK(isnan(last) && signbit(last)); /* negative NaNs last of all */
  int nans = 0;
  for (size_t i = n - 4; i < n; i++) {
    double x;
    memcpy(&x, &ref[i], 8);
    nans += isnan(x) != 0;
  }
  CHECK(nans == 4);
  /* the bijection round-trips every class (f32 too) */
  uint32_t f[] = {0x7FC00000u, 0xFFC00001u, 0x80000000u, 0u, 0x7F800000u, 0xFF800000u, 1u};
  uint32_t g[7];
  memcpy(g, f, sizeof f);
  msort_to_keys(MSORT_F32, g, 7, 1);
  msort_from_keys(MSORT_F32, g, 7, 1);
  CHECK(memcmp(f, g, sizeof f) == 0);
}

/* The checks find what they should. */
static void test_checks(void)
{
  uint64_t v[5] = {1, 2, 3, 5, 4};
  CHECK(msort_first_unsorted(MSORT_U64, v, 5, 2) == 3);
  int64_t s[3] = {-5, -1, 3};
  CHECK(msort_first_unsorted(MSORT_I64, s, 3, 1) == 3);
  struct msort_sum a = msort_checksum(MSORT_U64, v, 5, 1);
  v[4] = 6;
  struct msort_sum b = msort_checksum(MSORT_U64, v, 5, 1);
  CHECK(a.sum != b.sum);
  unsigned char r[3 * MSORT_REC_SIZE];
  msort_generate(MSORT_REC100, MSORT_EQUAL, 1, 3, 0, 3, r, 1);
  CHECK(msort_first_unstable(r, 3, MSORT_UNIFORM, 1) == 3);
  unsigned char x[MSORT_REC_SIZE];
  memcpy(x, r, MSORT_REC_SIZE);
  memcpy(r, r + MSORT_REC_SIZE, MSORT_REC_SIZE);
  memcpy(r + MSORT_REC_SIZE, x, MSORT_REC_SIZE);
  CHECK(msort_first_unstable(r, 3, MSORT_UNIFORM, 1) == 0);
  /* generation is the same whatever the slicing */
  uint64_t whole[100], part[100];
  msort_generate(MSORT_U64, MSORT_NEARLY, 9, 100, 0, 100, whole, 3);
  msort_generate(MSORT_U64, MSORT_NEARLY, 9, 100, 0, 37, part, 1);
  msort_generate(MSORT_U64, MSORT_NEARLY, 9, 100, 37, 63, part + 37, 2);
  CHECK(memcmp(whole, part, sizeof whole) == 0);
}

static void test_merge_runs_and_bounds(void)
{
  uint64_t a[10] = {1, 4, 9, 2, 3, 10, 0, 5, 5, 7}, t[10];
  size_t offs[4] = {0, 3, 6, 10};
  uint64_t *r = msort_keys_merge_runs(8, a, t, offs, 3, 2);
  uint64_t want[10] = {0, 1, 2, 3, 4, 5, 5, 7, 9, 10};
  CHECK(r != NULL && memcmp(r, want, sizeof want) == 0);
  CHECK(msort_keys_lower(8, want, 10, 5) == 5);
  CHECK(msort_keys_upper(8, want, 10, 5) == 7);
  CHECK(msort_keys_lower(8, want, 10, 11) == 10);
  /* co-rank: first k outputs of a stable merge */
  uint64_t x[3] = {1, 5, 5}, y[3] = {5, 5, 6};
  CHECK(msort_corank_k64(3, x, 3, y, 3) == 3); /* equal keys: left first */
  CHECK(msort_corank_k64(1, x, 3, y, 3) == 1);
  CHECK(msort_corank_k64(5, x, 3, y, 3) == 3);
}

/* The parallel rec100 merge (msort --algo gather) equals the serial one:
 * stable, left run first on equal keys, at any thread count. */
static void test_rec_pmerge(void)
{
  size_t n = 30011, na = 12007, R = MSORT_REC_SIZE;
  unsigned char *in = malloc(n * R), *want = malloc(n * R), *got = malloc(n * R);
  struct msort_ws ws;
  if (in == NULL || want == NULL || got == NULL || msort_ws_alloc(&ws, MSORT_REC100, n, 1) != 0)
    return;
  msort_generate(MSORT_REC100, MSORT_FEW, 4, n, 0, n, in, 2);
  memcpy(in, msort_sort(MSORT_REC100, MSORT_SERIAL, in, na, &ws, 1, 0), na * R);
  unsigned char *b = in + na * R;
  memcpy(b, msort_sort(MSORT_REC100, MSORT_SERIAL, b, n - na, &ws, 1, 0), (n - na) * R);
  msort_rec_merge(in, na, b, n - na, want);
  CHECK(msort_first_unstable(want, n, MSORT_UNIFORM, 1) == n);
  for (int th = 1; th <= 4; th++) {
    msort_rec_pmerge(in, na, b, n - na, got, th);
    CHECK(memcmp(got, want, n * R) == 0);
  }
  msort_ws_free(&ws);
  free(in);
  free(want);
  free(got);
}

/* gensort records with known values: rand16.c (Chris Nyberg) tabulates the
 * generator's powers, and the constant of f^(2^j) is X(2^j), the number of
 * record 2^j - 1: its key is that constant's high 10 bytes. Record 0 is
 * X(1) = c, whose key spells "JimGrayRIP". Generated alone or amid a slice
 * on several threads, a record is the same. */
static void test_gensort_known(void)
{
  static const struct {
    uint64_t rec;
    const char *key;
  } known[] = {{0, "4a696d47726179524950"},
               {1, "95e0e48262b3edfe0447"},
               {3, "882a02c315362b60765f"},
               {1023, "991965329dccb28d5811"},
               {(1ULL << 20) - 1, "1b25cb9cfe5a0c963174"},
               {(1ULL << 40) - 1, "e941a65d66b64bfd71a9"}};
  unsigned char r[MSORT_REC_SIZE], slice[8 * MSORT_REC_SIZE];
  for (size_t k = 0; k < sizeof known / sizeof known[0]; k++) {
    msort_gensort(known[k].rec, 1, r, 1);
    char hex[21];
    for (int b = 0; b < 10; b++)
      snprintf(hex + 2 * b, 3, "%02x", r[b]);
    CHECK(strcmp(hex, known[k].key) == 0);
    CHECK(msort_gensort_index(r) == known[k].rec);
    CHECK(r[10] == 0x00 && r[11] == 0x11 && r[44] == 0x88 && r[99] == 0xFF);
    uint64_t first = known[k].rec > 3 ? known[k].rec - 3 : 0;
    msort_gensort(first, 8, slice, 3);
    CHECK(memcmp(slice + (known[k].rec - first) * MSORT_REC_SIZE, r, MSORT_REC_SIZE) == 0);
  }
  msort_gensort(0, 1, r, 1); /* record 0 in full: X(1) = c */
  CHECK(memcmp(r, "JimGrayRIP\x00\x11", 12) == 0);
  CHECK(memcmp(r + 12, "00000000000000000000000000000000\x88\x99\xaa\xbb", 36) == 0);
  CHECK(memcmp(r + 48, "222200002222000022220000222200002222000000001111", 48) == 0);
  CHECK(memcmp(r + 96, "\xcc\xdd\xee\xff", 4) == 0);
  CHECK(msort_crc32("123456789", 9) == 0xCBF43926u); /* the CRC-32 check value */
}

static void test_parse(void)
{
  char why[200];
  uint32_t u;
  int64_t i;
  double d;
  CHECK(msort_parse_number(MSORT_U32, " 4294967295 ", &u, why, sizeof why) == 0 &&
        u == 4294967295u);
  CHECK(msort_parse_number(MSORT_U32, "4294967296", &u, why, sizeof why) != 0);
  CHECK(msort_parse_number(MSORT_U32, "-1", &u, why, sizeof why) != 0);
  CHECK(msort_parse_number(MSORT_I64, "-9223372036854775808", &i, why, sizeof why) == 0);
  CHECK(msort_parse_number(MSORT_I64, "12x", &i, why, sizeof why) != 0 && strstr(why, "12x"));
  CHECK(msort_parse_number(MSORT_F64, "-nan", &d, why, sizeof why) == 0 && isnan(d));
  CHECK(msort_parse_number(MSORT_F64, "1e999", &d, why, sizeof why) != 0);
  CHECK(msort_parse_number(MSORT_F64, "", &d, why, sizeof why) != 0);
}

int main(void)
{
  test_matrix();
  test_parallel_large();
  test_float_order();
  test_checks();
  test_merge_runs_and_bounds();
  test_rec_pmerge();
  test_gensort_known();
  test_parse();
  return check_summary("test_msort");
}
