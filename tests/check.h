/* Minimal assertion helpers for the C unit tests: each failed check prints
 * its location and the test exits 1 at the end. Output ends with the
 * "N passed, N failed" line that CI reads. */
#ifndef CONCUR_TEST_CHECK_H
#define CONCUR_TEST_CHECK_H

#include <stdio.h>

static int check_passed, check_failed;

#define CHECK(cond)                                                                                \
  do {                                                                                             \
    if (cond) {                                                                                    \
      check_passed++;                                                                              \
    } else {                                                                                       \
      check_failed++;                                                                              \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);                     \
    }                                                                                              \
  } while (0)

static inline int check_summary(const char *name)
{
  printf("%s: %d passed, %d failed\n", name, check_passed, check_failed);
  return check_failed ? 1 : 0;
}

#endif
