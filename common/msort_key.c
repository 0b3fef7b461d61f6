/* msort types: names, sizes, the order-preserving key bijections used by the
 * production sort, and the plain comparators used by the references. */
#include <math.h>
#include <string.h>

#include "msort.h"

const char *const msort_type_names[] = {"u32", "i32", "u64", "i64", "f32", "f64", "rec100", NULL};
const char *const msort_dist_names[] = {"uniform", "sorted", "reverse", "nearly",
                                        "few",     "equal",  NULL};
const char *const msort_algo_names[] = {"tasks", "chunks", "serial", "ref2", "refk", NULL};

size_t msort_type_size(enum msort_type t)
{
  switch (t) {
  case MSORT_U32:
  case MSORT_I32:
  case MSORT_F32:
    return 4;
  case MSORT_U64:
  case MSORT_I64:
  case MSORT_F64:
    return 8;
  case MSORT_REC100:
    return MSORT_REC_SIZE;
  }
  return 0;
}

size_t msort_key_size(enum msort_type t)
{
  return t == MSORT_REC100 ? sizeof(msort_u128) : msort_type_size(t);
}

/* Floats: IEEE totalOrder key (flip all bits of negatives, set the sign bit
 * of positives), then rotated down by the number of negative-NaN patterns so
 * that negative NaNs wrap around to the top, after the positive NaNs. */
#define F64_SIGN   0x8000000000000000ULL
#define F64_NEGNAN ((1ULL << 52) - 1)
#define F32_SIGN   0x80000000U
#define F32_NEGNAN ((1U << 23) - 1)

static inline uint64_t f64_key(uint64_t u)
{
  return ((u & F64_SIGN) ? ~u : (u | F64_SIGN)) - F64_NEGNAN;
}
static inline uint64_t f64_unkey(uint64_t k)
{
  k += F64_NEGNAN;
  return (k & F64_SIGN) ? (k & ~F64_SIGN) : ~k;
}
static inline uint32_t f32_key(uint32_t u)
{
  return ((u & F32_SIGN) ? ~u : (u | F32_SIGN)) - F32_NEGNAN;
}
static inline uint32_t f32_unkey(uint32_t k)
{
  k += F32_NEGNAN;
  return (k & F32_SIGN) ? (k & ~F32_SIGN) : ~k;
}

void msort_to_keys(enum msort_type t, void *data, size_t n, int threads)
{
  uint32_t *p32 = data;
  uint64_t *p64 = data;
  switch (t) {
  case MSORT_I32:
#pragma omp parallel for num_threads(threads) schedule(static)
    for (size_t i = 0; i < n; i++)
      p32[i] ^= F32_SIGN;
    break;
  case MSORT_I64:
#pragma omp parallel for num_threads(threads) schedule(static)
    for (size_t i = 0; i < n; i++)
      p64[i] ^= F64_SIGN;
    break;
  case MSORT_F32:
#pragma omp parallel for num_threads(threads) schedule(static)
    for (size_t i = 0; i < n; i++)
      p32[i] = f32_key(p32[i]);
    break;
  case MSORT_F64:
#pragma omp parallel for num_threads(threads) schedule(static)
    for (size_t i = 0; i < n; i++)
      p64[i] = f64_key(p64[i]);
    break;
  default: /* unsigned: the value is the key; rec100 has separate keys */
    break;
  }
}

void msort_from_keys(enum msort_type t, void *data, size_t n, int threads)
{
  uint32_t *p32 = data;
  uint64_t *p64 = data;
  switch (t) {
  case MSORT_I32:
  case MSORT_I64:
    msort_to_keys(t, data, n, threads); /* an involution */
    break;
  case MSORT_F32:
#pragma omp parallel for num_threads(threads) schedule(static)
    for (size_t i = 0; i < n; i++)
      p32[i] = f32_unkey(p32[i]);
    break;
  case MSORT_F64:
#pragma omp parallel for num_threads(threads) schedule(static)
    for (size_t i = 0; i < n; i++)
      p64[i] = f64_unkey(p64[i]);
    break;
  default:
    break;
  }
}

