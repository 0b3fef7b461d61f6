/* Which copy of the fast solver runs (sudoku_fast.c is compiled twice: for
 * the x86-64 baseline and, where the compiler can, for x86-64-v3), chosen
 * once at run time from the CPU. */
#include "sudoku.h"

enum sudoku_status sudoku_fast_solve_generic(const uint8_t grid[SUDOKU_CELLS],
                                             uint8_t sol[SUDOKU_CELLS],
                                             const struct sudoku_limits *lim, uint64_t *nodes);
#ifdef CONCUR_FAST_V3
enum sudoku_status sudoku_fast_solve_v3(const uint8_t grid[SUDOKU_CELLS], uint8_t sol[SUDOKU_CELLS],
                                        const struct sudoku_limits *lim, uint64_t *nodes);
static int fs_has_v3(void)
{
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") &&
         __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("popcnt");
}

/* Whether this CPU runs the x86-64-v3 copy, asked once. */
static int fs_use_v3(void)
{
  static int v3 = -1; /* every thread that races here computes the same value */
  int use = __atomic_load_n(&v3, __ATOMIC_RELAXED);
  if (use < 0) {
    use = fs_has_v3();
    __atomic_store_n(&v3, use, __ATOMIC_RELAXED);
  }
  return use;
}
#endif

const char *sudoku_fast_simd(void)
{
#ifdef CONCUR_FAST_V3
  if (fs_use_v3())
    return "x86-64-v3 (AVX2, BMI1/2, POPCNT), chosen at run time";
  return "x86-64 baseline (the CPU lacks x86-64-v3), chosen at run time";
#elif defined(__AVX2__)
  return "AVX2, fixed at build time (-march)";
#else
  return "baseline, fixed at build time";
#endif
}

enum sudoku_status sudoku_fast_solve(const uint8_t grid[SUDOKU_CELLS], uint8_t sol[SUDOKU_CELLS],
                                     const struct sudoku_limits *lim, uint64_t *nodes)
{
#ifdef CONCUR_FAST_V3
  if (fs_use_v3())
    return sudoku_fast_solve_v3(grid, sol, lim, nodes);
#endif
  return sudoku_fast_solve_generic(grid, sol, lim, nodes);
}
