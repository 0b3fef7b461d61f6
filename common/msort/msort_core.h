/* Production merge sort, written once and instantiated per key type.
 *
 * Included by msort_core.c with T (element type), SFX (name suffix) and
 * LESS(x, y) defined, and KEYLESS(x, y) (order of the user-visible key, which
 * for rec100 keys ignores the record index in the low 48 bits). Every user
 * type is sorted as one of three key types: 32-bit, 64-bit or 128-bit unsigned
 * integers (see msort_key.c); equal keys are then identical bit patterns, so
 * the stable merges below and the small sorting network at the leaves give
 * byte-identical results.
 *
 * - merge: stable two-way merge that runs from both ends at once (two
 *   independent dependency chains) with branch-free element selection; its
 *   only branches are the loop tests, which are predictable.
 * - sort: top-down recursion with one scratch buffer used ping-pong (no
 *   allocation per level); the depth-first order keeps the lower levels in
 *   cache, leaves of 8 are sorted by a 19-comparator network.
 * - 32- and 64-bit keys (SIMD_KERN defined) go to the vectorised kernels
 *   (msort_simd.h) when a vector path is in use (msort_dispatch.c): the
 *   leaves and every merge, serial or split into tasks, run there.
 * - tasks: the same recursion as OpenMP tasks down to a cutoff; every merge
 *   above the cutoff is itself split into pieces by co-ranking (binary search
 *   of split points), so the last merges use all threads. */
#define MSC_CAT_(a, b) a##b
#define MSC_CAT(a, b)  MSC_CAT_(a, b)
#define MSF(name)      MSC_CAT(name, SFX)

/* Compare-exchange without branches. */
static inline void MSF(msort_cx_)(T *p, int i, int j)
{
  T x = p[i], y = p[j];
  int c = LESS(y, x);
  p[i] = c ? y : x;
  p[j] = c ? x : y;
}

/* Sort n <= 8 elements in place: network for 8, insertion sort for fewer. */
static void MSF(msort_small_)(T *p, size_t n)
{
  if (n == 8) {
    static const unsigned char net[19][2] = {{0, 2}, {1, 3}, {4, 6}, {5, 7}, {0, 4}, {1, 5}, {2, 6},
                                             {3, 7}, {0, 1}, {2, 3}, {4, 5}, {6, 7}, {2, 4}, {3, 5},
                                             {1, 4}, {3, 6}, {1, 2}, {3, 4}, {5, 6}};
    for (int k = 0; k < 19; k++)
      MSF(msort_cx_)(p, net[k][0], net[k][1]);
    return;
  }
  for (size_t i = 1; i < n; i++) {
    T x = p[i];
    size_t j = i;
    for (; j > 0 && LESS(x, p[j - 1]); j--)
      p[j] = p[j - 1];
    p[j] = x;
  }
}

/* Stable merge of a[0..na) and b[0..nb) into o (o overlaps neither). */
void MSF(msort_merge_)(const T *a, size_t na, const T *b, size_t nb, T *o)
{
#ifdef SIMD_KERN
  const struct msort_kern *kk = msort_simd_kern(); /* vectorised path */
  if (kk != NULL && kk->MSC_CAT(merge_, SFX) != NULL) {
    kk->MSC_CAT(merge_, SFX)(a, na, b, nb, o);
    return;
  }
#endif
  if (na == 0 || nb == 0 || !LESS(b[0], a[na - 1])) { /* already in order */
    memcpy(o, a, na * sizeof(T));
    memcpy(o + na, b, nb * sizeof(T));
    return;
  }
  const T *ta = a + na - 1, *tb = b + nb - 1;
  T *to = o + na + nb - 1;
  if (na == nb) { /* front and back take exactly na each: no bound checks */
    for (size_t k = 0; k < na; k++) {
      T x = *a, y = *b;
      int c = LESS(y, x);
      *o++ = x ^ ((x ^ y) & -(T)c);
      a += !c;
      b += c;
      T u = *ta, v = *tb;
      int d = LESS(v, u);
      *to-- = v ^ ((v ^ u) & -(T)d);
      ta -= d;
      tb -= !d;
    }
    return;
  }
  /* While both inputs hold at least two elements, the front and the back
   * steps cannot take the same element. */
  while (a < ta && b < tb) {
    T x = *a, y = *b;
    int c = LESS(y, x);
    *o++ = x ^ ((x ^ y) & -(T)c); /* c ? y : x, without a branch */
    a += !c;
    b += c;
    T u = *ta, v = *tb;
    int d = LESS(v, u); /* left tail strictly larger: it goes last */
    *to-- = v ^ ((v ^ u) & -(T)d);
    ta -= d;
    tb -= !d;
  }
  while (a <= ta && b <= tb) {
    T x = *a, y = *b;
    int c = LESS(y, x);
    *o++ = x ^ ((x ^ y) & -(T)c); /* c ? y : x, without a branch */
    a += !c;
    b += c;
  }
  while (a <= ta)
    *o++ = *a++;
  while (b <= tb)
    *o++ = *b++;
}