msort_u128 msort_rec_key(const unsigned char *r, uint64_t idx)
{
  uint64_t hi = 0;
  for (int b = 0; b < 8; b++)
    hi = hi << 8 | r[b];
  uint64_t lo = ((uint64_t)r[8] << 56 | (uint64_t)r[9] << 48) | (idx & 0xFFFFFFFFFFFFULL);
  return (msort_u128)hi << 64 | lo;
}

void msort_rec_make_keys(const unsigned char *recs, size_t n, msort_u128 *keys, int threads)
{
#pragma omp parallel for num_threads(threads) schedule(static)
  for (size_t i = 0; i < n; i++)
    keys[i] = msort_rec_key(recs + i * MSORT_REC_SIZE, i);
}

void msort_rec_gather(const unsigned char *recs, const msort_u128 *keys, size_t n,
                      unsigned char *out, int threads)
{
#pragma omp parallel for num_threads(threads) schedule(static)
  for (size_t j = 0; j < n; j++) {
    size_t i = (size_t)(keys[j] & MSORT_REC_IDX_MASK);
    memcpy(out + j * MSORT_REC_SIZE, recs + i * MSORT_REC_SIZE, MSORT_REC_SIZE);
  }
}

/* ---- reference comparators, written directly from the definitions -------- */
#define CMP_INT(name, T)                                                                           \
  static int name(const void *pa, const void *pb)                                                  \
  {                                                                                                \
    T a, b;                                                                                        \
    memcpy(&a, pa, sizeof a);                                                                      \
    memcpy(&b, pb, sizeof b);                                                                      \
    return (a > b) - (a < b);                                                                      \
  }
CMP_INT(cmp_u32, uint32_t)
CMP_INT(cmp_i32, int32_t)
CMP_INT(cmp_u64, uint64_t)
CMP_INT(cmp_i64, int64_t)

/* Order classes: numbers, then positive NaNs, then negative NaNs. Within
 * numbers -0 < +0; within NaNs IEEE totalOrder (payload ascending for
 * positive NaNs, descending for negative ones). */
#define CMP_FLT(name, F, U)                                                                        \
  static int name(const void *pa, const void *pb)                                                  \
  {                                                                                                \
    F a, b;                                                                                        \
    U ua, ub;                                                                                      \
    memcpy(&a, pa, sizeof a);                                                                      \
    memcpy(&b, pb, sizeof b);                                                                      \
    memcpy(&ua, pa, sizeof ua);                                                                    \
    memcpy(&ub, pb, sizeof ub);                                                                    \
    int ca = isnan(a) ? (signbit(a) ? 2 : 1) : 0;                                                  \
    int cb = isnan(b) ? (signbit(b) ? 2 : 1) : 0;                                                  \
    if (ca != cb)                                                                                  \
      return ca < cb ? -1 : 1;                                                                     \
    if (ca == 0) {                                                                                 \
      if (a != b)                                                                                  \
        return a < b ? -1 : 1;                                                                     \
      int sa = signbit(a) != 0, sb = signbit(b) != 0;                                              \
      return (sa < sb) - (sa > sb);                                                                \
    }                                                                                              \
    if (ca == 1)                                                                                   \
      return (ua > ub) - (ua < ub);                                                                \
    return (ua < ub) - (ua > ub);                                                                  \
  }
CMP_FLT(cmp_f32, float, uint32_t)
CMP_FLT(cmp_f64, double, uint64_t)

static int cmp_rec(const void *a, const void *b)
{
  return memcmp(a, b, MSORT_REC_KEY);
}

msort_cmp_fn msort_type_cmp(enum msort_type t)
{
  static const msort_cmp_fn fns[] = {cmp_u32, cmp_i32, cmp_u64, cmp_i64, cmp_f32, cmp_f64, cmp_rec};
  return fns[t];
}
