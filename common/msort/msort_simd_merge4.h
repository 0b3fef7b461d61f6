/* The four-way merge of msort's vector kernels: part of msort_simd.h
 * (included there, after msort_simd_merge.h; the same T, SFX and merge).
 *
 * Why: above the caches every level of a two-way merge sort reads and
 * writes all the data once, and there the merges run at memory speed, not
 * at the register merge's speed. Merging four runs at once halves those
 * passes. The output goes in pieces of MSS4_PIECE keys: for each piece the
 * keys it takes from each run are found by co-ranking (exact counts, so
 * every piece is full), the pairs (a, b) and (c, d) are merged into two
 * buffers that stay in the core's cache, and the buffers are merged into
 * the output. The inputs are read once and the output written once; the
 * merges in between run from cache.
 *
 * The order is the stable one of merging a with b, c with d, then the two
 * results (ties: a, b, c, d), so the output is the one the two-way sort
 * gives, byte for byte. */

/* Keys per piece, and so per buffer: two buffers of 256 KiB stay in a 2 MiB
 * L2 beside the inputs' and the output's lines. */
#ifndef MSS4_PIECE
#define MSS4_PIECE ((size_t)(256 * 1024) / sizeof(T))
#endif

/* The key at index k of the stable merge of a and b (k < na + nb). */
static inline T MSS(mss4_kth_)(const T *a, size_t na, const T *b, size_t nb, size_t k)
{
  size_t i = MSS_CORANK(k, a, na, b, nb), j = k - i;
  if (i == na)
    return b[j];
  if (j == nb)
    return a[i];
  return b[j] < a[i] ? b[j] : a[i];
}

/* How many of the first k keys of the four-way merge come from each run:
 * run r is p[r][0..n[r]); the counts go to x[0..4). Only the first k keys
 * of a run can be among them, so each search looks at those alone. */
static void MSS(mss4_split_)(const T *const p[4], const size_t n[4], size_t k, size_t x[4])
{
  size_t w[4];
  for (int r = 0; r < 4; r++)
    w[r] = n[r] < k ? n[r] : k;
  size_t nab = w[0] + w[1], ncd = w[2] + w[3];
  /* s: how many come from the merge of a and b (ties go to it) */
  size_t lo = k > ncd ? k - ncd : 0, hi = k < nab ? k : nab;
  while (lo < hi) {
    size_t m = lo + (hi - lo) / 2;
    T ab = MSS(mss4_kth_)(p[0], w[0], p[1], w[1], m);
    T cd = MSS(mss4_kth_)(p[2], w[2], p[3], w[3], k - m - 1);
    if (!(cd < ab))
      lo = m + 1;
    else
      hi = m;
  }
  x[0] = MSS_CORANK(lo, p[0], w[0], p[1], w[1]);
  x[1] = lo - x[0];
  x[2] = MSS_CORANK(k - lo, p[2], w[2], p[3], w[3]);
  x[3] = k - lo - x[2];
}

/* Merge the four consecutive sorted runs src[q[r]..q[r+1]) into dst, with
 * buf (2 * MSS4_PIECE keys) for the pieces' halves. */
static void MSS(mss4_merge_)(const T *src, const size_t q[5], T *dst, T *buf)
{
  const T *p[4];
  size_t n[4], x[4], left = q[4] - q[0];
  for (int r = 0; r < 4; r++) {
    p[r] = src + q[r];
    n[r] = q[r + 1] - q[r];
  }
  T *ab = buf, *cd = buf + MSS4_PIECE;
  while (left > 0) {
    size_t k = left < MSS4_PIECE ? left : MSS4_PIECE;
    MSS(mss4_split_)(p, n, k, x);
    MSS_SORT_MERGE(p[0], x[0], p[1], x[1], ab);
    MSS_SORT_MERGE(p[2], x[2], p[3], x[3], cd);
    MSS_SORT_MERGE(ab, x[0] + x[1], cd, x[2] + x[3], dst);
    for (int r = 0; r < 4; r++) {
      p[r] += x[r];
      n[r] -= x[r];
    }
    dst += k;
    left -= k;
  }
}
