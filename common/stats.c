#include "stats.h"

#include <math.h>
#include <stdlib.h>

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

double stats_median(double *v, size_t n)
{
  qsort(v, n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double stats_min(const double *v, size_t n)
{
  double m = v[0];
  for (size_t i = 1; i < n; i++)
    if (v[i] < m)
      m = v[i];
  return m;
}

double stats_max(const double *v, size_t n)
{
  double m = v[0];
  for (size_t i = 1; i < n; i++)
    if (v[i] > m)
      m = v[i];
  return m;
}

double stats_stddev(const double *v, size_t n)
{
  if (n < 2)
    return 0.0;
  double mean = 0, ss = 0;
  for (size_t i = 0; i < n; i++)
    mean += v[i];
  mean /= (double)n;
  for (size_t i = 0; i < n; i++)
    ss += (v[i] - mean) * (v[i] - mean);
  return sqrt(ss / (double)(n - 1));
}
