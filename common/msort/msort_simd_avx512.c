/* The vectorised merge sort (msort_simd.h) for AVX-512F: 16 u32 or 8 u64
 * keys per register. Compiled with -mavx512f (common/msort/CMakeLists.txt)
 * and called only when the CPU has AVX-512F (msort_dispatch.c). */
#include <immintrin.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msort.h"
#include "msort_simd_kern.h"

#define MSS_INL static inline __attribute__((always_inline))

/* ---- 8 x u64 ---- */
#define T          uint64_t
#define V          __m512i
#define W          8
#define K          16
#define MR         2
#define SFX        avx512_k64
#define MSS_CORANK msort_corank_k64
MSS_INL V vload(const T *p)
{
  return _mm512_loadu_si512((const void *)p);
}
MSS_INL void vstore(T *p, V v)
{
  _mm512_storeu_si512((void *)p, v);
}
MSS_INL V vmin(V a, V b)
{
  return _mm512_min_epu64(a, b);
}
MSS_INL V vmax(V a, V b)
{
  return _mm512_max_epu64(a, b);
}
/* Both at once from one compare and two blends: on this class of CPU the
 * 512-bit min, max, compare and shuffles share one port, and the blends may
 * go to another, so this form takes one slot of that port, not two. */
MSS_INL void vminmax(V a, V b, V *lo, V *hi)
{
  __mmask8 m = _mm512_cmplt_epu64_mask(b, a);
  *lo = _mm512_mask_blend_epi64(m, a, b);
  *hi = _mm512_mask_blend_epi64(m, b, a);
}
#define MSS_MINMAX vminmax
MSS_INL V vperm(V v, unsigned m)
{
  switch (m) {
  case 1:
    return _mm512_shuffle_epi32(v, _MM_PERM_BADC);
  case 2:
    return _mm512_permutex_epi64(v, 0x4E);
  case 4:
    return _mm512_shuffle_i64x2(v, v, 0x4E);
  default:
    return _mm512_permutexvar_epi64(
        _mm512_set_epi64(7 ^ m, 6 ^ m, 5 ^ m, 4 ^ m, 3 ^ m, 2 ^ m, 1 ^ m, 0 ^ m), v);
  }
}
MSS_INL V vblend(V lo, V hi, unsigned bit)
{
  __mmask8 k = bit == 1 ? 0xAA : bit == 2 ? 0xCC : 0xF0;
  return _mm512_mask_blend_epi64(k, lo, hi);
}
/* The stages inside the registers (i ^ 4, 2, 1) of the bitonic clean of 16
 * keys in two registers, with every comparator between the two: regroup the
 * lanes (shuffles, off the min/max port) so that each min/max does 8 useful
 * comparisons, not 4. 64-bit unsigned min and
 * max run on one port with a latency of 3 on this class of CPU, so the plain
 * clean (a permute, then min and a masked max on the same register) is bound
 * by them; this form needs half as many. Lanes are named by their position
 * in the sorted result. */
MSS_INL void vclean_in(V *r)
{
  V l = r[0], h = r[1]; /* i, i^8 done */
  V x = _mm512_shuffle_i64x2(l, h, 0x44), y = _mm512_shuffle_i64x2(l, h, 0xEE);
  vminmax(x, y, &l, &h);                /* i, i^4: l 0-3 8-11, h 4-7 12-15 */
  x = _mm512_shuffle_i64x2(l, h, 0x88); /* 0,1 8,9 4,5 12,13 */
  y = _mm512_shuffle_i64x2(l, h, 0xDD); /* 2,3 10,11 6,7 14,15 */
  vminmax(x, y, &l, &h);                /* i, i^2 */
  x = _mm512_unpacklo_epi64(l, h);      /* 0,2 8,10 4,6 12,14 */
  y = _mm512_unpackhi_epi64(l, h);      /* 1,3 9,11 5,7 13,15 */
  vminmax(x, y, &l, &h);                /* i, i^1: evens in l, odds in h */
  r[0] = _mm512_permutex2var_epi64(l, _mm512_set_epi64(13, 5, 12, 4, 9, 1, 8, 0), h);
  r[1] = _mm512_permutex2var_epi64(l, _mm512_set_epi64(15, 7, 14, 6, 11, 3, 10, 2), h);
}
#define MSS_CLEAN_IN vclean_in
#include "msort_simd.h"
#undef MSS_CLEAN_IN
#undef MSS_MINMAX
#undef T
#undef V
#undef W
#undef K
#undef MR
#undef SFX
#undef MSS_CORANK

