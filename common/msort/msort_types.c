/* msort types: their names, sizes and the plain comparators that the
 * references sort with (written straight from the definitions, apart from
 * the key mapping of msort_key.c, so that the two paths check each other). */
#include <math.h>
#include <string.h>

#include "msort.h"

const char *const msort_type_names[] = {"u32", "i32", "u64", "i64", "f32", "f64", "rec100", NULL};
const char *const msort_dist_names[] = {"uniform", "sorted",  "reverse", "nearly", "few",
                                        "equal",   "zero",    "bucket",  "ggroup", "staggered",
                                        "dups",    "twokeys", "gensort", NULL};
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
