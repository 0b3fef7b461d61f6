/* Shared by msort's C unit tests: sort a copy of in (n elements of t) with
 * algo and compare it with want byte for byte; a difference is printed with
 * the kernel path in use. */
#ifndef CONCUR_TEST_MSORT_SAME_H
#define CONCUR_TEST_MSORT_SAME_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msort.h"

static int same_as(enum msort_type t, enum msort_algo algo, const void *in, const void *want,
                   size_t n, int threads, int parts)
{
  size_t sz = msort_type_size(t);
  void *d = malloc(n * sz + 1);
  struct msort_ws ws;
  if (d == NULL || msort_ws_alloc(&ws, t, n, 1) != 0)
    return 0;
  memcpy(d, in, n * sz);
  void *res = msort_sort(t, algo, d, n, &ws, threads, parts);
  int ok = memcmp(res, want, n * sz) == 0;
  if (!ok)
    fprintf(stderr, "  %s %s %s n=%zu threads=%d parts=%d differs from ref2\n",
            msort_simd_names[msort_simd_path()], msort_type_names[t], msort_algo_names[algo], n,
            threads, parts);
  msort_ws_free(&ws);
  free(d);
  return ok;
}

#endif
