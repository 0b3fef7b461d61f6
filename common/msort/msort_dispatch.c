/* The run-time choice of msort's kernels: AVX-512F, AVX2 or the scalar core.
 *
 * The kernels are compiled with their own flags (common/msort/CMakeLists.txt,
 * no global -march) when the target is x86-64 (CONCUR_MSORT_SIMD), and run
 * only when __builtin_cpu_supports says the CPU has the instructions.
 * CONCUR_SIMD forces a path, so that the tests run every path on one CPU. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msort.h"
#include "msort_simd_kern.h"

const char *const msort_simd_names[] = {"scalar", "avx2", "avx512", NULL};

#ifdef CONCUR_MSORT_SIMD
static const struct msort_kern kern_avx2 = {msort_simd_sort_avx2_k32, msort_simd_merge_avx2_k32,
                                            msort_simd_sort_avx2_k64, NULL}; /* see avx2.c */
static const struct msort_kern kern_avx512 = {
    msort_simd_sort_avx512_k32, msort_simd_merge_avx512_k32, msort_simd_sort_avx512_k64,
    msort_simd_merge_avx512_k64};
#endif

int msort_simd_supported(enum msort_simd p)
{
  if (p == MSORT_SIMD_SCALAR)
    return 1;
#ifdef CONCUR_MSORT_SIMD
  __builtin_cpu_init();
  if (p == MSORT_SIMD_AVX2)
    return __builtin_cpu_supports("avx2");
  if (p == MSORT_SIMD_AVX512)
    return __builtin_cpu_supports("avx512f");
#endif
  return 0;
}

static enum msort_simd best(void)
{
  if (msort_simd_supported(MSORT_SIMD_AVX512))
    return MSORT_SIMD_AVX512;
  if (msort_simd_supported(MSORT_SIMD_AVX2))
    return MSORT_SIMD_AVX2;
  return MSORT_SIMD_SCALAR;
}

/* -1 until first use; every thread that races there computes the same value. */
static int path_in_use = -1;

/* The path CONCUR_SIMD asks for; -1 with the reason in why when it cannot. */
static int env_path(char *why, size_t len)
{
  const char *v = getenv("CONCUR_SIMD");
  if (v == NULL || *v == '\0' || strcmp(v, "auto") == 0)
    return (int)best();
  for (int p = 0; msort_simd_names[p]; p++)
    if (strcmp(v, msort_simd_names[p]) == 0) {
      if (msort_simd_supported((enum msort_simd)p))
        return p;
      snprintf(why, len, "CONCUR_SIMD=%s: this %s cannot run it", v,
#ifdef CONCUR_MSORT_SIMD
               "CPU"
#else
               "build (no x86-64 vector kernels)"
#endif
      );
      return -1;
    }
  snprintf(why, len, "CONCUR_SIMD=%s: expected auto, scalar, avx2 or avx512", v);
  return -1;
}

enum msort_simd msort_simd_path(void)
{
  int p = __atomic_load_n(&path_in_use, __ATOMIC_RELAXED);
  if (p < 0) {
    char why[128];
    p = env_path(why, sizeof why);
    if (p < 0)
      p = (int)best();
    __atomic_store_n(&path_in_use, p, __ATOMIC_RELAXED);
  }
  return (enum msort_simd)p;
}

int msort_simd_set(enum msort_simd p)
{
  if (!msort_simd_supported(p))
    return -1;
  __atomic_store_n(&path_in_use, (int)p, __ATOMIC_RELAXED);
  return 0;
}

int msort_simd_from_env(char *why, size_t len)
{
  int p = env_path(why, len);
  if (p < 0)
    return -1;
  __atomic_store_n(&path_in_use, p, __ATOMIC_RELAXED);
  return 0;
}

const char *msort_simd_level(void)
{
  return msort_simd_names[msort_simd_path()];
}

const struct msort_kern *msort_simd_kern(void)
{
#ifdef CONCUR_MSORT_SIMD
  enum msort_simd p = msort_simd_path();
  if (p == MSORT_SIMD_AVX512)
    return &kern_avx512;
  if (p == MSORT_SIMD_AVX2)
    return &kern_avx2;
#endif
  return NULL;
}
