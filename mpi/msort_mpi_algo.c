/* msort (MPI): the two distributed sorts. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "mpi_util.h"
#include "msort_mpi_int.h"

/* Elements held by rank r after the merge round that doubles `span`. */
size_t msortm_region(const struct run *R, int r, int span)
{
  int end = r + span < R->size ? r + span : R->size;
  return R->displs[end - 1] + R->counts[end - 1] - R->displs[r];
}

/* Ranks whose data rank r merges in: span of its final region. */
int msortm_final_span(int r, int p)
{
  int s = 1;
  while (s < p && r % (2 * s) == 0)
    s *= 2;
  return r == 0 ? p : s;
}

/* Buffers: a holds the input on rank 0 and receives; t is scratch. Both have
 * room for msortm_region(rank, final_span). Returns the buffer with the result
 * (rank 0: all n elements). */
void *msortm_sort_gather(const struct run *R, void *a, void *t, struct msort_ws *ws, size_t *len)
{
  int p = R->size, r = R->rank;
  int *cnt = malloc(2 * (size_t)p * sizeof *cnt);
  if (cnt == NULL)
    mpix_abort(EXIT_FAIL, "out of memory");
  for (int q = 0; q < p; q++) {
    cnt[q] = (int)R->counts[q];
    cnt[p + q] = (int)R->displs[q];
  }
  MPI_Scatterv(a, cnt, cnt + p, R->etype, r == 0 ? MPI_IN_PLACE : a, cnt[r], R->etype, 0,
               MPI_COMM_WORLD);
  free(cnt);
  size_t n = R->counts[r];
  int rec = R->o.type == MSORT_REC100;
  if (rec) {
    void *s = msort_sort(MSORT_REC100, MSORT_TASKS, a, n, ws, R->threads, 0);
    if (s != a)
      memcpy(a, s, n * R->esz);
  } else {
    msort_to_keys(R->o.type, a, n, R->threads);
    msort_sort_keys(R->ksz, MSORT_TASKS, a, t, n, R->threads);
  }
  for (int step = 1; step < p; step *= 2) {
    if (r % (2 * step) == step) { /* hand my run to the left partner; done */
      MPI_Send(a, (int)n, R->etype, r - step, 0, MPI_COMM_WORLD);
      break;
    }
    if (r % (2 * step) != 0 || r + step >= p)
      continue;
    size_t pn = msortm_region(R, r + step, step);
    MPI_Recv((char *)a + n * R->esz, (int)pn, R->etype, r + step, 0, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    if (rec)
      msort_rec_pmerge(a, n, (unsigned char *)a + n * R->esz, pn, t, R->threads);
    else
      msort_keys_merge(R->ksz, a, n, (char *)a + n * R->esz, pn, t, R->threads);
    void *s = a;
    a = t;
    t = s;
    n += pn;
  }
  if (r == 0 && !rec)
    msort_from_keys(R->o.type, a, n, R->threads);
  *len = r == 0 ? n : 0;
  return a;
}

/* ---- sample: local sort, splitters, one all-to-all, merge of runs ---------- */

/* A sample: key (widened), the rank it came from and its position there.
 * Ordering by all three makes every element distinct, so equal keys are
 * split between ranks instead of piling up on one. */
struct sample {
  msort_u128 key;
  uint64_t pos;
  int64_t rank;
};

static int sample_cmp(const void *x, const void *y)
{
  const struct sample *a = x, *b = y;
  if (a->key != b->key)
    return a->key < b->key ? -1 : 1;
  if (a->rank != b->rank)
    return a->rank < b->rank ? -1 : 1;
  return (a->pos > b->pos) - (a->pos < b->pos);
}

/* Samples per rank: 16 per rank of the run (64 to 1024), so that with
 * regular sampling no rank gets more than about n/p (1 + 1/16) elements,
 * whatever the input (the hard inputs of --dist zero ... twokeys too). */
static int samples_per_rank(int p)
{
  int s = 16 * p;
  return s < 64 ? 64 : s > 1024 ? 1024 : s;
}

/* cut[i] = how many of my m sorted keys go to ranks < i. */
static void partition(const struct run *R, const void *keys, size_t m, size_t *cut)
{
  int p = R->size;
  int spr = samples_per_rank(p);
  int s = (int)(m < (size_t)spr ? m : (size_t)spr);
  struct sample *mine = calloc((size_t)s + 1, sizeof *mine);
  int *cnt = malloc(2 * (size_t)p * sizeof *cnt);
  if (mine == NULL || cnt == NULL)
    mpix_abort(EXIT_FAIL, "out of memory");
  for (int k = 0; k < s; k++) { /* regular positions */
    size_t pos = (size_t)((msort_u128)m * (unsigned)(2 * k + 1) / (unsigned)(2 * s));
    mine[k] = (struct sample){msort_keys_get(R->ksz, keys, pos), pos, R->rank};
  }
  int bytes = s * (int)sizeof *mine;
  MPI_Allgather(&bytes, 1, MPI_INT, cnt, 1, MPI_INT, MPI_COMM_WORLD);
  int total = 0;
  for (int q = 0; q < p; q++) {
    cnt[p + q] = total;
    total += cnt[q];
  }
  struct sample *all = malloc((size_t)total + 1);
  if (all == NULL)
    mpix_abort(EXIT_FAIL, "out of memory");
  MPI_Allgatherv(mine, bytes, MPI_BYTE, all, cnt, cnt + p, MPI_BYTE, MPI_COMM_WORLD);
  size_t ns = (size_t)total / sizeof *all;
  qsort(all, ns, sizeof *all, sample_cmp);
  cut[0] = 0;
  cut[p] = m;
  for (int i = 1; i < p; i++) {
    if (ns == 0) {
      cut[i] = m;
      continue;
    }
    size_t idx = ns * (size_t)i / (size_t)p;
    const struct sample *sp = &all[idx < ns ? idx : ns - 1];
    size_t lo = msort_keys_lower(R->ksz, keys, m, sp->key);
    size_t hi = msort_keys_upper(R->ksz, keys, m, sp->key);
    size_t c = R->rank < sp->rank ? hi : R->rank > sp->rank ? lo : (size_t)sp->pos;
    c = c < lo ? lo : c > hi ? hi : c;
    cut[i] = c < cut[i - 1] ? cut[i - 1] : c;
  }
  free(all);
  free(cnt);
  free(mine);
}

/* a holds my m input elements; a, t and the workspace have room for cap
 * elements. Returns the buffer with my part of the result, its length in
 * *len. */
/* free + malloc: the old contents are not needed (page faults of a grown
 * buffer are then inside the timed region, which is rare: see CAP_SLACK). */
static void regrow(void **p, size_t bytes)
{
  free(*p);
  *p = malloc(bytes ? bytes : 1);
  if (*p == NULL)
    mpix_abort(EXIT_FAIL, "out of memory growing a buffer to %zu bytes", bytes);
}

void *msortm_sort_sample(const struct run *R, void **pa, void **pt, size_t *cap,
                         struct msort_ws *ws, size_t m, size_t *len)
{
  void *a = *pa, *t = *pt;
  int p = R->size;
  int rec = R->o.type == MSORT_REC100;
  void *keys = a, *sorted = a;
  if (rec) { /* sort the records; then keys with idx = sorted position */
    sorted = msort_sort(MSORT_REC100, MSORT_TASKS, a, m, ws, R->threads, 0);
    msort_rec_make_keys(sorted, m, ws->keys, R->threads);
    keys = ws->keys;
  } else {
    msort_to_keys(R->o.type, a, m, R->threads);
    msort_sort_keys(R->ksz, MSORT_TASKS, a, t, m, R->threads);
  }
  size_t *cut = malloc(((size_t)p + 1) * sizeof *cut);
  int *sc = malloc(4 * (size_t)p * sizeof *sc);
  size_t *offs = malloc(((size_t)p + 1) * sizeof *offs);
  if (cut == NULL || sc == NULL || offs == NULL)
    mpix_abort(EXIT_FAIL, "out of memory");
  partition(R, keys, m, cut);
  int *sd = sc + p, *rc = sc + 2 * p, *rd = sc + 3 * p;
  for (int q = 0; q < p; q++) {
    sc[q] = (int)(cut[q + 1] - cut[q]);
    sd[q] = (int)cut[q];
  }
  MPI_Alltoall(sc, 1, MPI_INT, rc, 1, MPI_INT, MPI_COMM_WORLD);
  size_t total = 0;
  for (int q = 0; q < p; q++) {
    offs[q] = total;
    rd[q] = (int)total;
    total += (size_t)rc[q];
  }
  offs[p] = total;
  if (total > INT_MAX)
    mpix_abort(EXIT_FAIL, "receives %zu elements, more than one MPI message holds", total);
  /* receive into the buffer the sorted data are not in (a for rec100, whose
   * sorted records are in ws->tmp; t otherwise) */
  int grow = total > *cap;
  if (grow)
    regrow(rec ? pa : pt, total * R->esz);
  a = *pa;
  t = *pt;
  void *recv = rec ? a : t;
  MPI_Alltoallv(sorted, sc, sd, R->etype, recv, rc, rd, R->etype, MPI_COMM_WORLD);
  if (grow && rec) {
    regrow(&ws->tmp, total * R->esz);
    regrow((void **)&ws->keys, total * sizeof(msort_u128));
    regrow((void **)&ws->keys_tmp, total * sizeof(msort_u128));
  } else if (grow) {
    regrow(pa, total * R->esz);
    a = *pa;
  }
  if (grow)
    *cap = total;
  void *res;
  if (rec) { /* keys of the received records: index = receive position */
    msort_rec_make_keys(recv, total, ws->keys, R->threads);
    msort_u128 *k = msort_keys_merge_runs(16, ws->keys, ws->keys_tmp, offs, p, R->threads);
    if (k == NULL)
      mpix_abort(EXIT_FAIL, "out of memory");
    msort_rec_gather(recv, k, total, ws->tmp, R->threads);
    res = ws->tmp;
  } else {
    res = msort_keys_merge_runs(R->ksz, recv, a, offs, p, R->threads);
    if (res == NULL)
      mpix_abort(EXIT_FAIL, "out of memory");
    msort_from_keys(R->o.type, res, total, R->threads);
  }
  free(offs);
  free(sc);
  free(cut);
  *len = total;
  return res;
}

/* ---- verification (untimed) ------------------------------------------------ */
