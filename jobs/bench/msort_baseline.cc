// msort-baseline: the C++ library sorts msort is compared with, on the same
// generated keys (rng_at(seed, i): random u64, or its low 32 bits with
// --type u32, as msort-omp's --dist uniform), buffers touched before timing.
//   msort-baseline -n 10000000 --threads 2 --repeat 3 [--type u32] std_sort tbb ...
// Prints one line per sort: "name n threads median_s min_s".
// Sorts with a CONCUR_HAVE_* guard are built when their Debian package is
// installed (jobs/deps/bench-msort.txt): vqsort (libhwy-dev), is4o / ips4o
// (libips4o-dev: sequential / parallel), pdqsort_bl (pdqsort-dev, branchless).
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

#ifdef CONCUR_HAVE_VQSORT
#include <hwy/contrib/sort/vqsort.h>
#endif
#ifdef CONCUR_HAVE_IPS4O
#include <ips4o.hpp>
#endif
#ifdef CONCUR_HAVE_PDQSORT
#include <pdqsort.h>
#endif

extern "C" {
#include "rng.h"
}

template <class K> static int cmp_key(const void *a, const void *b)
{
  K x = *(const K *)a, y = *(const K *)b;
  return (x > y) - (x < y);
}

template <class K> static void run(const std::string &name, std::vector<K> &v, int threads)
{
  if (name == "qsort")
    qsort(v.data(), v.size(), sizeof v[0], cmp_key<K>);
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
#ifdef CONCUR_HAVE_VQSORT
  else if (name == "vqsort") {
    static hwy::Sorter sorter; // Debian 12's Highway (1.0): the Sorter object
    sorter(v.data(), v.size(), hwy::SortAscending());
  }
#endif
#ifdef CONCUR_HAVE_IPS4O
  else if (name == "is4o")
    ips4o::sort(v.begin(), v.end());
  else if (name == "ips4o")
    ips4o::parallel::sort(v.begin(), v.end(), std::less<>(), threads);
#endif
#ifdef CONCUR_HAVE_PDQSORT
  else if (name == "pdqsort_bl")
    pdqsort_branchless(v.begin(), v.end());
#endif
  else {
    fprintf(stderr, "msort-baseline: unknown sort '%s' (or not built in)\n", name.c_str());
    exit(2);
  }
}

template <class K>
static int bench(size_t n, int threads, int repeat, const std::vector<std::string> &sorts)
{
  std::vector<K> v(n), orig(n);
  for (size_t i = 0; i < n; i++)
    orig[i] = (K)rng_at(1, i);
  for (const auto &s : sorts) {
    std::vector<double> t;
    for (int r = 0; r < repeat; r++) {
      std::copy(orig.begin(), orig.end(), v.begin()); // touched, and the same input
      double t0 = omp_get_wtime();
      run<K>(s, v, threads);
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

int main(int argc, char **argv)
{
  size_t n = 10000000;
  int threads = omp_get_max_threads(), repeat = 3, u32 = 0;
  std::vector<std::string> sorts;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-n") && i + 1 < argc)
      n = strtoull(argv[++i], nullptr, 10);
    else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
      threads = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
      repeat = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--type") && i + 1 < argc)
      u32 = !strcmp(argv[++i], "u32");
    else
      sorts.push_back(argv[i]);
  }
  omp_set_num_threads(threads);
  tbb::global_control gc(tbb::global_control::max_allowed_parallelism, (size_t)threads);
  return u32 ? bench<uint32_t>(n, threads, repeat, sorts)
             : bench<uint64_t>(n, threads, repeat, sorts);
}
