/* Sudoku: parsing, the two solvers and verification (serial core shared by
 * sudoku-omp and the MPI sudoku).
 *
 * A grid is 81 bytes, row by row: 0 for an empty cell, 1-9 for a digit. */
#ifndef CONCUR_SUDOKU_H
#define CONCUR_SUDOKU_H

#include <stddef.h>
#include <stdint.h>

#define SUDOKU_CELLS      81
#define SUDOKU_REASON_MAX 160

/* ---- parsing (sudoku_parse.c) ------------------------------------------- */

enum sudoku_line_kind {
  SUDOKU_LINE_SKIP = 0,   /* empty, whitespace-only or '#' comment line */
  SUDOKU_LINE_PUZZLE = 1, /* a valid puzzle: grid filled */
  SUDOKU_LINE_BAD = -1    /* rejected: reason filled */
};

/* Parse one line (without its '\n'; a trailing '\r' is allowed). Cells are
 * 1-9, '.' or '0'; after the 81st cell only whitespace followed by anything
 * but a NUL byte is allowed. Givens that clash in a row, column or box are
 * rejected too, and so are lines longer than SUDOKU_LINE_MAX bytes. */
#define SUDOKU_LINE_MAX (1 << 20)
enum sudoku_line_kind sudoku_parse_line(const char *s, size_t len, uint8_t grid[SUDOKU_CELLS],
                                        char reason[SUDOKU_REASON_MAX]);

/* ---- solvers (sudoku_fast.c, sudoku_norvig.c) ---------------------------- */

/* Outcome of solving one puzzle (also the status byte of a result). */
enum sudoku_status {
  SUDOKU_SOLVED = 0,     /* a solution (in count mode: exactly one) */
  SUDOKU_MULTIPLE = 1,   /* count mode: two or more solutions (first one kept) */
  SUDOKU_UNSOLVABLE = 2, /* proven to have no solution */
  SUDOKU_GAVE_UP = 3     /* node cap reached before an answer */
};

struct sudoku_limits {
  int count;          /* 0: stop at the first solution; 1: stop at the second */
  uint64_t max_nodes; /* search nodes before giving up; 0 = no cap */
};

/* The status a search ends with, from how many solutions it found (it stops
 * at the second) and whether it hit the node cap. Shared by both solvers. */
static inline enum sudoku_status sudoku_outcome(int found, int gave_up,
                                                const struct sudoku_limits *lim)
{
  if (found > 1)
    return SUDOKU_MULTIPLE;
  if (found == 1 && (!gave_up || lim->count == 0))
    return SUDOKU_SOLVED;
  return gave_up ? SUDOKU_GAVE_UP : SUDOKU_UNSOLVABLE;
}

/* Both solvers: fill sol (when solved/multiple) and return the status. The
 * number of search nodes (guesses) is added to *nodes when nodes != NULL. */
enum sudoku_status sudoku_fast_solve(const uint8_t grid[SUDOKU_CELLS], uint8_t sol[SUDOKU_CELLS],
                                     const struct sudoku_limits *lim, uint64_t *nodes);
/* The instruction set the fast solver runs with on this CPU (for --version
 * and the JSON record): the x86-64-v3 copy or the baseline. */
const char *sudoku_fast_simd(void);
/* Faithful port of Norvig's constraint propagation + depth-first search. */
enum sudoku_status sudoku_norvig_solve(const uint8_t grid[SUDOKU_CELLS], uint8_t sol[SUDOKU_CELLS],
                                       const struct sudoku_limits *lim, uint64_t *nodes);

/* ---- verification (sudoku_verify.c) -------------------------------------- */

/* 0 when sol is a complete valid grid that keeps every given of grid;
 * otherwise -1 with the first problem in reason. */
int sudoku_verify(const uint8_t grid[SUDOKU_CELLS], const uint8_t sol[SUDOKU_CELLS],
                  char reason[SUDOKU_REASON_MAX]);

/* Unit tables: cell -> row/column/box, unit -> its 9 cells (units 0-8 rows,
 * 9-17 columns, 18-26 boxes). */
extern const uint8_t sudoku_unit_cells[27][9];

#endif
