/* Independent check of a solution: rules and givens. */
#include <stdio.h>

#include "sudoku.h"

/* Units 0-8 rows, 9-17 columns, 18-26 boxes. */
#define R(r)                                                                                       \
  {                                                                                                \
    9 * r, 9 * r + 1, 9 * r + 2, 9 * r + 3, 9 * r + 4, 9 * r + 5, 9 * r + 6, 9 * r + 7, 9 * r + 8  \
  }
#define C(c)                                                                                       \
  {                                                                                                \
    c, c + 9, c + 18, c + 27, c + 36, c + 45, c + 54, c + 63, c + 72                               \
  }
#define B(b)                                                                                       \
  {                                                                                                \
    27 * (b / 3) + 3 * (b % 3), 27 * (b / 3) + 3 * (b % 3) + 1, 27 * (b / 3) + 3 * (b % 3) + 2,    \
        27 * (b / 3) + 3 * (b % 3) + 9, 27 * (b / 3) + 3 * (b % 3) + 10,                           \
        27 * (b / 3) + 3 * (b % 3) + 11, 27 * (b / 3) + 3 * (b % 3) + 18,                          \
        27 * (b / 3) + 3 * (b % 3) + 19, 27 * (b / 3) + 3 * (b % 3) + 20                           \
  }
const uint8_t sudoku_unit_cells[27][9] = {R(0), R(1), R(2), R(3), R(4), R(5), R(6), R(7), R(8),
                                          C(0), C(1), C(2), C(3), C(4), C(5), C(6), C(7), C(8),
                                          B(0), B(1), B(2), B(3), B(4), B(5), B(6), B(7), B(8)};

int sudoku_verify(const uint8_t grid[SUDOKU_CELLS], const uint8_t sol[SUDOKU_CELLS],
                  char reason[SUDOKU_REASON_MAX])
{
  static const char *const kind[3] = {"row", "column", "box"};
  for (int c = 0; c < SUDOKU_CELLS; c++) {
    if (sol[c] < 1 || sol[c] > 9) {
      snprintf(reason, SUDOKU_REASON_MAX, "cell %d (row %d column %d) is not a digit 1-9", c + 1,
               c / 9 + 1, c % 9 + 1);
      return -1;
    }
    if (grid[c] != 0 && grid[c] != sol[c]) {
      snprintf(reason, SUDOKU_REASON_MAX, "given %d at row %d column %d changed to %d", grid[c],
               c / 9 + 1, c % 9 + 1, sol[c]);
      return -1;
    }
  }
  for (int u = 0; u < 27; u++) {
    unsigned seen = 0;
    for (int k = 0; k < 9; k++)
      seen |= 1u << sol[sudoku_unit_cells[u][k]];
    if (seen != 0x3FEu) {
      snprintf(reason, SUDOKU_REASON_MAX, "%s %d does not hold each digit once", kind[u / 9],
               u % 9 + 1);
      return -1;
    }
  }
  return 0;
}
