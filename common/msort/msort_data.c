/* msort data: generated inputs (element i depends only on seed, dist, n and
 * i, so every rank and thread count generates the same data), and the
 * untimed checks: sortedness, an order-independent checksum, stability. */
#include <string.h>
#include <unistd.h>

#include "msort.h"
#include "rng.h"

/* Seeds of the side streams (arbitrary distinct constants). */
#define SIDE_NEARLY  0x6E6561726C79ULL
#define SIDE_FEW     0x666577ULL
#define SIDE_EQUAL   0x657175616CULL
#define SIDE_LOW     0x6C6F77ULL
#define SIDE_PAYLOAD 0x7061796CULL
#define SIDE_TWO     0x74776FULL

/* Helman, Bader and JaJa's block-structured inputs, over MSORT_HBJ_BLOCKS
 * blocks (P) of the index range, the key range cut into P buckets: each key is
 * random inside the bucket its position names.
 * - bucket: part j of the P parts of every block in bucket j;
 * - ggroup: blocks in groups of g; part s of the g parts of a block of group
 *   j in bucket (j*g + P/2 + s) mod P;
 * - staggered: block b < P/2 in bucket 2b+1, the others in bucket 2b-P. */
_Static_assert(MSORT_HBJ_BLOCKS == 16, "hbj_key keeps the bucket in the top 4 bits");
static inline uint64_t hbj_key(enum msort_dist d, uint64_t seed, uint64_t n, uint64_t i)
{
  const uint64_t P = MSORT_HBJ_BLOCKS, g = MSORT_HBJ_GROUP;
  uint64_t b = (uint64_t)((msort_u128)i * P / n);
  uint64_t b0 = (uint64_t)(((msort_u128)b * n + P - 1) / P); /* first index of block b */
  uint64_t b1 = (uint64_t)(((msort_u128)(b + 1) * n + P - 1) / P);
  uint64_t len = b1 > b0 ? b1 - b0 : 1, q = i - b0, bucket;
  if (d == MSORT_BUCKET)
    bucket = q * P / len;
  else if (d == MSORT_GGROUP)
    bucket = ((b / g) * g + P / 2 + q * g / len) % P;
  else
    bucket = b < P / 2 ? 2 * b + 1 : 2 * b - P;
  return bucket << 60 | rng_at(seed, i) >> 4; /* P = 16 buckets: 4 bits */
}

/* Element i's 64-bit key in key order (before mapping to the type). */
static inline uint64_t gen_key(enum msort_dist d, uint64_t seed, uint64_t n, uint64_t i)
{
  uint64_t sorted = (uint64_t)(((msort_u128)i << 64) / (n ? n : 1));
  switch (d) {
  case MSORT_UNIFORM:
    return rng_at(seed, i);
  case MSORT_SORTED:
    return sorted;
  case MSORT_REVERSE:
    return ~sorted;
  case MSORT_NEARLY: /* sorted, with 1% of the elements random */
    return rng_below_at(seed ^ SIDE_NEARLY, i, 100) == 0 ? rng_at(seed, i) : sorted;
  case MSORT_FEW: /* 16 distinct values */
    return rng_at(seed ^ SIDE_FEW, rng_below_at(seed, i, 16));
  case MSORT_EQUAL:
    return rng_at(seed ^ SIDE_EQUAL, 0);
  case MSORT_ZERO: /* the key of the value 0 (see msort_generate) */
    return 0;
  case MSORT_BUCKET:
  case MSORT_GGROUP:
  case MSORT_STAGGERED:
    return hbj_key(d, seed, n, i);
  case MSORT_DDUP: { /* n/2 keys log2(n), then n/4 keys log2(n/2), ... */
    uint64_t h = 0;  /* i lies in the part that starts n - n/2^h in */
    while ((n >> (h + 1)) > 0 && i >= n - (n >> (h + 1)))
      h++;
    uint64_t v = (uint64_t)(63 - __builtin_clzll(n >> h));
    return v << 56; /* in the top bits: 32-bit types keep them apart too */
  }
  case MSORT_GENSORT: /* records only (msort_gensort.c); numbers refuse it */
    return rng_at(seed, i);
  case MSORT_TWO: /* random, with 2 distinct keys */
    return rng_at(seed ^ SIDE_TWO, rng_below_at(seed, i, 2));
  }
  return 0;
}

