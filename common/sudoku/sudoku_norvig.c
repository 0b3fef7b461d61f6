/* Reference solver: a faithful C port of Peter Norvig's "Solving Every Sudoku
 * Puzzle" (norvig.com/sudoku.html), the textbook's algorithm.
 *
 * values[s] is the set of digits still possible in square s (bit d-1 for d).
 * assign(s, d) eliminates every other digit from s; eliminate(s, d) removes d
 * and propagates with Norvig's two rules: (1) a square reduced to one value
 * removes it from its peers; (2) a unit with only one place left for d puts
 * it there. search() picks the unfilled square with the fewest possibilities
 * (the first one in square order on ties) and tries its digits in increasing
 * order on a copy of values, depth first. The recursion is kept as in the
 * original; only the counting mode (go on after the first solution) and the
 * node cap are additions. */
#include <pthread.h>
#include <string.h>

#include "sudoku.h"

struct norvig_tables {
  uint8_t units[81][3][9]; /* units[s]: its column, row and box, as Norvig lists them */
  uint8_t peers[81][20];   /* the 20 other squares sharing a unit, in square order */
};

static struct norvig_tables nv_tab;

static void nv_build_tables(void)
{
  for (int s = 0; s < 81; s++) {
    int r = s / 9, c = s % 9, b = (r / 3) * 3 + c / 3;
    /* Norvig's unitlist order: columns, rows, boxes */
    memcpy(nv_tab.units[s][0], sudoku_unit_cells[9 + c], 9);
    memcpy(nv_tab.units[s][1], sudoku_unit_cells[r], 9);
    memcpy(nv_tab.units[s][2], sudoku_unit_cells[18 + b], 9);
    int n = 0;
    for (int p = 0; p < 81; p++) {
      int pr = p / 9, pc = p % 9, pb = (pr / 3) * 3 + pc / 3;
      if (p != s && (pr == r || pc == c || pb == b))
        nv_tab.peers[s][n++] = (uint8_t)p;
    }
  }
}

static int nv_count_bits(unsigned v)
{
  return __builtin_popcount(v);
}

static int nv_assign(uint16_t *values, int s, int d);

/* Eliminate d from values[s]; propagate when values or places are <= 2.
 * Returns 0 if a contradiction is detected. */
static int nv_eliminate(uint16_t *values, int s, int d)
{
  uint16_t bit = (uint16_t)(1u << (d - 1));
  if (!(values[s] & bit))
    return 1; /* already eliminated */
  values[s] &= (uint16_t)~bit;
  /* (1) If a square s is reduced to one value d2, eliminate d2 from the peers. */
  if (values[s] == 0)
    return 0; /* contradiction: removed last value */
  if (nv_count_bits(values[s]) == 1) {
    int d2 = __builtin_ctz(values[s]) + 1;
    for (int k = 0; k < 20; k++)
      if (!nv_eliminate(values, nv_tab.peers[s][k], d2))
        return 0;
  }
  /* (2) If a unit u is reduced to only one place for a value d, put it there. */
  for (int u = 0; u < 3; u++) {
    int places = 0, place = -1;
    for (int k = 0; k < 9; k++) {
      int q = nv_tab.units[s][u][k];
      if (values[q] & bit) {
        places++;
        place = q;
      }
    }
    if (places == 0)
      return 0; /* contradiction: no place for this value */
    if (places == 1 && !nv_assign(values, place, d))
      return 0;
  }
  return 1;
}

/* Eliminate all the other values (except d) from values[s] and propagate. */
static int nv_assign(uint16_t *values, int s, int d)
{
  unsigned other = values[s] & ~(1u << (d - 1));
  for (int d2 = 1; d2 <= 9; d2++)
    if ((other >> (d2 - 1)) & 1u)
      if (!nv_eliminate(values, s, d2))
        return 0;
  return 1;
}

struct nv_search {
  const struct sudoku_limits *lim;
  uint64_t nodes;
  int found; /* solutions found so far */
  int gave_up;
  uint8_t *sol;
};

/* Using depth-first search and propagation, try all possible values. */
static void nv_search(struct nv_search *st, const uint16_t *values)
{
  int best = -1, best_n = 10;
  for (int s = 0; s < 81; s++) {
    int n = nv_count_bits(values[s]);
    if (n > 1 && n < best_n) {
      best_n = n;
      best = s;
    }
  }
  if (best < 0) { /* solved */
    if (st->found == 0)
      for (int s = 0; s < 81; s++)
        st->sol[s] = (uint8_t)(__builtin_ctz(values[s]) + 1);
    st->found++;
    return;
  }
  for (int d = 1; d <= 9; d++) {
    if (!((values[best] >> (d - 1)) & 1u))
      continue;
    if (st->lim->max_nodes && st->nodes >= st->lim->max_nodes) {
      st->gave_up = 1;
      return;
    }
    st->nodes++;
    uint16_t copy[81];
    memcpy(copy, values, sizeof copy);
    if (nv_assign(copy, best, d))
      nv_search(st, copy);
    if (st->gave_up || st->found > st->lim->count)
      return;
  }
}

enum sudoku_status sudoku_norvig_solve(const uint8_t grid[SUDOKU_CELLS], uint8_t sol[SUDOKU_CELLS],
                                       const struct sudoku_limits *lim, uint64_t *nodes)
{
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, nv_build_tables);

  /* parse_grid: start with every digit everywhere, then assign the givens */
  uint16_t values[81];
  for (int s = 0; s < 81; s++)
    values[s] = 0x1FF;
  struct nv_search st = {lim, 0, 0, 0, sol};
  int ok = 1;
  for (int s = 0; s < 81 && ok; s++)
    if (grid[s] != 0)
      ok = nv_assign(values, s, grid[s]);
  if (ok)
    nv_search(&st, values);
  if (nodes)
    *nodes += st.nodes;
  return sudoku_outcome(st.found, st.gave_up, lim);
}
