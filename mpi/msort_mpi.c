/* msort: stable merge sort across MPI ranks, OpenMP inside each rank.
 *
 *   --algo sample  distributed sample sort (default): every rank generates or
 *                  reads its own slice, sorts it, splitters come from a
 *                  regular sample, one MPI_Alltoallv moves every element to
 *                  its rank, which merges the runs it received. Data never
 *                  gather on one rank.
 *   --algo gather  the textbook design: rank 0 holds the input, MPI_Scatterv
 *                  deals chunks, every rank sorts its chunk, and a tree of
 *                  pairwise merges brings the result back to rank 0 in
 *                  ceil(log2 p) rounds.
 *
 * Phases: parse (every rank), input (untimed), sort (timed from a barrier,
 * slowest rank reported), verify (untimed: sorted within and across ranks,
 * checksum reduced over ranks, stability for generated rec100), write with
 * MPI-IO into a temporary file that rank 0 renames into place. */
#include <limits.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic_file.h"
#include "errors.h"
#include "mpi_util.h"
#include "msort.h"
#include "msort_opts.h"
#include "report.h"

enum { ALGO_GATHER, ALGO_SAMPLE };
static const char *const algos[] = {"gather", "sample", NULL};

static const struct msort_prog prog = {
    "msort",
    algos,
    ALGO_SAMPLE,
    "                       sample  distributed sample sort (data never gather)\n"
    "                       gather  scatter from rank 0, sort, tree of merges back\n",
    "mpirun -np P msort [-n N] [--dist D] [--type T] [-i FILE] [-o FILE] [--algo A]",
    "mpirun -np 4 msort -n 100M --algo sample    # sort 100M random u64 keys"};

/* Everything one run needs; fixed after set-up. */
struct run {
  struct msort_opts o;
  int rank, size, threads;
  size_t esz, ksz; /* element and key bytes */
  MPI_Datatype etype, ktype;
  uint64_t n;
  size_t *counts, *displs; /* input slice of each rank */
};

/* Largest MPI message we send in one call (counts are ints). */
#define IO_CHUNK ((size_t)1 << 30)

static size_t block_lo(uint64_t n, int r, int p)
{
  return (size_t)((msort_u128)n * (unsigned)r / (unsigned)p);
}

/* Threads per rank: --threads, else OMP_NUM_THREADS, else this rank's share
 * of the cores it may run on. */
static int pick_threads(const struct msort_opts *o)
{
  if (o->threads)
    return o->threads;
  if (getenv("OMP_NUM_THREADS"))
    return omp_get_max_threads();
  MPI_Comm node;
  int local = 1;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
  MPI_Comm_size(node, &local);
  MPI_Comm_free(&node);
  long online = sysconf(_SC_NPROCESSORS_ONLN);
  int t = (int)(online > 0 ? online : 1) / local;
  if (t > omp_get_num_procs())
    t = omp_get_num_procs();
  return t < 1 ? 1 : t;
}

