/* The vectorised merge sort (msort_simd.h) for AVX2: 8 u32 or 4 u64 keys per
 * register. AVX2 has no unsigned 64-bit compare: u64 keys are loaded with
 * the sign bit flipped, compared signed and flipped back on store; 64-bit
 * keys get the vector base case and the scalar merge (see below). Compiled
 * with -mavx2 (common/msort/CMakeLists.txt) and called only when the CPU has
 * AVX2 (msort_dispatch.c). */
#include <immintrin.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msort.h"
#include "msort_simd_kern.h"

#define MSS_INL static inline __attribute__((always_inline))

/* ---- 4 x u64 ---- */
#define T          uint64_t
#define V          __m256i
#define W          4
#define K          8
#define MR         2
#define SFX        avx2_k64
#define MSS_CORANK msort_corank_k64
/* The sort merges with the scalar core's merge (msort_core.h): without
 * unsigned 64-bit min/max, a vector merge step of 4-lane registers costs more
 * than the scalar merge's two chains (measured: 2.6 against 1.8 ns per key
 * in cache), while the vector base case still wins. The vector merge below
 * stays built and tested, and msort_dispatch.c leaves 64-bit merges to the
 * core on this path. */
#define MSS_SORT_MERGE msort_merge_k64
MSS_INL V vbias(void)
{
  return _mm256_set1_epi64x((long long)0x8000000000000000ULL);
}
MSS_INL V vload(const T *p)
{
  return _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)p), vbias());
}
MSS_INL void vstore(T *p, V v)
{
  _mm256_storeu_si256((__m256i *)p, _mm256_xor_si256(v, vbias()));
}
MSS_INL V vmin(V a, V b)
{
  return _mm256_blendv_epi8(a, b, _mm256_cmpgt_epi64(a, b));
}
MSS_INL V vmax(V a, V b)
{
  return _mm256_blendv_epi8(b, a, _mm256_cmpgt_epi64(a, b));
}
MSS_INL V vperm(V v, unsigned m)
{
  switch (m) {
  case 1:
    return _mm256_shuffle_epi32(v, 0x4E);
  case 2:
    return _mm256_permute4x64_epi64(v, 0x4E);
  default:
    return _mm256_permute4x64_epi64(v, 0x1B);
  }
}
MSS_INL V vblend(V lo, V hi, unsigned bit)
{
  if (bit == 1)
    return _mm256_blend_epi32(lo, hi, 0xCC);
  return _mm256_blend_epi32(lo, hi, 0xF0);
}
#include "msort_simd.h"
#undef MSS_SORT_MERGE
#undef T
#undef V
#undef W
#undef K
#undef MR
#undef SFX
#undef MSS_CORANK

/* ---- 8 x u32 ---- */
#define T          uint32_t
#define V          __m256i
#define W          8
#define K          8
#define MR         4
#define SFX        avx2_k32
#define MSS_CORANK msort_corank_k32
#define vload      vload32
#define vstore     vstore32
#define vmin       vmin32
#define vmax       vmax32
#define vperm      vperm32
#define vblend     vblend32
MSS_INL V vload(const T *p)
{
  return _mm256_loadu_si256((const __m256i *)p);
}
MSS_INL void vstore(T *p, V v)
{
  _mm256_storeu_si256((__m256i *)p, v);
}
MSS_INL V vmin(V a, V b)
{
  return _mm256_min_epu32(a, b);
}
MSS_INL V vmax(V a, V b)
{
  return _mm256_max_epu32(a, b);
}
MSS_INL V vperm(V v, unsigned m)
{
  switch (m) {
  case 1:
    return _mm256_shuffle_epi32(v, 0xB1);
  case 2:
    return _mm256_shuffle_epi32(v, 0x4E);
  case 3:
    return _mm256_shuffle_epi32(v, 0x1B);
  case 4:
    return _mm256_permute4x64_epi64(v, 0x4E);
  default:
    return _mm256_permutevar8x32_epi32(
        v, _mm256_set_epi32(7 ^ m, 6 ^ m, 5 ^ m, 4 ^ m, 3 ^ m, 2 ^ m, 1 ^ m, 0 ^ m));
  }
}
MSS_INL V vblend(V lo, V hi, unsigned bit)
{
  if (bit == 1)
    return _mm256_blend_epi32(lo, hi, 0xAA);
  if (bit == 2)
    return _mm256_blend_epi32(lo, hi, 0xCC);
  return _mm256_blend_epi32(lo, hi, 0xF0);
}
#include "msort_simd.h"
