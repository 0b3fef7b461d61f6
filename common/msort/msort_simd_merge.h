/* The merge of msort's vector kernels: part of msort_simd.h (included there,
 * after the networks; the same T, V, W, MR, SFX and operations).
 *
 * - the register merge steps through blocks of MR registers (mss_advance_);
 *   big merges are cut into MSS_CHAINS pieces that step in turn;
 * - its tail goes on in register steps with the short input padded
 *   (mss_tail_), a long rest by binary search (mss_gallop_);
 * - runs already in order, and the prefix and suffix that need no merging,
 *   are block copies. */
/* First index of r[0..n) whose key is not less than x. */
static inline size_t MSS(mss_lower_)(const T *r, size_t n, T x)
{
  size_t lo = 0;
  while (n > 0) {
    size_t h = n / 2;
    int c = r[lo + h] < x;
    lo += c ? h + 1 : 0;
    n = c ? n - h - 1 : h;
  }
  return lo;
}

/* Merge a short run s with any run r into o: each key of s by binary search,
 * the keys of r between them copied as blocks. */
static void MSS(mss_gallop_)(const T *s, size_t ns, const T *r, size_t nr, T *o)
{
  for (size_t i = 0; i < ns; i++) {
    size_t c = MSS(mss_lower_)(r, nr, s[i]);
    memcpy(o, r, c * sizeof(T));
    o += c;
    r += c;
    nr -= c;
    *o++ = s[i];
  }
  memcpy(o, r, nr * sizeof(T));
}

/* Plain scalar merge for the short tails. */
static void MSS(mss_merge_small_)(const T *a, size_t na, const T *b, size_t nb, T *o)
{
  while (na > 0 && nb > 0) {
    int c = *b < *a;
    *o++ = c ? *b : *a;
    b += c;
    nb -= (size_t)c;
    a += !c;
    na -= (size_t)!c;
  }
  memcpy(o, a, na * sizeof(T));
  memcpy(o + na, b, nb * sizeof(T));
}

/* One register merge in progress: the held keys h, the next block x, where
 * the inputs stand and end, where the output goes. Only ever a local of
 * always-inlined code, so that the compiler keeps it in registers. */
typedef struct {
  const T *a, *ae, *b, *be;
  T *o;
  V h[MR], x[MR];
} MSS(mss_run_);

/* Start a register merge of a and b (na, nb >= MSS_STEP) into o. */
MSS_INLINE void MSS(mss_start_)(MSS(mss_run_) * s, const T *a, size_t na, const T *b, size_t nb,
                                T *o)
{
#pragma GCC unroll 8
  for (int i = 0; i < MR; i++) {
    s->h[i] = vload(a + (size_t)i * W);
    s->x[i] = vload(b + (size_t)i * W);
  }
  s->a = a + MSS_STEP;
  s->ae = a + na;
  s->b = b + MSS_STEP;
  s->be = b + nb;
  s->o = o;
}

/* One step: merge x into h, store the lower half; then load the next block,
 * or return 0 when an input has less than a block left (nothing loaded). */
MSS_INLINE int MSS(mss_advance_)(MSS(mss_run_) * s)
{
  V lo[MR];
  MSS(mss_step_)(s->h, s->x, lo);
#pragma GCC unroll 8
  for (int i = 0; i < MR; i++)
    vstore(s->o + (size_t)i * W, lo[i]);
  s->o += MSS_STEP;
  if ((size_t)(s->ae - s->a) < MSS_STEP || (size_t)(s->be - s->b) < MSS_STEP)
    return 0;
  /* the next block from a unless b's next key is smaller: a mask, not a
   * branch (compilers turn ?: into an unpredictable jump here) */
  uintptr_t ma = (uintptr_t)0 - (uintptr_t) !(*s->b < *s->a);
  const T *p = (const T *)(((uintptr_t)s->a & ma) | ((uintptr_t)s->b & ~ma));
  s->a += MSS_STEP & ma;
  s->b += MSS_STEP & ~ma;
#pragma GCC unroll 8
  for (int i = 0; i < MR; i++)
    s->x[i] = vload(p + (size_t)i * W);
  return 1;
}

/* Where one input of a tail stands: in its run, in pad (its last keys under
 * a block, then the largest key), or NULL when all its keys are loaded. */
