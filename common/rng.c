#include "rng.h"

void rng_fill_u64(uint64_t seed, uint64_t first, size_t count, uint64_t *out)
{
  /* Orphaned worksharing: parallel when called inside a parallel region. */
#pragma omp for schedule(static)
  for (size_t k = 0; k < count; k++)
    out[k] = rng_at(seed, first + k);
}
