// msort-baseline: the C++ library sorts msort is compared with, on the same
// generated keys (rng_at(seed, i), random u64), buffers touched before timing.
//   msort-baseline -n 10000000 --threads 2 --repeat 3 std_sort std_stable tbb ...
// Prints one line per sort: "name n threads median_s min_s".
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <omp.h>
#include <parallel/algorithm>
#include <string>
#include <vector>

#include <boost/sort/sort.hpp>
#include <tbb/global_control.h>
#include <tbb/parallel_sort.h>

extern "C" {
#include "rng.h"
}

static int cmp_u64(const void *a, const void *b)
{
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

static void run(const std::string &name, std::vector<uint64_t> &v, int threads)
{
  if (name == "qsort")
    qsort(v.data(), v.size(), sizeof v[0], cmp_u64);
  else if (name == "std_sort")
    std::sort(v.begin(), v.end());
  else if (name == "std_stable")
    std::stable_sort(v.begin(), v.end());
  else if (name == "pdqsort")
    boost::sort::pdqsort(v.begin(), v.end());
  else if (name == "gnu_par")
    __gnu_parallel::sort(v.begin(), v.end());
  else if (name == "gnu_par_stable")
    __gnu_parallel::stable_sort(v.begin(), v.end());
  else if (name == "tbb")
    tbb::parallel_sort(v.begin(), v.end());
  else if (name == "block_indirect")
    boost::sort::block_indirect_sort(v.begin(), v.end(), (uint32_t)threads);
  else if (name == "par_stable")
    boost::sort::parallel_stable_sort(v.begin(), v.end(), (uint32_t)threads);
  else {
    fprintf(stderr, "msort-baseline: unknown sort '%s'\n", name.c_str());
    exit(2);
  }
}

int main(int argc, char **argv)
{
  size_t n = 10000000;
  int threads = omp_get_max_threads(), repeat = 3;
  std::vector<std::string> sorts;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-n") && i + 1 < argc)
      n = strtoull(argv[++i], nullptr, 10);
    else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
      threads = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
      repeat = atoi(argv[++i]);
    else
      sorts.push_back(argv[i]);
  }
  omp_set_num_threads(threads);
  tbb::global_control gc(tbb::global_control::max_allowed_parallelism, (size_t)threads);
  std::vector<uint64_t> v(n), orig(n);
  for (size_t i = 0; i < n; i++)
    orig[i] = rng_at(1, i);
  for (const auto &s : sorts) {
    std::vector<double> t;
    for (int r = 0; r < repeat; r++) {
      std::copy(orig.begin(), orig.end(), v.begin()); // touched, and the same input
      double t0 = omp_get_wtime();
      run(s, v, threads);
      t.push_back(omp_get_wtime() - t0);
      if (!std::is_sorted(v.begin(), v.end())) {
        fprintf(stderr, "msort-baseline: %s did not sort\n", s.c_str());
        return 1;
      }
    }
    std::sort(t.begin(), t.end());
    printf("%s %zu %d %.6f %.6f\n", s.c_str(), n, threads, t[t.size() / 2], t[0]);
    fflush(stdout);
  }
  return 0;
}