MSS_INLINE void MSS(mss_tail_side_)(const T **p, const T **e, T *pad)
{
  size_t r = (size_t)(*e - *p);
  if (r >= MSS_STEP)
    return;
  if (r == 0) {
    *p = NULL;
    return;
  }
  memcpy(pad, *p, r * sizeof(T));
  for (size_t i = r; i < MSS_STEP; i++)
    pad[i] = (T) ~(T)0;
  *p = pad;
  *e = pad + MSS_STEP;
}

/* End a register merge whose rests are short, with more register steps:
 * an input with less than a block left goes on from a copy padded with the
 * largest key, and the output stops after the real keys. The padding sorts
 * last, and a padding key equals any real largest key bit for bit, so the
 * first keys out are exactly the real ones. (Scalar merges here took a
 * tenth of the sort: every merge ends in one, many merges are small.) */
static void MSS(mss_tail_)(const T *held, const T *a, const T *ae, const T *b, const T *be, T *o)
{
  T pad[2][MSS_STEP], last[MSS_STEP];
  const T *p[2] = {a, b}, *e[2] = {ae, be};
  size_t left = (size_t)(ae - a) + (size_t)(be - b) + MSS_STEP; /* keys to write */
  V h[MR], x[MR], lo[MR];
#pragma GCC unroll 8
  for (int i = 0; i < MR; i++)
    h[i] = vload(held + (size_t)i * W);
  MSS(mss_tail_side_)(&p[0], &e[0], pad[0]);
  MSS(mss_tail_side_)(&p[1], &e[1], pad[1]);
  while (p[0] != NULL || p[1] != NULL) {
    int s = p[0] == NULL ? 1 : p[1] == NULL ? 0 : *p[1] < *p[0];
#pragma GCC unroll 8
    for (int i = 0; i < MR; i++)
      x[i] = vload(p[s] + (size_t)i * W);
    p[s] += MSS_STEP;
    MSS(mss_tail_side_)(&p[s], &e[s], pad[s]);
    MSS(mss_step_)(h, x, lo);
    T *to = left >= MSS_STEP ? o : last;
#pragma GCC unroll 8
    for (int i = 0; i < MR; i++)
      vstore(to + (size_t)i * W, lo[i]);
    size_t k = left >= MSS_STEP ? MSS_STEP : left;
    if (to == last)
      memcpy(o, last, k * sizeof(T));
    o += k;
    left -= k;
  }
#pragma GCC unroll 8
  for (int i = 0; i < MR; i++)
    vstore(last + (size_t)i * W, h[i]);
  memcpy(o, last, (left < MSS_STEP ? left : MSS_STEP) * sizeof(T));
}

/* End a register merge: the held keys (stored in held) and the rests. The
 * keys of the long rest not below all the others are a block copy (few
 * distinct keys: a run's last key is most of its rest); a long rest that
 * still needs merging (runs of very unequal key ranges) by binary search. */
static void MSS(mss_finish_)(const T *held, const T *a, const T *ae, const T *b, const T *be, T *o)
{
  T small[2 * MR * W];
  size_t ra = (size_t)(ae - a), rb = (size_t)(be - b);
  const T *rs = a, *rl = b; /* the shorter rest and the longer one */
  size_t ns = ra, nl = rb;
  if (rb <= ra) {
    rs = b, rl = a;
    ns = rb, nl = ra;
  }
  if (nl < 4 * MSS_STEP) {
    MSS(mss_tail_)(held, a, ae, b, be, o);
    return;
  }
  /* equal keys are equal bits: their order cannot be seen, so the keys of
   * rl not below top may all go last */
  T top = held[MSS_STEP - 1];
  if (ns > 0 && top < rs[ns - 1])
    top = rs[ns - 1];
  size_t c = MSS(mss_lower_)(rl, nl, top);
  if (c < 4 * MSS_STEP) {
    MSS(mss_tail_)(held, rs, rs + ns, rl, rl + c, o);
    memcpy(o + MSS_STEP + ns + c, rl + c, (nl - c) * sizeof(T));
    return;
  }
  MSS(mss_merge_small_)(held, MSS_STEP, rs, ns, small);
  MSS(mss_gallop_)(small, MSS_STEP + ns, rl, nl, o);
}

/* Run s to its end (after mss_start_, or after an mss_advance_ that
 * returned 1). */