/* Size of the left half: a multiple of 8 so that leaves stay full. */
static inline size_t MSF(msort_half_)(size_t n)
{
  size_t h = (n / 2 + 7) & ~(size_t)7;
  return h < n ? h : n / 2;
}

/* Sort a[0..n); the result ends in t when into_t, else in a. t has n slots. */
static void MSF(msort_rec_)(T *a, T *t, size_t n, int into_t)
{
  /* While a progress line is drawn, the levels above the grain recurse here
   * rather than in the vector kernel, so that each of their merges is counted
   * (the same sort: the same result). */
  int counted = n > MSORT_PROGRESS_GRAIN && msort_progress != NULL;
#ifdef SIMD_KERN
  const struct msort_kern *kk = msort_simd_kern();
  if (kk != NULL && !counted) {
    kk->MSC_CAT(sort_, SFX)(a, t, n, into_t);
    return;
  }
#endif
  if (n <= 8) {
    if (into_t) {
      memcpy(t, a, n * sizeof(T));
      MSF(msort_small_)(t, n);
    } else {
      MSF(msort_small_)(a, n);
    }
    return;
  }
  size_t h = MSF(msort_half_)(n);
  MSF(msort_rec_)(a, t, h, !into_t);
  MSF(msort_rec_)(a + h, t + h, n - h, !into_t);
  if (into_t)
    MSF(msort_merge_)(a, h, a + h, n - h, t);
  else
    MSF(msort_merge_)(t, h, t + h, n - h, a);
  if (counted)
    msort_progress_merged(n);
}

void MSF(msort_serial_)(T *a, T *t, size_t n)
{
  MSF(msort_rec_)(a, t, n, 0);
}

/* How many of the first k outputs of the stable merge of a and b come from
 * a (binary search for the split point). */
size_t MSF(msort_corank_)(size_t k, const T *a, size_t na, const T *b, size_t nb)
{
  size_t lo = k > nb ? k - nb : 0, hi = k < na ? k : na;
  while (lo < hi) {
    size_t i = lo + (hi - lo) / 2, j = k - i;
    /* a[i] belongs before b[j-1]: i is too small */
    if (!LESS(b[j - 1], a[i]))
      lo = i + 1;
    else
      hi = i;
  }
  return lo;
}

/* Merge split into `pieces` independent parts of equal output size, each an
 * OpenMP task (call inside a parallel region). */
void MSF(msort_pmerge_)(const T *a, size_t na, const T *b, size_t nb, T *o, int pieces)
{
  size_t n = na + nb;
  if (pieces <= 1 || n < 2 * MSORT_MIN_PIECE) {
    MSF(msort_merge_)(a, na, b, nb, o);
    return;
  }
  if ((size_t)pieces > n / MSORT_MIN_PIECE)
    pieces = (int)(n / MSORT_MIN_PIECE);
  for (int p = 0; p < pieces; p++) {
#pragma omp task firstprivate(p) default(shared)
    {
      size_t k0 = n * (size_t)p / (size_t)pieces, k1 = n * (size_t)(p + 1) / (size_t)pieces;
      size_t i0 = MSF(msort_corank_)(k0, a, na, b, nb);
      size_t i1 = MSF(msort_corank_)(k1, a, na, b, nb);
      MSF(msort_merge_)(a + i0, i1 - i0, b + (k0 - i0), (k1 - i1) - (k0 - i0), o + k0);
    }
  }
#pragma omp taskwait
}

static void MSF(msort_task_rec_)(T *a, T *t, size_t n, int into_t, size_t cutoff, int pieces)
{
  if (n <= cutoff) {
    MSF(msort_rec_)(a, t, n, into_t);
    return;
  }
  size_t h = MSF(msort_half_)(n);
#pragma omp task default(shared)
  MSF(msort_task_rec_)(a, t, h, !into_t, cutoff, pieces);
#pragma omp task default(shared)
  MSF(msort_task_rec_)(a + h, t + h, n - h, !into_t, cutoff, pieces);
#pragma omp taskwait
  if (into_t)
    MSF(msort_pmerge_)(a, h, a + h, n - h, t, pieces);
  else
    MSF(msort_pmerge_)(t, h, t + h, n - h, a, pieces);
  if (n > MSORT_PROGRESS_GRAIN && msort_progress != NULL)
    msort_progress_merged(n);
}

