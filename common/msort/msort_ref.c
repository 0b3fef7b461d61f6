/* The two textbook references, kept simple: they sort raw elements of any
 * size with a comparator, one element at a time. They exist to teach and to
 * check the production sort (which sorts keys, see msort_core.h). */
#include <stdlib.h>
#include <string.h>

#include "msort.h"

/* Stable merge of the sorted halves [lo, mid) and [mid, hi) of base, through
 * tmp: on equal elements the left one goes first. */
static void ref_merge(char *base, size_t lo, size_t mid, size_t hi, size_t size, msort_cmp_fn cmp,
                      char *tmp)
{
  size_t i = lo, j = mid, o = lo;
  while (i < mid && j < hi) {
    if (cmp(base + j * size, base + i * size) < 0)
      memcpy(tmp + o++ * size, base + j++ * size, size);
    else
      memcpy(tmp + o++ * size, base + i++ * size, size);
  }
  memcpy(tmp + o * size, base + i * size, (mid - i) * size);
  o += mid - i;
  memcpy(tmp + o * size, base + j * size, (hi - j) * size);
  memcpy(base + lo * size, tmp + lo * size, (hi - lo) * size);
}

/* Top-down: sort each half, then merge them. */
static void ref_sort(char *base, size_t lo, size_t hi, size_t size, msort_cmp_fn cmp, char *tmp)
{
  if (hi - lo < 2)
    return;
  size_t mid = lo + (hi - lo) / 2;
  ref_sort(base, lo, mid, size, cmp, tmp);
  ref_sort(base, mid, hi, size, cmp, tmp);
  ref_merge(base, lo, mid, hi, size, cmp, tmp);
}

void msort_ref2(void *base, size_t n, size_t size, msort_cmp_fn cmp, void *tmp)
{
  ref_sort(base, 0, n, size, cmp, tmp);
}

void msort_refk(void *base, size_t n, size_t size, msort_cmp_fn cmp, void *tmp, int k)
{
  char *b = base, *t = tmp;
  if (k < 1)
    k = 1;
  size_t *pos = malloc(2 * (size_t)k * sizeof *pos);
  if (pos == NULL) { /* fall back to the 2-way reference */
    msort_ref2(base, n, size, cmp, tmp);
    return;
  }
  size_t *end = pos + k;
  /* 1. split into k parts of nearly equal size and sort each one */
  for (int p = 0; p < k; p++) {
    pos[p] = n * (size_t)p / (size_t)k;
    end[p] = n * (size_t)(p + 1) / (size_t)k;
    msort_ref2(b + pos[p] * size, end[p] - pos[p], size, cmp, t);
  }
  /* 2. k-way merge: repeatedly take the smallest head (the first part wins
   * ties, which keeps the sort stable) */
  for (size_t o = 0; o < n; o++) {
    int best = -1;
    for (int p = 0; p < k; p++)
      if (pos[p] < end[p] && (best < 0 || cmp(b + pos[p] * size, b + pos[best] * size) < 0))
        best = p;
    memcpy(t + o * size, b + pos[best]++ * size, size);
  }
  memcpy(b, t, n * size);
  free(pos);
}
