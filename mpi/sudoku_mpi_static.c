/* sudoku (MPI), --dist static: each rank solves the piece it parsed, with no
 * messages at all until the end (and with one rank every distribution is
 * this one). */
#include "sudoku_mpi_int.h"

void static_solve(const struct dist_ctx *c, const uint8_t *grids, size_t n,
                  struct sudoku_result *res)
{
  sudoku_solve_range(grids, res, n, c->o);
}
