/* msort's vectorised kernels, in process, on every path this CPU runs
 * (scalar, AVX2, AVX-512F; a path the CPU lacks is reported and left out):
 * every type and distribution at odd, tiny and block-edge sizes sorts
 * byte-identical to the comparator reference (serial, tasks at 1-3 threads,
 * chunks); the merge kernels agree with a plain merge on random run lengths
 * with many ties and the extreme keys; special floats (NaNs, -0.0, infinities)
 * keep their total order; rec100 stays stable. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "msort.h"
#include "msort_same.h"
#include "msort_simd_kern.h"
#include "rng.h"

static const size_t sizes[] = {0,  1,  2,  3,   7,   8,   15,  16,  17,   31,   33,
                               63, 64, 65, 127, 128, 129, 255, 257, 1000, 4097, 70001};

/* Check in (n elements of t) on every path this CPU runs. */
static void check_input(enum msort_type t, const void *in, size_t n)
{
  size_t sz = msort_type_size(t);
  char *want = malloc(n * sz + 1), *tmp = malloc(n * sz + 1);
  memcpy(want, in, n * sz);
  msort_ref2(want, n, sz, msort_type_cmp(t), tmp);
  if (t == MSORT_REC100)
    CHECK(msort_first_unstable(want, n, MSORT_UNIFORM, 1) == n);
  for (int p = 0; msort_simd_names[p]; p++) {
    if (msort_simd_set((enum msort_simd)p) != 0)
      continue;
    CHECK(same_as(t, MSORT_SERIAL, in, want, n, 1, 0));
    int big = n > 4 * MSORT_MIN_PIECE;
    for (int th = big ? 1 : 2; th <= (big ? 3 : 2); th++)
      CHECK(same_as(t, MSORT_TASKS, in, want, n, th, 0));
    CHECK(same_as(t, MSORT_CHUNKS, in, want, n, 3, 0));
  }
  free(want);
  free(tmp);
}

static void test_matrix(void)
{
  for (int t = 0; msort_type_names[t]; t++)
    for (int d = 0; msort_dist_names[d]; d++)
      for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        size_t n = sizes[s], sz = msort_type_size((enum msort_type)t);
        if (t == MSORT_REC100 && n > 70000)
          continue;
        char *in = malloc(n * sz + 1);
        msort_generate((enum msort_type)t, (enum msort_dist)d, 11 + s, n, 0, n, in, 2);
        check_input((enum msort_type)t, in, n);
        free(in);
      }
}

/* Floats made of the special values and a few plain ones, in random order. */
static void test_special_floats(void)
{
  double dv[] = {NAN, -NAN, INFINITY, -INFINITY, 0.0, -0.0, 1.5, -1.5, 5e-324, -5e-324};
  float fv[] = {NAN, -NAN, INFINITY, -INFINITY, 0.0f, -0.0f, 1.5f, -1.5f, 1e-45f, -1e-45f};
  size_t n = 1237;
  double *d = malloc(n * sizeof *d);
  float *f = malloc(n * sizeof *f);
  for (size_t i = 0; i < n; i++) {
    uint64_t x = rng_at(5, i);
    d[i] = dv[x % 10];
    f[i] = fv[(x >> 8) % 10];
  }
  uint64_t nanbits = 0x7FF0000000000005ULL; /* NaN payloads stay apart */
  memcpy(&d[7], &nanbits, 8);
  check_input(MSORT_F64, d, n);
  check_input(MSORT_F32, f, n);
  free(d);
  free(f);
}

/* The kernels' merge against a plain merge: random lengths, few distinct
 * keys around 0 and the largest key (the value the tails pad with). Every
 * fourth round takes lengths up to MAXN, so that merges are cut into pieces
 * (two register merges in turn), with runs of 0 and 1 keys and very unequal
 * runs among them. */
static void test_merges(const struct msort_kern *k)
{
  if (k->merge_k64 == NULL) /* this path merges 64-bit keys in the core */
    return;
  enum { MAXN = 3000 };
  static uint64_t a[MAXN], b[MAXN], o[2 * MAXN], w[2 * MAXN];
  static uint32_t a4[MAXN], b4[MAXN], o4[2 * MAXN], w4[2 * MAXN];
  uint64_t q = 0; /* rng_at's counter */
  msort_cmp_fn c64 = msort_type_cmp(MSORT_U64), c32 = msort_type_cmp(MSORT_U32);
  for (int round = 0; round < 3000; round++) {
    size_t lim = round % 4 == 3 ? MAXN : 300;
    size_t na = rng_below_at(9, q++, lim), nb = rng_below_at(9, q++, lim);
    if (round % 16 == 7) /* a run of 0 or 1 keys against a long one */
      na = rng_below_at(9, q++, 2);
    uint64_t spread = 1 + rng_below_at(9, q++, round % 12 == 3 ? 1u << 20 : 8);
    uint64_t shift = round % 32 == 11 ? spread : 0; /* runs that overlap in part */
    for (size_t i = 0; i < MAXN; i++) {
      a[i] = UINT64_MAX - spread + 1 + rng_below_at(9, q++, 2 * spread);
      b[i] = UINT64_MAX - spread + 1 + shift + rng_below_at(9, q++, 2 * spread);
      a4[i] = (uint32_t)a[i];
      b4[i] = (uint32_t)b[i];
    }
    /* the references sort with the comparator, not the kernels */
    msort_ref2(a, na, 8, c64, o);
    msort_ref2(b, nb, 8, c64, o);
    msort_ref2(a4, na, 4, c32, o4);
    msort_ref2(b4, nb, 4, c32, o4);
    memcpy(w, a, na * 8);
    memcpy(w + na, b, nb * 8);
    msort_ref2(w, na + nb, 8, c64, o);
    memcpy(w4, a4, na * 4);
    memcpy(w4 + na, b4, nb * 4);
    msort_ref2(w4, na + nb, 4, c32, o4);
    k->merge_k64(a, na, b, nb, o);
    k->merge_k32(a4, na, b4, nb, o4);
    int ok = memcmp(o, w, (na + nb) * 8) == 0 && memcmp(o4, w4, (na + nb) * 4) == 0;
    CHECK(ok);
    if (!ok) {
      fprintf(stderr, "  merge %zu + %zu keys differs\n", na, nb);
      return;
    }
  }
}

int main(void)
{
  int paths = 0;
  for (int p = 0; msort_simd_names[p]; p++) {
    if (msort_simd_set((enum msort_simd)p) != 0) {
      printf("test_msort_simd: path %s: not on this build or CPU, left out\n", msort_simd_names[p]);
      continue;
    }
    paths++;
    CHECK(msort_simd_path() == (enum msort_simd)p);
    CHECK((msort_simd_kern() == NULL) == (p == MSORT_SIMD_SCALAR));
    if (msort_simd_kern() != NULL)
      test_merges(msort_simd_kern());
#if defined(__x86_64__)
    if (p == MSORT_SIMD_AVX2) { /* built, not dispatched: AVX2's 64-bit merge */
      struct msort_kern all = *msort_simd_kern();
      all.merge_k64 = msort_simd_merge_avx2_k64;
      test_merges(&all);
    }
#endif
  }
  test_matrix();
  test_special_floats();
  printf("test_msort_simd: %d paths checked\n", paths);
  return check_summary("test_msort_simd");
}
