/* The vectorised kernels of msort (msort_simd.h instantiated in
 * msort_simd_avx2.c and msort_simd_avx512.c) and their run-time choice
 * (msort_dispatch.c). */
#ifndef CONCUR_MSORT_SIMD_KERN_H
#define CONCUR_MSORT_SIMD_KERN_H

#include <stddef.h>
#include <stdint.h>

/* sort: a[0..n) sorted into t (into_t) or a, t scratch of n keys.
 * merge: sorted a[0..na) and b[0..nb) into o, which overlaps neither. */
#define MSORT_SIMD_DECLARE(T, SFX)                                                                 \
  void msort_simd_sort_##SFX(T *a, T *t, size_t n, int into_t);                                    \
  void msort_simd_merge_##SFX(const T *a, size_t na, const T *b, size_t nb, T *o);
MSORT_SIMD_DECLARE(uint32_t, avx2_k32)
MSORT_SIMD_DECLARE(uint64_t, avx2_k64)
MSORT_SIMD_DECLARE(uint32_t, avx512_k32)
MSORT_SIMD_DECLARE(uint64_t, avx512_k64)

/* One instruction set's kernels for 32- and 64-bit keys; a NULL merge leaves
 * those merges to the scalar core. */
struct msort_kern {
  void (*sort_k32)(uint32_t *a, uint32_t *t, size_t n, int into_t);
  void (*merge_k32)(const uint32_t *a, size_t na, const uint32_t *b, size_t nb, uint32_t *o);
  void (*sort_k64)(uint64_t *a, uint64_t *t, size_t n, int into_t);
  void (*merge_k64)(const uint64_t *a, size_t na, const uint64_t *b, size_t nb, uint64_t *o);
};

/* The kernels of the path in use; NULL for the scalar path. */
const struct msort_kern *msort_simd_kern(void);

#endif
