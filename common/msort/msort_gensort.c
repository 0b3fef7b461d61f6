/* Records of the sort benchmark's gensort (binary records, as gensort
 * without -a writes them), written from the published definitions:
 *
 * - the generator (rand16.c, Chris Nyberg): a 128-bit linear congruential
 *   generator X(k+1) = (a X(k) + c) mod 2^128 with
 *   a = 0x2360ed051fc65da44385df649fccf645, c = 0x4a696d47726179524950202020202001
 *   and X(0) = 0; record i is made from X(i+1) (gensort skips the generator
 *   ahead i steps, then draws one number).
 * - the binary record (gensort.c's gen_rec; Hadoop's GenSort.generateRecord is
 *   the same): bytes 0-9 the high 80 bits of X, big-endian; 10-11 0x00 0x11;
 *   12-43 the record number as 32 upper-case hex digits; 44-47 0x88 0x99 0xAA
 *   0xBB; 48-95 the 12 hex digits of X's low 48 bits, each digit 4 times;
 *   96-99 0xCC 0xDD 0xEE 0xFF.
 * Skipping ahead composes the affine step with itself by squaring (log2 i
 * steps), so every thread and rank starts its slice directly. */
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "msort.h"

#define GS_A (((msort_u128)0x2360ed051fc65da4ULL << 64) | 0x4385df649fccf645ULL)
#define GS_C (((msort_u128)0x4a696d4772617952ULL << 64) | 0x4950202020202001ULL)

/* X(k) = f^k(0) for f(x) = a x + c: the powers f^(2^j) by squaring. */
static msort_u128 gs_skip(uint64_t k)
{
  msort_u128 a = GS_A, c = GS_C, x = 0;
  while (k > 0) {
    if (k & 1)
      x = a * x + c;
    c = a * c + c; /* f^(2m) = f^m o f^m */
    a = a * a;
    k >>= 1;
  }
  return x;
}

static inline unsigned char gs_hex(unsigned v)
{
  return (unsigned char)(v < 10 ? '0' + v : 'A' + v - 10);
}

/* Record number i from X(i+1) = x. */
static void gs_record(msort_u128 x, uint64_t i, unsigned char *r)
{
  for (int b = 0; b < 10; b++)
    r[b] = (unsigned char)(x >> (120 - 8 * b));
  r[10] = 0x00;
  r[11] = 0x11;
  memset(r + 12, '0', 16); /* the high 64 bits of the 128-bit record number */
  for (int d = 0; d < 16; d++)
    r[28 + d] = gs_hex((unsigned)(i >> (60 - 4 * d)) & 0xF);
  r[44] = 0x88;
  r[45] = 0x99;
  r[46] = 0xAA;
  r[47] = 0xBB;
  uint64_t lo = (uint64_t)x;
  for (int d = 0; d < 12; d++)
    memset(r + 48 + 4 * d, gs_hex((unsigned)(lo >> (44 - 4 * d)) & 0xF), 4);
  r[96] = 0xCC;
  r[97] = 0xDD;
  r[98] = 0xEE;
  r[99] = 0xFF;
}

void msort_gensort(uint64_t first, size_t count, void *out, int threads)
{
  unsigned char *r = out;
#pragma omp parallel num_threads(threads)
  {
    int nt = 1, me = 0;
#ifdef _OPENMP
    nt = omp_get_num_threads();
    me = omp_get_thread_num();
#endif
    size_t lo = count * (size_t)me / (size_t)nt, hi = count * (size_t)(me + 1) / (size_t)nt;
    msort_u128 x = gs_skip(first + lo);
    for (size_t k = lo; k < hi; k++) {
      x = GS_A * x + GS_C;
      gs_record(x, first + k, r + k * MSORT_REC_SIZE);
    }
  }
}

uint64_t msort_gensort_index(const unsigned char *r)
{
  uint64_t v = 0;
  for (int d = 0; d < 16; d++) {
    unsigned char h = r[28 + d];
    v = v << 4 | (uint64_t)(h <= '9' ? h - '0' : h - 'A' + 10);
  }
  return v;
}