MSS_INLINE void MSS(mss_drain_)(MSS(mss_run_) * s, int more)
{
  while (more)
    more = MSS(mss_advance_)(s);
  T held[MR * W];
#pragma GCC unroll 8
  for (int i = 0; i < MR; i++)
    vstore(held + (size_t)i * W, s->h[i]);
  MSS(mss_finish_)(held, s->a, s->ae, s->b, s->be, s->o);
}

/* Merges this short (one input under a block) go by binary search. */
static void MSS(mss_short_)(const T *a, size_t na, const T *b, size_t nb, T *o)
{
  if (na < nb)
    MSS(mss_gallop_)(a, na, b, nb, o);
  else
    MSS(mss_gallop_)(b, nb, a, na, o);
}

/* Merges of at least this many keys are cut into MSS_CHAINS pieces of equal
 * output by co-ranking, and the pieces' register merges step in turn in one
 * loop: each step's network is one long dependency chain through h, so one
 * merge alone leaves the vector units idle most of the time. */
#ifndef MSS_CHAINS
#define MSS_CHAINS 2
#endif
#define MSS_SPLIT ((size_t)MSS_CHAINS * 4 * MSS_STEP)

void MSS(msort_simd_merge_)(const T *a, size_t na, const T *b, size_t nb, T *o)
{
  if (na == 0 || nb == 0 || !(b[0] < a[na - 1])) { /* already in order */
    memcpy(o, a, na * sizeof(T));
    memcpy(o + na, b, nb * sizeof(T));
    return;
  }
  if (b[nb - 1] < a[0]) { /* the other order */
    memcpy(o, b, nb * sizeof(T));
    memcpy(o + nb, a, na * sizeof(T));
    return;
  }
  /* keys of a not above b[0] go first, keys of b not below a's last go last:
   * nearly sorted runs are mostly copied (two binary searches) */
  size_t k = MSS(mss_lower_)(a, na, b[0] + 1); /* b[0] < max: else in order */
  memcpy(o, a, k * sizeof(T));
  o += k;
  a += k;
  na -= k;
  size_t j = MSS(mss_lower_)(b, nb, a[na - 1]);
  memcpy(o + na + j, b + j, (nb - j) * sizeof(T));
  nb = j;
  if (na < MSS_STEP || nb < MSS_STEP) {
    MSS(mss_short_)(a, na, b, nb, o);
    return;
  }
  MSS(mss_run_) s;
  if (na + nb < MSS_SPLIT) {
    MSS(mss_start_)(&s, a, na, b, nb, o);
    MSS(mss_drain_)(&s, 1);
    return;
  }
  /* the pieces' bounds; when one has a short input (very unequal runs),
   * the merge goes in one piece (constant indices keep r in registers) */
  size_t n = na + nb, ia[MSS_CHAINS + 1], ko[MSS_CHAINS + 1];
  int ok = 1;
  ia[0] = ko[0] = 0;
  ia[MSS_CHAINS] = na;
  ko[MSS_CHAINS] = n;
  for (int c = 1; c < MSS_CHAINS; c++) {
    ko[c] = n * (size_t)c / MSS_CHAINS;
    ia[c] = MSS_CORANK(ko[c], a, na, b, nb);
  }
  for (int c = 0; c < MSS_CHAINS; c++)
    ok &= ia[c + 1] - ia[c] >= MSS_STEP && (ko[c + 1] - ia[c + 1]) - (ko[c] - ia[c]) >= MSS_STEP;
  if (!ok) {
    MSS(mss_start_)(&s, a, na, b, nb, o);
    MSS(mss_drain_)(&s, 1);
    return;
  }
  MSS(mss_run_) r[MSS_CHAINS];
  int more[MSS_CHAINS], go;
#pragma GCC unroll 8
  for (int c = 0; c < MSS_CHAINS; c++)
    MSS(mss_start_)
  (&r[c], a + ia[c], ia[c + 1] - ia[c], b + (ko[c] - ia[c]),
   (ko[c + 1] - ia[c + 1]) - (ko[c] - ia[c]), o + ko[c]);
  do {
    go = 1;
#pragma GCC unroll 8
    for (int c = 0; c < MSS_CHAINS; c++)
      go &= more[c] = MSS(mss_advance_)(&r[c]);
  } while (go);
#pragma GCC unroll 8
  for (int c = 0; c < MSS_CHAINS; c++)
    MSS(mss_drain_)(&r[c], more[c]);
}
