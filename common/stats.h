/* Summary statistics of repeated timings. */
#ifndef CONCUR_STATS_H
#define CONCUR_STATS_H

#include <stddef.h>

/* Median of v[0..n) (n > 0); sorts v in place. */
double stats_median(double *v, size_t n);
/* Minimum of v[0..n) (n > 0). */
double stats_min(const double *v, size_t n);
/* Maximum of v[0..n) (n > 0). */
double stats_max(const double *v, size_t n);

/* Sample standard deviation of v[0..n) (divided by n - 1); 0 when n < 2. */
double stats_stddev(const double *v, size_t n);

#endif
