/* msort-bw: each merge pass's effective bandwidth next to a STREAM-like copy.
 *
 *   msort-bw [N] [THREADS]      (default 100000000 keys, all threads)
 *
 * A bottom-up merge sort of N random u64 keys with the production merge
 * (msort_merge_k64 / msort_pmerge_k64), timed pass by pass: runs of 8 sorted
 * first, then every pass merges runs of width w into 2w over the whole array.
 * Each pass reads and writes 16 bytes per key; its effective bandwidth is
 * 16 N / time. The copy line is a[i] -> b[i] over the same N keys (16 N bytes
 * moved), the bandwidth ceiling a pass could reach. Buffers are touched before
 * timing. */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memory.h"
#include "msort.h"
#include "rng.h"

int main(int argc, char **argv)
{
  size_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 100000000;
  int th = argc > 2 ? atoi(argv[2]) : omp_get_max_threads();
  uint64_t *a = mem_alloc_touched(n * 8, th), *t = mem_alloc_touched(n * 8, th);
  if (n < 16 || th < 1 || a == NULL || t == NULL) {
    fprintf(stderr, "usage: msort-bw [N >= 16] [THREADS]\n");
    return 2;
  }
  double best = 1e30;
  for (int r = 0; r < 3; r++) {
    double t0 = omp_get_wtime();
#pragma omp parallel for num_threads(th) schedule(static)
    for (size_t i = 0; i < n; i++)
      t[i] = a[i];
    double dt = omp_get_wtime() - t0;
    best = dt < best ? dt : best;
  }
  printf("# n=%zu threads=%d; GB/s = 16 bytes per key / time\n", n, th);
  printf("copy          %8.4f s  %6.1f GB/s (best of 3)\n", best, 16.0 * n / best / 1e9);
  msort_generate(MSORT_U64, MSORT_UNIFORM, 1, n, 0, n, a, th);
  double t0 = omp_get_wtime(), total = 0;
#pragma omp parallel for num_threads(th) schedule(static)
  for (size_t i = 0; i < n; i += 8)
    msort_serial_k64(a + i, t + i, n - i < 8 ? n - i : 8);
  double dt = omp_get_wtime() - t0;
  total += dt;
  printf("runs of 8     %8.4f s  %6.1f GB/s\n", dt, 16.0 * n / dt / 1e9);
  for (size_t w = 8; w < n; w *= 2) {
    size_t pairs = (n + 2 * w - 1) / (2 * w);
    t0 = omp_get_wtime();
    if (pairs >= (size_t)th * 4) {
#pragma omp parallel for num_threads(th) schedule(static)
      for (size_t p = 0; p < pairs; p++) {
        size_t lo = p * 2 * w, mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
        msort_merge_k64(a + lo, mid - lo, a + mid, hi - mid, t + lo);
      }
    } else {
#pragma omp parallel num_threads(th)
#pragma omp single
      for (size_t p = 0; p < pairs; p++) {
        size_t lo = p * 2 * w, mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
        msort_pmerge_k64(a + lo, mid - lo, a + mid, hi - mid, t + lo, 2 * th);
      }
    }
    dt = omp_get_wtime() - t0;
    total += dt;
    printf("merge w=%-9zu %8.4f s  %6.1f GB/s\n", w, dt, 16.0 * n / dt / 1e9);
    uint64_t *s = a;
    a = t;
    t = s;
  }
  int sorted = msort_first_unsorted(MSORT_U64, a, n, th) == n;
  printf("total         %8.4f s  (%s)\n", total, sorted ? "sorted" : "NOT SORTED");
  free(a);
  free(t);
  return sorted ? 0 : 1;
}
