/* Vectorised merge sort of unsigned keys, written once over a few vector
 * operations and instantiated per instruction set and key width by
 * msort_simd_avx2.c and msort_simd_avx512.c.
 *
 * The includer defines T (uint32_t or uint64_t), V (the vector type), W
 * (lanes), K (registers in a base-case block), MR (registers per merge step),
 * SFX (name suffix) and the operations as static inline functions:
 *   V vload(const T *p), void vstore(T *p, V v)   unaligned, W elements
 *   V vmin(V a, V b), V vmax(V a, V b)            lane-wise, unsigned order
 *   V vperm(V v, unsigned m)                      lane l gets v[l ^ m]
 *   V vblend(V lo, V hi, unsigned bit)            lanes l with l & bit: hi
 * (vload may map keys to another order, e.g. signed, that vstore undoes.)
 * Optional: MSS_CLEAN_IN(r), the stages inside the registers (i ^ m for m <
 * W) of a bitonic clean of the two registers r[0], r[1], in a faster form
 * for one instruction set; used by the merge step (with MR == 2) and by the
 * base case's passes over whole registers.
 * MSS_CORANK(k, a, na, b, nb): how many of the first k keys of the merge of
 * a and b come from a (the core's msort_corank_k32 or _k64).
 *
 * Every step is a bitonic network in the "flip" form: to merge two ascending
 * runs of k elements, compare element i with 2k-1-i (the flip), then i with
 * i^j for j = k/2 .. 1; the lower index always takes the minimum. Over R
 * registers the global index is r*W + l, so a comparator either stays inside
 * a register (a lane permutation) or pairs two registers (the flip reverses
 * one of them). All loops have constant bounds and unroll fully; the
 * registers stay in registers.
 *
 * - base: blocks of K*W keys are loaded into K registers and sorted by the
 *   full bitonic network (a short block is padded with the largest key).
 * - merge: the classic register merge (Inoue et al.), in msort_simd_merge.h:
 *   hold MR registers of the largest keys seen, load MR registers from the
 *   run whose next key is smaller (a mask, no branch), merge the 2*MR
 *   registers with the classic bitonic network (see mss_step_), store the
 *   lower half.
 * - sort: top-down recursion with one scratch buffer used ping-pong, as the
 *   scalar core (msort_core.h); halves are multiples of the block.
 * Equal keys are identical bit patterns, so no order among them can be seen:
 * the result is the one the stable scalar sort gives, byte for byte. */
#define MSS_CAT_(a, b) a##b
#define MSS_CAT(a, b)  MSS_CAT_(a, b)
#define MSS(name)      MSS_CAT(name, SFX)
#define MSS_INLINE     static inline __attribute__((always_inline))
#define MSS_BLK        ((size_t)K * W)
#define MSS_STEP       ((size_t)MR * W)

/* Highest set bit of m (m > 0); a constant for a constant m. */
#define MSS_HIBIT(m) (1u << (31 - __builtin_clz(m)))

/* lo, hi = the lane-wise minimum and maximum of a and b: the includer's
 * MSS_MINMAX when it has one (one compare for both), else vmin and vmax. */
MSS_INLINE void MSS(mss_minmax_)(V a, V b, V *lo, V *hi)
{
#ifdef MSS_MINMAX
  MSS_MINMAX(a, b, lo, hi);
#else
  *lo = vmin(a, b);
  *hi = vmax(a, b);
#endif
}