static void gen_record(enum msort_dist d, uint64_t seed, uint64_t n, uint64_t i, unsigned char *r)
{
  uint64_t hi = gen_key(d, seed, n, i);
  uint64_t lo = (d == MSORT_UNIFORM || d == MSORT_NEARLY) ? rng_at(seed ^ SIDE_LOW, i) : 0;
  for (int b = 0; b < 8; b++)
    r[b] = (unsigned char)(hi >> (56 - 8 * b));
  r[8] = (unsigned char)(lo >> 56);
  r[9] = (unsigned char)(lo >> 48);
  for (int b = 0; b < 8; b++) /* the input index, little-endian */
    r[10 + b] = (unsigned char)(i >> (8 * b));
  for (int w = 0; w < 11; w++) { /* payload bytes 18..99 */
    uint64_t v = rng_at(seed ^ SIDE_PAYLOAD, i * 11 + (uint64_t)w);
    int len = w < 10 ? 8 : 2;
    memcpy(r + 18 + 8 * w, &v, (size_t)len);
  }
}

uint64_t msort_rec_index(const unsigned char *r, enum msort_dist d)
{
  if (d == MSORT_GENSORT)
    return msort_gensort_index(r);
  uint64_t v = 0;
  for (int b = 7; b >= 0; b--)
    v = v << 8 | r[10 + b];
  return v;
}

void msort_generate(enum msort_type t, enum msort_dist d, uint64_t seed, uint64_t n, uint64_t first,
                    size_t count, void *out, int threads)
{
  if (t == MSORT_REC100 && d == MSORT_GENSORT) {
    msort_gensort(first, count, out, threads);
    return;
  }
  if (t == MSORT_REC100) {
    unsigned char *r = out;
#pragma omp parallel for num_threads(threads) schedule(static)
    for (size_t k = 0; k < count; k++)
      gen_record(d, seed, n, first + k, r + k * MSORT_REC_SIZE);
    return;
  }
  if (msort_type_size(t) == 4) {
    uint32_t *p = out;
#pragma omp parallel for num_threads(threads) schedule(static)
    for (size_t k = 0; k < count; k++)
      p[k] = (uint32_t)(gen_key(d, seed, n, first + k) >> 32);
  } else {
    uint64_t *p = out;
#pragma omp parallel for num_threads(threads) schedule(static)
    for (size_t k = 0; k < count; k++)
      p[k] = gen_key(d, seed, n, first + k);
  }
  msort_from_keys(t, out, count, threads); /* keys -> values of the type */
  if (d == MSORT_ZERO)                     /* all zero: 0 and +0.0 */
    memset(out, 0, count * msort_type_size(t));
}

static inline uint64_t hash_rec(const unsigned char *r)
{
  uint64_t acc = 0x243F6A8885A308D3ULL, w;
  for (int k = 0; k < 12; k++) {
    memcpy(&w, r + 8 * k, 8);
    acc = rng_mix64(acc ^ w) + (uint64_t)k;
  }
  uint32_t last;
  memcpy(&last, r + 96, 4);
  return rng_mix64(acc ^ last);
}

struct msort_sum msort_checksum(enum msort_type t, const void *data, size_t n, int threads)
{
  uint64_t s = 0, x = 0;
  size_t size = msort_type_size(t);
  const unsigned char *p = data;
#pragma omp parallel for num_threads(threads) schedule(static) reduction(+ : s) reduction(^ : x)
  for (size_t i = 0; i < n; i++) {
    uint64_t h;
    if (size == 4) {
      uint32_t v;
      memcpy(&v, p + 4 * i, 4);
      h = rng_mix64(v + 0x9E3779B97F4A7C15ULL);
    } else if (size == 8) {
      uint64_t v;
      memcpy(&v, p + 8 * i, 8);
      h = rng_mix64(v + 0x9E3779B97F4A7C15ULL);
    } else {
      h = hash_rec(p + i * MSORT_REC_SIZE);
    }
    s += h;
    x ^= h;
  }
  return (struct msort_sum){s, x};
}

size_t msort_first_unsorted(enum msort_type t, const void *data, size_t n, int threads)
{
  size_t bad = n, size = msort_type_size(t);
  const char *p = data;
  msort_cmp_fn cmp = msort_type_cmp(t);
  if (n < 2)
    return n;
    /* the reference comparator: independent of the key mapping */
#pragma omp parallel for num_threads(threads) schedule(static) reduction(min : bad)
  for (size_t i = 0; i < n - 1; i++)
    if (cmp(p + (i + 1) * size, p + i * size) < 0 && i < bad)
      bad = i;
  return bad;
}

size_t msort_first_unstable(const void *recs, size_t n, enum msort_dist d, int threads)
{
  size_t bad = n;
  const unsigned char *r = recs;
  if (n < 2)
    return n;
#pragma omp parallel for num_threads(threads) schedule(static) reduction(min : bad)
  for (size_t i = 0; i < n - 1; i++) {
    const unsigned char *a = r + i * MSORT_REC_SIZE, *b = a + MSORT_REC_SIZE;
    if (memcmp(a, b, MSORT_REC_KEY) == 0 && msort_rec_index(b, d) <= msort_rec_index(a, d) &&
        i < bad)
      bad = i;
  }
  return bad;
}
