/* Counter-based random numbers: value i depends only on (seed, i).
 *
 * Any thread or rank can generate any slice of a sequence directly, so every
 * thread and rank count produces the same data (each rank generates its own
 * slice). The mixer is SplitMix64's finaliser applied to a Weyl sequence
 * keyed by a mixed seed; it passes BigCrush as a stream generator. */
#ifndef CONCUR_RNG_H
#define CONCUR_RNG_H

#include <stddef.h>
#include <stdint.h>

static inline uint64_t rng_mix64(uint64_t z)
{
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/* The i-th 64-bit value of the stream named by `seed`. */
static inline uint64_t rng_at(uint64_t seed, uint64_t i)
{
  return rng_mix64(rng_mix64(seed) + (i + 1) * 0x9E3779B97F4A7C15ULL);
}

/* A double uniform in [0, 1) from the i-th value. */
static inline double rng_unit_at(uint64_t seed, uint64_t i)
{
  return (double)(rng_at(seed, i) >> 11) * 0x1.0p-53;
}

/* An integer uniform in [0, bound) from the i-th value (bound > 0);
 * Lemire's multiply-shift, bias below 2^-32 for bounds under 2^32. */
static inline uint64_t rng_below_at(uint64_t seed, uint64_t i, uint64_t bound)
{
  return (uint64_t)(((unsigned __int128)rng_at(seed, i) * bound) >> 64);
}

/* out[k] = rng_at(seed, first + k) for k < count, filled by the calling
 * thread team if called inside a parallel region's orphaned loop, else
 * serially. */
void rng_fill_u64(uint64_t seed, uint64_t first, size_t count, uint64_t *out);

#endif
