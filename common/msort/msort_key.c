/* msort keys: the order-preserving bijections from elements to unsigned
 * keys that the production sort uses (and back), and rec100's 128-bit
 * keys. */
#include <string.h>

#include "msort.h"

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