/* Rank 0 decides; everyone learns the code (and n). */
static int bcast_code(int code, uint64_t *n)
{
  uint64_t v[2] = {(uint64_t)code, n ? *n : 0};
  MPI_Bcast(v, 2, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  if (n)
    *n = v[1];
  return (int)v[0];
}

/* MPI-IO read or write of bytes at off, in chunks that fit an int count. */
static int io_at(MPI_File fh, MPI_Offset off, void *buf, size_t bytes, int write)
{
  for (size_t done = 0; done < bytes;) {
    size_t len = bytes - done < IO_CHUNK ? bytes - done : IO_CHUNK;
    MPI_Status st;
    int rc = write ? MPI_File_write_at(fh, off + (MPI_Offset)done, (char *)buf + done, (int)len,
                                       MPI_BYTE, &st)
                   : MPI_File_read_at(fh, off + (MPI_Offset)done, (char *)buf + done, (int)len,
                                      MPI_BYTE, &st);
    int got = 0;
    MPI_Get_count(&st, MPI_BYTE, &got);
    if (rc != MPI_SUCCESS || (size_t)got != len)
      return -1;
    done += len;
  }
  return 0;
}

/* Fill my slice [lo, lo+cnt) of the input into buf (untimed). For text
 * input rank 0 has parsed the whole file into text0. */
static int load_slice(const struct run *R, size_t lo, size_t cnt, void *buf, void *text0)
{
  const struct msort_opts *o = &R->o;
  if (o->input == NULL) {
    msort_generate(o->type, o->dist, o->seed, R->n, lo, cnt, buf, R->threads);
    return EXIT_OK;
  }
  if (o->text) { /* rank 0 deals the parsed numbers */
    int *c = malloc(2 * (size_t)R->size * sizeof *c);
    if (c == NULL)
      mpix_abort(EXIT_FAIL, "out of memory");
    size_t my = cnt;
    unsigned long long mine = my, *all = malloc((size_t)R->size * sizeof *all);
    if (all == NULL)
      mpix_abort(EXIT_FAIL, "out of memory");
    MPI_Gather(&mine, 1, MPI_UNSIGNED_LONG_LONG, all, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
    if (R->rank == 0) {
      size_t d = 0;
      for (int r = 0; r < R->size; r++) {
        c[r] = (int)all[r];
        c[R->size + r] = (int)d;
        d += all[r];
      }
    }
    MPI_Scatterv(text0, c, c + R->size, R->etype, buf, (int)cnt, R->etype, 0, MPI_COMM_WORLD);
    free(all);
    free(c);
    return EXIT_OK;
  }
  MPI_File fh;
  int rc = MPI_File_open(MPI_COMM_WORLD, o->input, MPI_MODE_RDONLY, MPI_INFO_NULL, &fh);
  if (mpix_agree(rc != MPI_SUCCESS)) {
    if (R->rank == 0)
      err_at(o->input, 0, "MPI_File_open failed");
    if (rc == MPI_SUCCESS)
      MPI_File_close(&fh);
    return EXIT_FAIL;
  }
  int bad = io_at(fh, (MPI_Offset)(lo * R->esz), buf, cnt * R->esz, 0);
  MPI_File_close(&fh);
  if (bad)
    err_at(o->input, 0, "read of elements %zu..%zu failed", lo, lo + cnt);
  return mpix_agree(bad) ? EXIT_FAIL : EXIT_OK;
}

/* ---- gather: scatter, local sort, tree of pairwise merges to rank 0 -------- */

/* Elements held by rank r after the merge round that doubles `span`. */
static size_t region(const struct run *R, int r, int span)
{
  int end = r + span < R->size ? r + span : R->size;
  return R->displs[end - 1] + R->counts[end - 1] - R->displs[r];
}

/* Ranks whose data rank r merges in: span of its final region. */
static int final_span(int r, int p)
{
  int s = 1;
  while (s < p && r % (2 * s) == 0)
    s *= 2;
  return r == 0 ? p : s;
}

/* Buffers: a holds the input on rank 0 and receives; t is scratch. Both have
 * room for region(rank, final_span). Returns the buffer with the result
 * (rank 0: all n elements). */
static void *sort_gather(const struct run *R, void *a, void *t, struct msort_ws *ws, size_t *len)
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
    size_t pn = region(R, r + step, step);
    MPI_Recv((char *)a + n * R->esz, (int)pn, R->etype, r + step, 0, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    if (rec)
      msort_rec_merge(a, n, (unsigned char *)a + n * R->esz, pn, t);
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

#define SAMPLES_PER_RANK 64

/* cut[i] = how many of my m sorted keys go to ranks < i. */
static void partition(const struct run *R, const void *keys, size_t m, size_t *cut)
{
  int p = R->size;
  int s = (int)(m < SAMPLES_PER_RANK ? m : SAMPLES_PER_RANK);
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

static void *sort_sample(const struct run *R, void **pa, void **pt, size_t *cap,
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

/* What rank 0 needs to check the boundaries between ranks. */
struct edge {
  uint64_t count;
  unsigned char first[MSORT_REC_SIZE], last[MSORT_REC_SIZE];
};

static int verify(const struct run *R, const void *res, size_t len, struct msort_sum before)
{
  const struct msort_opts *o = &R->o;
  int bad = 0, stab = o->type == MSORT_REC100 && o->input == NULL;
  size_t i = msort_first_unsorted(o->type, res, len, R->threads);
  if (i < len) {
    err_msg("verification FAILED: not sorted at local elements %zu and %zu", i, i + 1);
    bad = 1;
  }
  if (stab && (i = msort_first_unstable(res, len, R->threads)) < len) {
    err_msg("verification FAILED: not stable at local records %zu and %zu", i, i + 1);
    bad = 1;
  }
  struct msort_sum s = msort_checksum(o->type, res, len, R->threads);
  uint64_t v[3] = {s.sum, len, 0}, x = s.xr;
  MPI_Allreduce(MPI_IN_PLACE, v, 2, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
  MPI_Allreduce(MPI_IN_PLACE, &x, 1, MPI_UINT64_T, MPI_BXOR, MPI_COMM_WORLD);
  struct edge e, *all = NULL;
  memset(&e, 0, sizeof e);
  e.count = len;
  if (len > 0) {
    memcpy(e.first, res, R->esz);
    memcpy(e.last, (const char *)res + (len - 1) * R->esz, R->esz);
  }
  if (R->rank == 0 && (all = malloc((size_t)R->size * sizeof *all)) == NULL)
    mpix_abort(EXIT_FAIL, "out of memory");
  MPI_Gather(&e, (int)sizeof e, MPI_BYTE, all, (int)sizeof e, MPI_BYTE, 0, MPI_COMM_WORLD);
  if (R->rank == 0) {
    if (v[1] != R->n) {
      err_msg("verification FAILED: %llu elements after sorting, %llu before",
              (unsigned long long)v[1], (unsigned long long)R->n);
      bad = 1;
    } else if (v[0] != before.sum || x != before.xr) {
      err_msg("verification FAILED: checksum differs, elements were lost or changed");
      bad = 1;
    }
    msort_cmp_fn cmp = msort_type_cmp(o->type);
    const struct edge *prev = NULL;
    for (int r = 0; r < R->size && !bad; r++) {
      if (all[r].count == 0)
        continue;
      if (prev && cmp(all[r].first, prev->last) < 0) {
        err_msg("verification FAILED: rank %d's first element sorts before the previous rank's "
                "last",
                r);
        bad = 1;
      } else if (prev && stab && cmp(all[r].first, prev->last) == 0 &&
                 msort_rec_index(all[r].first) <= msort_rec_index(prev->last)) {
        err_msg("verification FAILED: not stable across ranks %d and its predecessor", r);
        bad = 1;
      }
      prev = &all[r];
    }
    free(all);
  }
  return mpix_agree(bad) ? EXIT_FAIL : EXIT_OK;
}

/* ---- output: every rank writes its slice of the temporary file ------------- */

static int write_output(const struct run *R, const char *tmp, const void *res, size_t len)
{
  char *text = NULL;
  size_t tlen = 0, bytes = len * R->esz;
  const void *buf = res;
  int bad = 0;
  if (R->o.text) {
    FILE *ms = open_memstream(&text, &tlen);
    bad = ms == NULL || msort_write_text(ms, R->o.type, res, len) != 0;
    if (ms)
      fclose(ms);
    buf = text;
    bytes = tlen;
  }
  uint64_t mine = bytes, off = 0;
  MPI_Exscan(&mine, &off, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
  if (R->rank == 0)
    off = 0;
  MPI_File fh;
  int rc = MPI_File_open(MPI_COMM_WORLD, tmp, MPI_MODE_WRONLY, MPI_INFO_NULL, &fh);
  if (rc == MPI_SUCCESS) {
    bad |= io_at(fh, (MPI_Offset)off, (void *)buf, bytes, 1) != 0;
    bad |= MPI_File_close(&fh) != MPI_SUCCESS;
  } else {
    bad = 1;
  }
  free(text);
  if (bad)
    err_at(R->o.output, 0, "writing my slice failed");
  return mpix_agree(bad) ? EXIT_FAIL : EXIT_OK;
}

/* ---- set-up ------------------------------------------------------------------ */

/* Input size: generated, or counted (binary) / parsed (text) by rank 0. */
static int input_size(struct run *R, void **text0)
{
  int rc = EXIT_OK;
  R->n = R->o.n;
  if (R->o.input && R->rank == 0) {
    if (R->o.text) {
      size_t cnt = 0;
      rc = msort_read_text(R->o.input, R->o.type, text0, &cnt);
      R->n = cnt;
    } else {
      rc = msort_file_count(R->o.input, R->o.type, &R->n);
    }
  }
  return bcast_code(rc, &R->n);
}

/* Everyone states what it will allocate; rank 0 refuses when the ranks on
 * one node would need more than the node has. */
static int check_memory(const struct run *R, double mine)
{
  double tot[2] = {mine, 0};
  MPI_Comm node;
  int lrank;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
  MPI_Comm_rank(node, &lrank);
  MPI_Comm_free(&node);
  tot[1] = lrank == 0;
  MPI_Allreduce(MPI_IN_PLACE, tot, 2, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
  double phys = (double)msort_phys_mem(), per_node = tot[0] / (tot[1] > 0 ? tot[1] : 1);
  int rc = EXIT_OK;
  if (R->rank == 0 && phys > 0 && per_node > 0.95 * phys) {
    char a[32], b[32];
    msort_human_bytes(per_node, a, sizeof a);
    msort_human_bytes(phys, b, sizeof b);
    err_msg("%llu %s elements need %s of memory per node (data and scratch), a node has %s",
            (unsigned long long)R->n, msort_type_names[R->o.type], a, b);
    rc = EXIT_FAIL;
  }
  return bcast_code(rc, NULL);
}

#ifndef CAP_SLACK                            /* tests of the regrow path build with a smaller one */
#define CAP_SLACK(m) ((m) + (m) / 16 + 1024) /* sample sort: room for imbalance */
#endif

static int run_sort(struct run *R, void *text0)
{
  const struct msort_opts *o = &R->o;
  int p = R->size, r = R->rank, gather = o->algo == ALGO_GATHER, rec = o->type == MSORT_REC100;
  for (int q = 0; q <= p; q++)
    if (q < p) {
      R->displs[q] = block_lo(R->n, q, p);
      R->counts[q] = block_lo(R->n, q + 1, p) - R->displs[q];
    }
  /* my input slice, and buffer capacity */
  size_t lo = gather ? 0 : R->displs[r], m = gather ? (r == 0 ? (size_t)R->n : 0) : R->counts[r];
  size_t cap = gather ? region(R, r, final_span(r, p)) : CAP_SLACK(m);
  size_t wsn = gather ? (rec ? R->counts[r] : 0) : (rec ? cap : 0);
  int keep = o->input != NULL && o->repeat > 1;
  double need = (double)cap * (double)R->esz * (rec && !gather ? 1 : 2) +
                (wsn ? (double)msort_ws_bytes(o->type, wsn) : 0) +
                (keep ? (double)m * (double)R->esz : 0);
  int rc = check_memory(R, need);
  if (rc != EXIT_OK)
    return rc;
  if (R->counts[0] + 1 > INT_MAX) { /* MPI counts are ints */
    if (r == 0)
      err_msg("%llu elements make %zu per rank, more than one MPI message holds: use more ranks",
              (unsigned long long)R->n, R->counts[0]);
    return EXIT_FAIL;
  }
  struct msort_ws ws;
  memset(&ws, 0, sizeof ws);
  void *a = msort_alloc_touched(cap * R->esz, R->threads);
  void *t = msort_alloc_touched(rec && !gather ? 1 : cap * R->esz, R->threads);
  void *orig = keep ? malloc(m * R->esz + 1) : NULL;
  int bad = a == NULL || t == NULL || (keep && orig == NULL) ||
            (wsn && msort_ws_alloc(&ws, o->type, wsn, R->threads) != 0);
  if (bad)
    err_msg("cannot allocate %.0f bytes", need);
  double *secs = calloc((size_t)o->repeat, sizeof *secs);
  char tmp[PATH_MAX] = "";
  rc = mpix_agree(bad || secs == NULL) ? EXIT_FAIL : EXIT_OK;
  /* input (untimed), its checksum, the output's temporary file */
  if (rc == EXIT_OK)
    rc = load_slice(R, lo, m, a, text0);
  if (rc == EXIT_OK && keep)
    memcpy(orig, a, m * R->esz);
  struct msort_sum before = {0, 0};
  if (rc == EXIT_OK && o->verify) {
    before = msort_checksum(o->type, a, m, R->threads);
    MPI_Allreduce(MPI_IN_PLACE, &before.sum, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
    MPI_Allreduce(MPI_IN_PLACE, &before.xr, 1, MPI_UINT64_T, MPI_BXOR, MPI_COMM_WORLD);
  }
  if (rc == EXIT_OK && o->output) {
    int e = r == 0 ? afile_make_temp(o->output, tmp, sizeof tmp) != 0 : 0;
    rc = bcast_code(e ? EXIT_FAIL : EXIT_OK, NULL);
    MPI_Bcast(tmp, PATH_MAX, MPI_CHAR, 0, MPI_COMM_WORLD);
  }
  /* the timed runs */
  void *res = a;
  size_t len = 0;
  for (int k = 0; rc == EXIT_OK && k < o->repeat; k++) {
    if (k > 0 && keep)
      memcpy(a, orig, m * R->esz);
    else if (k > 0)
      msort_generate(o->type, o->dist, o->seed, R->n, lo, m, a, R->threads);
    double t0 = mpix_timer_start();
    if (gather)
      res = sort_gather(R, a, t, &ws, &len);
    else
      res = sort_sample(R, &a, &t, &cap, &ws, m, &len);
    secs[k] = mpix_elapsed_max(t0);
  }
  /* verify, write, report */
  int verdict = REPORT_UNCHECKED;
  if (rc == EXIT_OK && o->verify) {
    rc = verify(R, res, len, before);
    verdict = rc == EXIT_OK ? REPORT_PASSED : REPORT_FAILED;
  }
  if (rc == EXIT_OK && o->output) {
    rc = write_output(R, tmp, res, len);
    if (r == 0)
      rc = rc == EXIT_OK && afile_publish(tmp, o->output) == 0 ? EXIT_OK : EXIT_FAIL;
    rc = bcast_code(rc, NULL);
  }
  if (r == 0 && rc != EXIT_OK && tmp[0])
    afile_discard(tmp);
  uint64_t maxlen = len;
  MPI_Allreduce(MPI_IN_PLACE, &maxlen, 1, MPI_UINT64_T, MPI_MAX, MPI_COMM_WORLD);
  if (r == 0 && secs && (rc == EXIT_OK || verdict == REPORT_FAILED)) {
    char extra[320];
    int w = snprintf(extra, sizeof extra, "\"type\":\"%s\",", msort_type_names[o->type]);
    if (o->input)
      w += snprintf(extra + w, sizeof extra - (size_t)w, "\"input\":\"file\",");
    else
      w += snprintf(extra + w, sizeof extra - (size_t)w, "\"dist\":\"%s\",\"seed\":%llu,",
                    msort_dist_names[o->dist], (unsigned long long)o->seed);
    /* largest share of the result on one rank, relative to n/p */
    snprintf(extra + w, sizeof extra - (size_t)w, "\"max_rank_share\":%.4f",
             R->n ? (double)maxlen * p / (double)R->n : 1.0);
    struct report rep = {prog.name, algos[o->algo],    R->threads, p,       R->n,
                         secs,      (size_t)o->repeat, "keys/s",   verdict, extra};
    report_print(&rep, o->json);
  }
  free(secs);
  free(orig);
  free(a);
  free(t);
  msort_ws_free(&ws);
  return rc;
}

int main(int argc, char **argv)
{
  struct run R;
  char err[CLI_ERR_MAX];
  memset(&R, 0, sizeof R);
  mpix_init(&argc, &argv, prog.name, &R.rank, &R.size);
  enum cli_status st = msort_opts_parse(argc, argv, &prog, R.rank == 0, &R.o, err);
  if (st != CLI_OK) {
    if (st == CLI_USAGE && R.rank == 0)
      cli_print_usage_error(prog.name, err);
    return mpix_finish(st == CLI_USAGE ? EXIT_USAGE : EXIT_OK);
  }
  R.threads = pick_threads(&R.o);
  R.esz = msort_type_size(R.o.type);
  R.ksz = msort_key_size(R.o.type);
  MPI_Type_contiguous((int)R.esz, MPI_BYTE, &R.etype);
  MPI_Type_commit(&R.etype);
  R.counts = malloc(2 * ((size_t)R.size + 1) * sizeof *R.counts);
  if (R.counts == NULL)
    mpix_abort(EXIT_FAIL, "out of memory");
  R.displs = R.counts + R.size + 1;
  void *text0 = NULL;
  int rc = input_size(&R, &text0);
  if (rc == EXIT_OK)
    rc = run_sort(&R, text0);
  free(text0);
  free(R.counts);
  MPI_Type_free(&R.etype);
  return mpix_finish(rc);
}