/* ---- 16 x u32 ---- */
#define T          uint32_t
#define V          __m512i
#define W          16
#define K          16
#define MR         2
#define SFX        avx512_k32
#define MSS_CORANK msort_corank_k32
#define vload      vload32
#define vstore     vstore32
#define vmin       vmin32
#define vmax       vmax32
#define vperm      vperm32
#define vblend     vblend32
MSS_INL V vload(const T *p)
{
  return _mm512_loadu_si512((const void *)p);
}
MSS_INL void vstore(T *p, V v)
{
  _mm512_storeu_si512((void *)p, v);
}
MSS_INL V vmin(V a, V b)
{
  return _mm512_min_epu32(a, b);
}
MSS_INL V vmax(V a, V b)
{
  return _mm512_max_epu32(a, b);
}
MSS_INL void vminmax32(V a, V b, V *lo, V *hi) /* as vminmax above */
{
  __mmask16 m = _mm512_cmplt_epu32_mask(b, a);
  *lo = _mm512_mask_blend_epi32(m, a, b);
  *hi = _mm512_mask_blend_epi32(m, b, a);
}
#define MSS_MINMAX vminmax32
MSS_INL V vperm(V v, unsigned m)
{
  switch (m) {
  case 1:
    return _mm512_shuffle_epi32(v, _MM_PERM_CDAB);
  case 2:
    return _mm512_shuffle_epi32(v, _MM_PERM_BADC);
  case 3:
    return _mm512_shuffle_epi32(v, _MM_PERM_ABCD);
  case 4:
    return _mm512_shuffle_i32x4(v, v, 0xB1);
  case 8:
    return _mm512_shuffle_i32x4(v, v, 0x4E);
  default:
    return _mm512_permutexvar_epi32(_mm512_set_epi32(15 ^ m, 14 ^ m, 13 ^ m, 12 ^ m, 11 ^ m, 10 ^ m,
                                                     9 ^ m, 8 ^ m, 7 ^ m, 6 ^ m, 5 ^ m, 4 ^ m,
                                                     3 ^ m, 2 ^ m, 1 ^ m, 0 ^ m),
                                    v);
  }
}
MSS_INL V vblend(V lo, V hi, unsigned bit)
{
  __mmask16 k = bit == 1 ? 0xAAAA : bit == 2 ? 0xCCCC : bit == 4 ? 0xF0F0 : 0xFF00;
  return _mm512_mask_blend_epi32(k, lo, hi);
}
/* The same for 32 keys (i ^ 8, 4, 2, 1) in two registers of 32-bit keys:
 * their min and max are cheap, but the permute before each of them in the
 * plain clean makes it a third slower than this. */
MSS_INL void vclean_in32(V *r)
{
  V l = r[0], h = r[1]; /* i, i^16 done */
  V x = _mm512_shuffle_i32x4(l, h, 0x44), y = _mm512_shuffle_i32x4(l, h, 0xEE);
  vminmax32(x, y, &l, &h); /* i, i^8 */
  x = _mm512_shuffle_i32x4(l, h, 0x88);
  y = _mm512_shuffle_i32x4(l, h, 0xDD);
  vminmax32(x, y, &l, &h); /* i, i^4 */
  x = _mm512_unpacklo_epi64(l, h);
  y = _mm512_unpackhi_epi64(l, h);
  vminmax32(x, y, &l, &h); /* i, i^2 */
  x = _mm512_castps_si512(_mm512_shuffle_ps(_mm512_castsi512_ps(l), _mm512_castsi512_ps(h), 0x88));
  y = _mm512_castps_si512(_mm512_shuffle_ps(_mm512_castsi512_ps(l), _mm512_castsi512_ps(h), 0xDD));
  vminmax32(x, y, &l, &h); /* i, i^1 */
  r[0] = _mm512_permutex2var_epi32(
      l, _mm512_set_epi32(27, 11, 25, 9, 26, 10, 24, 8, 19, 3, 17, 1, 18, 2, 16, 0), h);
  r[1] = _mm512_permutex2var_epi32(
      l, _mm512_set_epi32(31, 15, 29, 13, 30, 14, 28, 12, 23, 7, 21, 5, 22, 6, 20, 4), h);
}
#define MSS_CLEAN_IN vclean_in32
#include "msort_simd.h"
#undef MSS_MINMAX
