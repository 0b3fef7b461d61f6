/* msort_sort: one entry point over types and algorithms, and its scratch. */
#include <stdlib.h>
#include <string.h>

#include "memory.h"
#include "msort.h"
#include "progress.h"

struct progress *msort_progress;

size_t msort_ws_bytes(enum msort_type t, size_t n)
{
  size_t b = n * msort_type_size(t);
  if (t == MSORT_REC100)
    b += 2 * n * sizeof(msort_u128);
  return b;
}

int msort_ws_alloc(struct msort_ws *ws, enum msort_type t, size_t n, int threads)
{
  memset(ws, 0, sizeof *ws);
  ws->n = n;
  ws->tmp = mem_alloc_touched(n * msort_type_size(t), threads);
  if (ws->tmp == NULL)
    return -1;
  if (t == MSORT_REC100) {
    ws->keys = mem_alloc_touched(n * sizeof(msort_u128), threads);
    ws->keys_tmp = mem_alloc_touched(n * sizeof(msort_u128), threads);
    if (ws->keys == NULL || ws->keys_tmp == NULL) {
      msort_ws_free(ws);
      return -1;
    }
  }
  return 0;
}

void msort_ws_free(struct msort_ws *ws)
{
  free(ws->tmp);
  free(ws->keys);
  free(ws->keys_tmp);
  memset(ws, 0, sizeof *ws);
}

void msort_sort_keys(size_t ksize, enum msort_algo algo, void *keys, void *tmp, size_t n,
                     int threads)
{
#define MSORT_DISPATCH(SFX, T)                                                                     \
  do {                                                                                             \
    if (algo == MSORT_SERIAL)                                                                      \
      msort_serial_##SFX((T *)keys, (T *)tmp, n);                                                  \
    else if (algo == MSORT_CHUNKS)                                                                 \
      msort_chunks_##SFX((T *)keys, (T *)tmp, n, threads);                                         \
    else                                                                                           \
      msort_tasks_##SFX((T *)keys, (T *)tmp, n, threads);                                          \
  } while (0)
  if (ksize == 4)
    MSORT_DISPATCH(k32, uint32_t);
  else if (ksize == 8)
    MSORT_DISPATCH(k64, uint64_t);
  else
    MSORT_DISPATCH(k128, msort_u128);
#undef MSORT_DISPATCH
}

/* The run's merge levels above the grain, and what its merges have added. */
static unsigned progress_levels;
static uint64_t progress_given;

static void progress_begin(size_t n)
{
  progress_levels = 0;
  for (size_t s = n; s > MSORT_PROGRESS_GRAIN; s = (s + 1) / 2)
    progress_levels++;
  progress_given = 0;
}

void msort_progress_merged(size_t n)
{
  if (msort_progress == NULL || progress_levels == 0)
    return;
  uint64_t k = n / progress_levels; /* a level holds n keys: each adds 1/levels of n */
  __atomic_add_fetch(&progress_given, k, __ATOMIC_RELAXED);
  progress_add(msort_progress, k);
  progress_show(msort_progress);
}

/* The end of a sort: the rest of its n (all of it for the references). */
static void *sorted(void *where, size_t n)
{
  uint64_t given = __atomic_load_n(&progress_given, __ATOMIC_RELAXED);
  progress_add(msort_progress, given < n ? n - given : 0);
  progress_show(msort_progress);
  return where;
}

void *msort_sort(enum msort_type t, enum msort_algo algo, void *data, size_t n, struct msort_ws *ws,
                 int threads, int parts)
{
  size_t size = msort_type_size(t);
  progress_begin(n);
  if (algo == MSORT_REF2) {
    msort_ref2(data, n, size, msort_type_cmp(t), ws->tmp);
    return sorted(data, n);
  }
  if (algo == MSORT_REFK) {
    msort_refk(data, n, size, msort_type_cmp(t), ws->tmp, parts);
    return sorted(data, n);
  }
  if (t == MSORT_REC100) {
    msort_rec_make_keys(data, n, ws->keys, threads);
    msort_sort_keys(sizeof(msort_u128), algo, ws->keys, ws->keys_tmp, n, threads);
    msort_rec_gather(data, ws->keys, n, ws->tmp, threads);
    return sorted(ws->tmp, n);
  }
  msort_to_keys(t, data, n, threads);
  msort_sort_keys(size, algo, data, ws->tmp, n, threads);
  msort_from_keys(t, data, n, threads);
  return sorted(data, n);
}

