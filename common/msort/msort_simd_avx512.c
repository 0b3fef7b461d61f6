/* The vectorised merge sort (msort_simd.h) for AVX-512F: 16 u32 or 8 u64
 * keys per register. Compiled with -mavx512f (common/msort/CMakeLists.txt)
 * and called only when the CPU has AVX-512F (msort_dispatch.c). */
#include <immintrin.h>
#include <stdint.h>
#include <string.h>

#include "msort_simd_kern.h"

#define MSS_INL static inline __attribute__((always_inline))

/* ---- 8 x u64 ---- */
#define T   uint64_t
#define V   __m512i
#define W   8
#define K   16
#define MR  2
#define SFX avx512_k64
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
#include "msort_simd.h"
#undef T
#undef V
#undef W
#undef K
#undef MR
#undef SFX

/* ---- 16 x u32 ---- */
#define T      uint32_t
#define V      __m512i
#define W      16
#define K      16
#define MR     2
#define SFX    avx512_k32
#define vload  vload32
#define vstore vstore32
#define vmin   vmin32
#define vmax   vmax32
#define vperm  vperm32
#define vblend vblend32
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
#include "msort_simd.h"