/* One comparator stage over registers r[0..nreg): index i against i ^ m. */
MSS_INLINE void MSS(mss_stage_)(V *r, int nreg, unsigned m)
{
  if (m < W) {
    unsigned hb = MSS_HIBIT(m);
#pragma GCC unroll 16
    for (int i = 0; i < nreg; i++) {
      V p = vperm(r[i], m), lo, hi;
      MSS(mss_minmax_)(r[i], p, &lo, &hi);
      r[i] = vblend(lo, hi, hb);
    }
    return;
  }
  int mr = (int)(m / W);
  int flip = (m % W) != 0; /* then m % W == W - 1: lanes reversed */
#pragma GCC unroll 16
  for (int i = 0; i < nreg; i++) {
    int j = i ^ mr;
    if (j < i)
      continue;
    V x = r[i], y = flip ? vperm(r[j], W - 1) : r[j], hi;
    MSS(mss_minmax_)(x, y, &r[i], &hi);
    r[j] = flip ? vperm(hi, W - 1) : hi;
  }
}

/* Merge sorted runs of k elements into runs of 2k (over nreg registers);
 * k is a power of two. Counted loops, so that they unroll completely. */
MSS_INLINE void MSS(mss_pass_)(V *r, int nreg, unsigned k)
{
  MSS(mss_stage_)(r, nreg, 2 * k - 1);
#pragma GCC unroll 16
  for (int s = __builtin_ctz(k) - 1; s >= 0; s--)
    MSS(mss_stage_)(r, nreg, 1u << s);
}

/* Sort a bitonic sequence over nreg registers (a power of two): the
 * half-cleaners, register strides first, then inside the registers. */
MSS_INLINE void MSS(mss_clean_)(V *r, int nreg)
{
#pragma GCC unroll 16
  for (int s = __builtin_ctz((unsigned)nreg) - 1; s >= 0; s--)
    MSS(mss_stage_)(r, nreg, (1u << s) * W);
#pragma GCC unroll 16
  for (int s = __builtin_ctz(W) - 1; s >= 0; s--)
    MSS(mss_stage_)(r, nreg, 1u << s);
}

/* One merge step in the classic bitonic form: h (held) and x (new) are
 * sorted runs of MR registers; x reversed and compared lane by lane with h
 * gives two bitonic halves, all of lo below all of h, each then cleaned. Only
 * h is carried to the next step: x's reversal is off that dependency chain. */
MSS_INLINE void MSS(mss_step_)(V *h, const V *x, V *lo)
{
#pragma GCC unroll 8
  for (int i = 0; i < MR; i++) {
    V y = vperm(x[MR - 1 - i], W - 1);
    MSS(mss_minmax_)(h[i], y, &lo[i], &h[i]);
  }
#if defined(MSS_CLEAN_IN) && MR == 2
  MSS(mss_stage_)(lo, MR, W);
  MSS(mss_stage_)(h, MR, W);
  MSS_CLEAN_IN(lo);
  MSS_CLEAN_IN(h);
#else
  MSS(mss_clean_)(lo, MR);
  MSS(mss_clean_)(h, MR);
#endif
}

/* Sort one block of n <= K*W keys from src into dst (the same or apart). */
static void MSS(mss_base_)(const T *src, T *dst, size_t n)
{
  V r[K];
  T buf[K * W];
  if (n < MSS_BLK) {
    memcpy(buf, src, n * sizeof(T));
    for (size_t i = n; i < MSS_BLK; i++)
      buf[i] = (T) ~(T)0;
    src = buf;
  }
#pragma GCC unroll 16
  for (int i = 0; i < K; i++)
    r[i] = vload(src + (size_t)i * W);
#ifdef MSS_CLEAN_IN
    /* runs inside the registers as before; from runs of a whole register on,
     * each pass ends with the faster in-register stages on register pairs */
#pragma GCC unroll 16
  for (int s = 0; s < __builtin_ctz(W); s++)
    MSS(mss_pass_)(r, K, 1u << s);
#pragma GCC unroll 16
  for (int s = __builtin_ctz(W); s < __builtin_ctz(K * W); s++) {
    MSS(mss_stage_)(r, K, (2u << s) - 1);
#pragma GCC unroll 16
    for (int j = s - 1; j >= __builtin_ctz(W); j--)
      MSS(mss_stage_)(r, K, 1u << j);
#pragma GCC unroll 16
    for (int i = 0; i < K; i += 2)
      MSS_CLEAN_IN(&r[i]);
  }
#else
#pragma GCC unroll 16
  for (int s = 0; s < __builtin_ctz(K * W); s++)
    MSS(mss_pass_)(r, K, 1u << s);
#endif
  T *to = n < MSS_BLK ? buf : dst;
#pragma GCC unroll 16
  for (int i = 0; i < K; i++)
    vstore(to + (size_t)i * W, r[i]);
  if (n < MSS_BLK)
    memcpy(dst, buf, n * sizeof(T));
}