void msort_keys_merge(size_t ksize, const void *a, size_t na, const void *b, size_t nb, void *o,
                      int threads)
{
#pragma omp parallel num_threads(threads)
#pragma omp single
  {
    if (ksize == 4)
      msort_pmerge_k32(a, na, b, nb, o, 2 * threads);
    else if (ksize == 8)
      msort_pmerge_k64(a, na, b, nb, o, 2 * threads);
    else
      msort_pmerge_k128(a, na, b, nb, o, 2 * threads);
  }
}

void *msort_keys_merge_runs(size_t ksize, void *a, void *t, const size_t *offs, int k, int threads)
{
  if (ksize == 4)
    return msort_merge_runs_k32(a, t, offs, k, threads);
  if (ksize == 8)
    return msort_merge_runs_k64(a, t, offs, k, threads);
  return msort_merge_runs_k128(a, t, offs, k, threads);
}

msort_u128 msort_keys_get(size_t ksize, const void *a, size_t i)
{
  if (ksize == 4)
    return ((const uint32_t *)a)[i];
  if (ksize == 8)
    return ((const uint64_t *)a)[i];
  return ((const msort_u128 *)a)[i] | MSORT_REC_IDX_MASK;
}

size_t msort_keys_lower(size_t ksize, const void *a, size_t n, msort_u128 x)
{
  if (ksize == 4)
    return msort_lower_key_k32(a, n, (uint32_t)x);
  if (ksize == 8)
    return msort_lower_key_k64(a, n, (uint64_t)x);
  return msort_lower_key_k128(a, n, x);
}

size_t msort_keys_upper(size_t ksize, const void *a, size_t n, msort_u128 x)
{
  if (ksize == 4)
    return msort_upper_key_k32(a, n, (uint32_t)x);
  if (ksize == 8)
    return msort_upper_key_k64(a, n, (uint64_t)x);
  return msort_upper_key_k128(a, n, x);
}

void msort_rec_merge(const unsigned char *a, size_t na, const unsigned char *b, size_t nb,
                     unsigned char *o)
{
  const size_t R = MSORT_REC_SIZE;
  while (na > 0 && nb > 0) {
    if (memcmp(b, a, MSORT_REC_KEY) < 0) {
      memcpy(o, b, R);
      b += R;
      nb--;
    } else {
      memcpy(o, a, R);
      a += R;
      na--;
    }
    o += R;
  }
  memcpy(o, a, na * R);
  memcpy(o + na * R, b, nb * R);
}

/* How many of the first k outputs of the stable merge of records a and b
 * come from a (binary search of the split point, as msort_corank_). */
static size_t rec_corank(size_t k, const unsigned char *a, size_t na, const unsigned char *b,
                         size_t nb)
{
  const size_t R = MSORT_REC_SIZE;
  size_t lo = k > nb ? k - nb : 0, hi = k < na ? k : na;
  while (lo < hi) {
    size_t i = lo + (hi - lo) / 2, j = k - i;
    if (memcmp(b + (j - 1) * R, a + i * R, MSORT_REC_KEY) >= 0) /* a[i] goes before b[j-1] */
      lo = i + 1;
    else
      hi = i;
  }
  return lo;
}

void msort_rec_pmerge(const unsigned char *a, size_t na, const unsigned char *b, size_t nb,
                      unsigned char *o, int threads)
{
  const size_t R = MSORT_REC_SIZE;
  size_t n = na + nb;
  int pieces = 2 * threads;
  if ((size_t)pieces > n / 4096 + 1)
    pieces = (int)(n / 4096 + 1);
  if (pieces <= 1 || threads <= 1) {
    msort_rec_merge(a, na, b, nb, o);
    return;
  }
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
  for (int p = 0; p < pieces; p++) {
    size_t k0 = n * (size_t)p / (size_t)pieces, k1 = n * (size_t)(p + 1) / (size_t)pieces;
    size_t i0 = rec_corank(k0, a, na, b, nb), i1 = rec_corank(k1, a, na, b, nb);
    msort_rec_merge(a + i0 * R, i1 - i0, b + (k0 - i0) * R, (k1 - i1) - (k0 - i0), o + k0 * R);
  }
}
