/* Fast solver: one bitboard per digit, three 27-bit bands per bitboard.
 *
 * pos[d][b] holds the cells of band b (rows 3b..3b+2, bit 9*row + column)
 * where digit d+1 may still go, placed cells included; unsolved[b] the cells
 * not yet placed. Placing a digit is a dozen word operations (clear the cell
 * from the other digits, clear the digit from the cell's peers). Propagation
 * repeats, on whole bands at a time:
 *   - naked singles: cells left with one candidate (bit-sliced counters over
 *     the nine digits, the three bands at once in 4-lane vectors);
 *   - per digit whose bitboard changed, in one pass (fs_digits): locked
 *     candidates per stack and band (pointing, claiming and their
 *     combinations: a 512-entry table over the nine "mini-rows" of a band,
 *     mini-columns of a stack, keeps those that fit a row/box assignment of
 *     the digit), then hidden singles: a row, column or box with one place
 *     left for the digit; back to naked singles after the first pass that
 *     changes anything (cheaper steps first);
 * and every step checks for contradictions (a cell without candidates, a unit
 * without a place for a digit). Then it branches on an unsolved cell with the
 * fewest candidates (most constrained neighbourhood first, see fs_choose),
 * digits in increasing order, depth first: each digit but the last on a copy
 * of the 176-byte state, the last on the state itself.
 *
 * The file is one algorithm and stays whole past 400 lines: every step works
 * on the same state layout and is inlined into the one search loop, where
 * the compiler keeps the bands in registers. */
#include <pthread.h>
#ifdef __BMI2__
#include <immintrin.h>
#endif
#include <string.h>

#include "sudoku.h"

#define BAND_ALL 0x7FFFFFFu
#define ROW_MASK 0x1FFu
#define REPL3    0x40201u  /* copies a 9-bit row pattern into the three rows */
#define BOX0     0x1C0E07u /* box 0 of a band: columns 0-2 of its three rows */

/* A bitboard's three bands in one vector (lane 3 is 0): SSE2 on every
 * x86-64, GCC's generic vectors elsewhere. The state is written a vector at a
 * time, so that the vector reads of fs_naked get their data forwarded from
 * the last stores (a wide read over narrow stores waits for them). */
typedef uint32_t fs_v4 __attribute__((vector_size(16)));

struct fs_state {
  fs_v4 pos[9];
  fs_v4 unsolved;
  uint32_t dirty; /* digits whose bitboard changed since their last scan */
};

struct fs_tables {
  uint32_t peer[81][3];    /* peers of each cell, per band (cell excluded) */
  fs_v4 peerv[81];         /* the same as vectors */
  fs_v4 cellv[81];         /* the cell itself */
  uint16_t lc_keep[512];   /* mini-rows kept by locked candidates; 0 = contradiction */
  uint32_t lc_expand[512]; /* 9 mini-row bits -> 27 cell bits */
  uint8_t mr_gather[512];  /* bits 0,3,6 of a 9-bit value -> bits 0,1,2 */
};

static struct fs_tables fs_tab;

/* Locked candidates on one band of one digit, from the set m of the nine
 * mini-rows (row r, box k: bit 3r+k) that still hold it. Each row and each
 * box of the band takes the digit exactly once, so the digit's mini-rows form
 * one of the six 3x3 permutation matrices: keep the mini-rows of those that
 * fit in m (this covers pointing, claiming and more); none fits = a
 * contradiction. */