#include "msort_simd_merge.h"

/* The merge the sort uses: this kernel's, unless the includer names another
 * (MSS_SORT_MERGE). */
#ifndef MSS_SORT_MERGE
#define MSS_SORT_MERGE MSS(msort_simd_merge_)
#define MSS_SORT_MERGE_OWN
#endif

#include "msort_simd_merge4.h"

/* Sorts of at least this many keys (32 MiB) merge four quarters at a time:
 * their merges reach memory, and the four-way merge halves those passes
 * (msort_simd_merge4.h). 100M u64 keys, 1 thread: 0.95 of the time with
 * two-way merges throughout; 8 MiB gave 0.97, 128 MiB 0.96 (medians of 5
 * interleaved runs, 2026-12-03). */
#ifndef MSS4_MIN
#define MSS4_MIN ((size_t)(32u << 20) / sizeof(T))
#endif

/* The first part of a split of n keys: half, a multiple of the block. */
static inline size_t MSS(mss_half_)(size_t n)
{
  size_t h = (n / 2 + MSS_BLK - 1) / MSS_BLK * MSS_BLK;
  return h < n ? h : n / 2;
}

/* Sort a[0..n); the result ends in t when into_t, else in a. buf: the four-
 * way merge's buffer, or NULL for two-way merges throughout. */
static void MSS(mss_sort_)(T *a, T *t, size_t n, int into_t, T *buf)
{
  if (n <= MSS_BLK) {
    MSS(mss_base_)(a, into_t ? t : a, n);
    return;
  }
  size_t h = MSS(mss_half_)(n);
  if (buf != NULL && n >= MSS4_MIN) {
    size_t q[5] = {0, MSS(mss_half_)(h), h, h + MSS(mss_half_)(n - h), n};
    for (int r = 0; r < 4; r++)
      MSS(mss_sort_)(a + q[r], t + q[r], q[r + 1] - q[r], !into_t, buf);
    MSS(mss4_merge_)(into_t ? a : t, q, into_t ? t : a, buf);
    return;
  }
  MSS(mss_sort_)(a, t, h, !into_t, buf);
  MSS(mss_sort_)(a + h, t + h, n - h, !into_t, buf);
  if (into_t)
    MSS_SORT_MERGE(a, h, a + h, n - h, t);
  else
    MSS_SORT_MERGE(t, h, t + h, n - h, a);
}

/* Sort a[0..n); the result ends in t when into_t, else in a. */
void MSS(msort_simd_sort_)(T *a, T *t, size_t n, int into_t)
{
  T *buf = NULL;
  if (n >= MSS4_MIN) /* without it, two-way merges: slower, the same result */
    buf = malloc(2 * MSS4_PIECE * sizeof(T));
  MSS(mss_sort_)(a, t, n, into_t, buf);
  free(buf);
}

#ifdef MSS_SORT_MERGE_OWN
#undef MSS_SORT_MERGE
#undef MSS_SORT_MERGE_OWN
#endif
#undef MSS_SPLIT
#undef MSS4_MIN
#undef MSS4_PIECE
#undef MSS_CHAINS
#undef MSS_HIBIT
#undef MSS_STEP
#undef MSS_BLK
#undef MSS_INLINE
#undef MSS
#undef MSS_CAT
#undef MSS_CAT_