void MSF(msort_tasks_)(T *a, T *t, size_t n, int threads)
{
  if (threads <= 1 || n < 4 * MSORT_MIN_PIECE) {
    MSF(msort_serial_)(a, t, n);
    return;
  }
  /* about four leaves per thread; merges in 2 pieces per thread */
  size_t cutoff = n / (4 * (size_t)threads) + 1;
  if (cutoff < MSORT_MIN_PIECE)
    cutoff = MSORT_MIN_PIECE;
#pragma omp parallel num_threads(threads)
#pragma omp single
  MSF(msort_task_rec_)(a, t, n, 0, cutoff, 2 * threads);
}

/* Textbook variant: one chunk per thread sorted serially, then one k-way
 * merge (smallest head wins, lowest chunk on ties) into t, copied back. */
void MSF(msort_chunks_)(T *a, T *t, size_t n, int k)
{
  if (k < 1)
    k = 1;
  if ((size_t)k > n)
    k = n > 0 ? (int)n : 1;
  size_t *pos = malloc(2 * (size_t)k * sizeof *pos);
  if (pos == NULL) {
    MSF(msort_serial_)(a, t, n);
    return;
  }
  size_t *end = pos + k;
#pragma omp parallel for num_threads(k) schedule(static, 1)
  for (int c = 0; c < k; c++) {
    size_t lo = n * (size_t)c / (size_t)k, hi = n * (size_t)(c + 1) / (size_t)k;
    MSF(msort_serial_)(a + lo, t + lo, hi - lo);
  }
  for (int c = 0; c < k; c++) {
    pos[c] = n * (size_t)c / (size_t)k;
    end[c] = n * (size_t)(c + 1) / (size_t)k;
  }
  for (size_t o = 0; o < n; o++) {
    int best = -1;
    for (int c = 0; c < k; c++)
      if (pos[c] < end[c] && (best < 0 || LESS(a[pos[c]], a[pos[best]])))
        best = c;
    t[o] = a[pos[best]++];
  }
  free(pos);
  memcpy(a, t, n * sizeof(T));
}

/* Merge k consecutive sorted runs (run r is [offs[r], offs[r+1])) by rounds
 * of pairwise parallel merges. Returns the buffer holding the result (a or t). */
T *MSF(msort_merge_runs_)(T *a, T *t, const size_t *offs, int k, int threads)
{
  size_t *o = malloc(((size_t)k + 1) * sizeof *o);
  if (o == NULL)
    return NULL;
  memcpy(o, offs, ((size_t)k + 1) * sizeof *o);
  while (k > 1) {
    int nk = (k + 1) / 2;
#pragma omp parallel num_threads(threads)
#pragma omp single
    for (int r = 0; r + 1 < k; r += 2) {
#pragma omp task firstprivate(r) default(shared)
      MSF(msort_pmerge_)
      (a + o[r], o[r + 1] - o[r], a + o[r + 1], o[r + 2] - o[r + 1], t + o[r], 2 * threads);
    }
    if (k % 2) /* odd run out: carried over */
      memcpy(t + o[k - 1], a + o[k - 1], (o[k] - o[k - 1]) * sizeof(T));
    for (int r = 0; r < nk; r++)
      o[r] = o[2 * r];
    o[nk] = o[k];
    k = nk;
    T *s = a;
    a = t;
    t = s;
  }
  free(o);
  return a;
}

/* First index whose key is not less than x's key (keys only, see KEYLESS). */
size_t MSF(msort_lower_key_)(const T *a, size_t n, T x)
{
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t m = lo + (hi - lo) / 2;
    if (KEYLESS(a[m], x))
      lo = m + 1;
    else
      hi = m;
  }
  return lo;
}

/* First index whose key is greater than x's key. */
size_t MSF(msort_upper_key_)(const T *a, size_t n, T x)
{
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t m = lo + (hi - lo) / 2;
    if (!KEYLESS(x, a[m]))
      lo = m + 1;
    else
      hi = m;
  }
  return lo;
}

#undef MSF
#undef MSC_CAT
#undef MSC_CAT_