static unsigned fs_lc_keep(unsigned m)
{
  static const int perm[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
  unsigned keep = 0;
  for (int i = 0; i < 6; i++) {
    unsigned pm = 1u << perm[i][0] | 1u << (3 + perm[i][1]) | 1u << (6 + perm[i][2]);
    if ((pm & m) == pm)
      keep |= pm;
  }
  return keep;
}

static void fs_build_tables(void)
{
  for (int c = 0; c < 81; c++) {
    int r = c / 9, col = c % 9, br = r / 3 * 3, bc = col / 3 * 3;
    for (int p = 0; p < 81; p++) {
      int pr = p / 9, pc = p % 9;
      int same_box = pr / 3 * 3 == br && pc / 3 * 3 == bc;
      if (p != c && (pr == r || pc == col || same_box))
        fs_tab.peer[c][p / 27] |= 1u << (p % 27);
    }
    for (int b = 0; b < 3; b++)
      fs_tab.peerv[c][b] = fs_tab.peer[c][b];
    fs_tab.cellv[c][c / 27] = 1u << (c % 27);
  }
  for (unsigned m = 0; m < 512; m++) {
    fs_tab.lc_keep[m] = (uint16_t)fs_lc_keep(m);
    uint32_t e = 0;
    for (int i = 0; i < 9; i++)
      if ((m >> i) & 1u)
        e |= 7u << (3 * i);
    fs_tab.lc_expand[m] = e;
    fs_tab.mr_gather[m] = (uint8_t)((m & 1u) | ((m >> 3) & 1u) << 1 | ((m >> 6) & 1u) << 2);
  }
}

/* Place digit d on cell (b, bit); the caller has checked it is a candidate. */
static inline void fs_place(struct fs_state *s, int d, int b, int bit)
{
  int c = 27 * b + bit;
  fs_v4 cm = fs_tab.cellv[c];
  uint32_t dirty = 1u << d;
  for (int e = 0; e < 9; e++) {
    dirty |= ((s->pos[e][b] >> bit) & 1u) << e;
    s->pos[e] &= ~cm;
  }
  s->dirty |= dirty;
  s->pos[d] = (s->pos[d] & ~fs_tab.peerv[c]) | cm;
  s->unsolved &= ~cm;
}

/* Place digit d on a cell that has no other candidate (a naked single): the
 * other digits' bitboards do not change. */
static inline void fs_place_single(struct fs_state *s, int d, int b, int bit)
{
  int c = 27 * b + bit;
  s->pos[d] &= ~fs_tab.peerv[c];
  s->unsolved &= ~fs_tab.cellv[c];
  s->dirty |= 1u << d;
}

/* Naked singles until none are left. Returns -1 on contradiction, else the
 * number of cells placed. */
static int fs_naked(struct fs_state *s)
{
  int placed = 0;
  for (;;) {
    /* the three bands at once: lane b of a vector is band b. The digit of a
     * cell with one candidate is read off bit planes of the digit index
     * (ix[j]: cells holding a digit d with bit j of d set), without the
     * mispredicted search over the nine bitboards. */
    fs_v4 once = {0}, twice = {0}, ix[4] = {{0}, {0}, {0}, {0}};
    for (int d = 0; d < 9; d++) {
      fs_v4 t = s->pos[d];
      twice |= once & t;
      once |= t;
      for (int j = 0; j < 4; j++)
        if ((d >> j) & 1)
          ix[j] |= t;
    }
    fs_v4 un = s->unsolved, empty = un & ~once, single = un & ~twice;
    if (empty[0] | empty[1] | empty[2])
      return -1; /* a cell without candidates */
    if ((single[0] | single[1] | single[2]) == 0)
      return placed;
    for (int b = 0; b < 3; b++) {
      for (uint32_t m1 = single[b]; m1; m1 &= m1 - 1) {
        int bit = __builtin_ctz(m1);
        int d = (int)(((ix[0][b] >> bit) & 1u) | ((ix[1][b] >> bit) & 1u) << 1 |
                      ((ix[2][b] >> bit) & 1u) << 2 | ((ix[3][b] >> bit) & 1u) << 3);
        if (!((s->pos[d][b] >> bit) & 1u))
          return -1; /* its only candidate went to a peer placed this round */
        fs_place_single(s, d, b, bit);
        placed++;
      }
    }
  }
}

/* The nine mini-rows of a band (row r, box k: bit 3r+k) that hold a cell of
 * x. */
static inline unsigned fs_minirows(uint32_t x)
{
  uint32_t q = (x | x >> 1 | x >> 2) & 0x1249249u; /* bit 3i: mini-row i used */
#ifdef __BMI2__
  return _pext_u32(q, 0x1249249u);
#else
  return fs_tab.mr_gather[q & 0x1FFu] | fs_tab.mr_gather[(q >> 9) & 0x1FFu] << 3 |
         fs_tab.mr_gather[(q >> 18) & 0x1FFu] << 6;
#endif
}

/* The columns of a band that hold a cell of x (9 bits). */
static inline uint32_t fs_fold(uint32_t x)
{
  return (x | x >> 9 | x >> 18) & ROW_MASK;
}

/* The nine mini-columns of stack k (band b, column 3k+j: bit 3b+j), from the
 * columns used by each band (bit 9b + column). */
static inline unsigned fs_minicols(uint32_t cols, int k)
{
#ifdef __BMI2__
  return _pext_u32(cols, BOX0 << (3 * k));
#else
  return ((cols >> (3 * k)) & 7u) | ((cols >> (9 + 3 * k)) & 7u) << 3 |
         ((cols >> (18 + 3 * k)) & 7u) << 6;
#endif
}

/* Locked candidates and hidden singles, digit by digit, on the digits whose
 * bitboard changed: one pass per digit does
 *   - locked candidates per band (rows x boxes): after it every row and box
 *     of the band keeps a place, and a box with one place left has made its
 *     row one too;
 *   - hidden singles in rows (so in boxes) and columns, which it places;
 *   - only when those changed nothing, locked candidates per stack (columns
 *     x boxes): the costliest step, and the least often useful (2-6% faster
 *     than doing it first).
 * A digit whose bitboard shrank is scanned again. It stops at the first scan
 * that changes anything (returns 1; -1 on contradiction, 0 when all is
 * stable): naked singles (one vector pass over the state, and a placement
 * that touches one digit) first, then scans again, is 10% faster on
 * forum-hardest than scanning every dirty digit before them (20% fewer
 * instructions: many scans then find their digit already settled). */
static int fs_digits(struct fs_state *s)
{
  while (s->dirty) {
    int d = __builtin_ctz(s->dirty);
    s->dirty &= s->dirty - 1;
    uint32_t p0 = s->pos[d][0], p1 = s->pos[d][1], p2 = s->pos[d][2];
    if (((s->unsolved[0] & p0) | (s->unsolved[1] & p1) | (s->unsolved[2] & p2)) == 0) {
      /* no place left but placed cells: complete, unless a unit lost its
       * last place (cheaper to count than to scan the units) */
      if (__builtin_popcount(p0) + __builtin_popcount(p1) + __builtin_popcount(p2) != 9)
        return -1;
      continue;
    }
    uint32_t p[3] = {p0, p1, p2};
    uint32_t hs[3], once = 0, twice = 0;
    for (int b = 0; b < 3; b++) {
      unsigned m = fs_minirows(p[b]);
      unsigned keep = fs_tab.lc_keep[m];
      if (keep == 0)
        return -1;
      if (keep != m)
        p[b] &= fs_tab.lc_expand[keep];
      /* every row is non-empty now: x - REPL3 borrows within each row, and
       * x & (x - REPL3) keeps the rows with two places or more */
      uint32_t x = p[b], t = x & (x - REPL3);
      uint32_t t3 = (t | t >> 1 | t >> 2) & 0x1249249u;
      uint32_t multi = (t3 | t3 >> 3 | t3 >> 6) & 0x40201u; /* bit 9r: row r has 2+ */
      hs[b] = x & ((~multi & 0x40201u) * ROW_MASK);
      uint32_t r0 = x & ROW_MASK, r1 = (x >> 9) & ROW_MASK, r2 = x >> 18;
      twice |= (once & (r0 | r1 | r2)) | (r0 & r1) | (r2 & (r0 | r1));
      once |= r0 | r1 | r2;
    }
    if (once != ROW_MASK)
      return -1; /* a column without a place for d */
    int shrunk = p[0] != p0 || p[1] != p1 || p[2] != p2;
    if (shrunk) {
      s->pos[d] = (fs_v4){p[0], p[1], p[2], 0};
      s->dirty |= 1u << d; /* more locked candidates may follow: again */
    }
    uint32_t cols = (once & ~twice) * REPL3;
    for (int b = 0; b < 3; b++) {
      uint32_t cand = (hs[b] | (p[b] & cols)) & s->unsolved[b];
      while (cand) {
        int bit = __builtin_ctz(cand);
        cand &= cand - 1;
        if (!(s->pos[d][b] & (1u << bit)))
          return -1; /* the only place for d in a unit went to a peer */
        fs_place(s, d, b, bit);
        return 1; /* one at a time: the others come back with d's next scan */
      }
    }
    if (shrunk)
      return 1; /* naked singles first too */
    /* stacks: the columns of each band holding d (9 bits per band); the
     * table is symmetric, so bands play the rows and columns the boxes */
    cols = fs_fold(p[0]) | fs_fold(p[1]) << 9 | fs_fold(p[2]) << 18;
    for (int k = 0; k < 3; k++) {
      unsigned m = fs_minicols(cols, k);
      unsigned keep = fs_tab.lc_keep[m];
      if (keep == 0)
        return -1;
      if (keep != m) {
        for (int b = 0; b < 3; b++) {
          uint32_t gone = ((m & ~keep) >> (3 * b)) & 7u;
          p[b] &= ~((gone << (3 * k)) * REPL3);
        }
      }
    }
    if (p[0] != p0 || p[1] != p1 || p[2] != p2) {
      s->pos[d] = (fs_v4){p[0], p[1], p[2], 0};
      s->dirty |= 1u << d;
      return 1;
    }
  }
  return 0;
}

static int fs_propagate(struct fs_state *s)
{
  for (;;) {
    if (fs_naked(s) < 0)
      return -1;
    int c = fs_digits(s);
    if (c <= 0)
      return c;
  }
}

struct fs_search {
  const struct sudoku_limits *lim;
  uint64_t nodes;
  int found;
  int gave_up;
  uint8_t *sol;
};

static void fs_record(struct fs_search *st, const struct fs_state *s)
{
  if (st->found++ > 0)
    return;
  for (int d = 0; d < 9; d++)
    for (int b = 0; b < 3; b++)
      for (uint32_t p = s->pos[d][b]; p; p &= p - 1)
        st->sol[27 * b + __builtin_ctz(p)] = (uint8_t)(d + 1);
}

/* An unsolved cell with the fewest candidates, as band and bit (bit-sliced
 * counters give "at least k candidates" for k <= 4). Among those, the cell
 * whose candidates appear most often in its unsolved peers, a peer with two
 * candidates counting 4 times (the most constrained neighbourhood: its
 * guesses propagate furthest, and a two-candidate peer that loses one is a
 * naked single); ties go to the first in cell order. Counting peers alone
 * halves the nodes on the hardest sets and avoids the pathological subtree
 * of Norvig's hard1 (244,462 nodes -> 157); the weight on two-candidate
 * peers takes 18% more off forum-hardest, 30% off top1465, 27% off 17-clue. */
static void fs_choose(const struct fs_state *s, int *band, int *bit)
{
  fs_v4 c1 = {0}, c2 = {0}, c3 = {0}, c4 = {0};
  fs_v4 u[9]; /* unsolved places of each digit */
  for (int d = 0; d < 9; d++) {
    fs_v4 t = s->pos[d] & s->unsolved;
    u[d] = t;
    c4 |= c3 & t;
    c3 |= c2 & t;
    c2 |= c1 & t;
    c1 |= t;
  }
  fs_v4 exact[3] = {c2 & ~c3, c3 & ~c4, c4}; /* [candidates - 2] */
  for (int k = 0; k < 3; k++) {
    int best = -1, bb = 0, bbit = 0;
    for (int b = 0; b < 3; b++)
      for (uint32_t m = exact[k][b]; m; m &= m - 1) {
        int bit = __builtin_ctz(m);
        const uint32_t *peer = fs_tab.peer[27 * b + bit];
        unsigned cand = 0;
        for (int d = 0; d < 9; d++)
          cand |= ((u[d][b] >> bit) & 1u) << d;
        int score = 0;
        for (; cand; cand &= cand - 1) {
          fs_v4 ud = u[__builtin_ctz(cand)];
          uint32_t w0 = ud[0] & peer[0], w1 = ud[1] & peer[1], w2 = ud[2] & peer[2];
          score +=
              __builtin_popcount(w0) + __builtin_popcount(w1) + __builtin_popcount(w2) +
              3 * (__builtin_popcount(w0 & exact[0][0]) + __builtin_popcount(w1 & exact[0][1]) +
                   __builtin_popcount(w2 & exact[0][2]));
        }
        if (score > best) {
          best = score;
          bb = b;
          bbit = bit;
        }
      }
    if (best >= 0) {
      *band = bb;
      *bit = bbit;
      return;
    }
  }
  *band = -1; /* not reached: an unsolved cell after propagation has >= 2 */
  *bit = 0;
}

static void fs_search(struct fs_search *st, struct fs_state *s)
{
  for (;;) {
    if (fs_propagate(s) < 0)
      return;
    if ((s->unsolved[0] | s->unsolved[1] | s->unsolved[2]) == 0) {
      fs_record(st, s);
      return;
    }
    int b, bit;
    fs_choose(s, &b, &bit);
    if (b < 0)
      return;
    unsigned cand = 0;
    for (int d = 0; d < 9; d++)
      cand |= ((s->pos[d][b] >> bit) & 1u) << d;
    /* each candidate on a copy of the state, but the last one on s itself
     * (nothing needs s after it), without a call */
    for (;;) {
      int d = __builtin_ctz(cand);
      cand &= cand - 1;
      if (st->lim->max_nodes && st->nodes >= st->lim->max_nodes) {
        st->gave_up = 1;
        return;
      }
      st->nodes++;
      if (cand == 0) {
        fs_place(s, d, b, bit);
        break;
      }
      struct fs_state child = *s;
      fs_place(&child, d, b, bit);
      fs_search(st, &child);
      if (st->gave_up || st->found > st->lim->count)
        return;
    }
  }
}

/* x86-64's baseline has no popcount, blsr or tzcnt instructions: the build
 * also compiles this file with -march=x86-64-v3 (FS_VARIANT_V3, see
 * common/sudoku/CMakeLists.txt), about 12% faster, and sudoku_fast_pick.c
 * picks that copy when the CPU has AVX2, BMI1/2 and popcount. */
#ifdef FS_VARIANT_V3
#define FS_ENTRY sudoku_fast_solve_v3
#else
#define FS_ENTRY sudoku_fast_solve_generic
#endif
enum sudoku_status FS_ENTRY(const uint8_t grid[SUDOKU_CELLS], uint8_t sol[SUDOKU_CELLS],
                            const struct sudoku_limits *lim, uint64_t *nodes);

enum sudoku_status FS_ENTRY(const uint8_t grid[SUDOKU_CELLS], uint8_t sol[SUDOKU_CELLS],
                            const struct sudoku_limits *lim, uint64_t *nodes)
{
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, fs_build_tables);

  struct fs_state s;
  for (int d = 0; d < 9; d++)
    s.pos[d] = (fs_v4){BAND_ALL, BAND_ALL, BAND_ALL, 0};
  s.unsolved = (fs_v4){BAND_ALL, BAND_ALL, BAND_ALL, 0};
  s.dirty = 0x1FFu;
  struct fs_search st = {lim, 0, 0, 0, sol};
  int ok = 1;
  for (int c = 0; c < 81 && ok; c++) {
    int d = grid[c] - 1, b = c / 27, bit = c % 27;
    if (d < 0)
      continue;
    if (!(s.pos[d][b] & (1u << bit)))
      ok = 0; /* clashes with an earlier given */
    else
      fs_place(&s, d, b, bit);
  }
  if (ok)
    fs_search(&st, &s);
  if (nodes)
    *nodes += st.nodes;
  return sudoku_outcome(st.found, st.gave_up, lim);
}
